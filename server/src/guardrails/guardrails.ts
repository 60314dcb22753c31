// Guardrails: Cedar `forbid` rules over changes, in `.tidemark/guardrails.cedar`. Compiled and
// reported (file:line:column) by the same code as the access policy; decided per change here.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { CompiledPolicy, compilePolicy, PolicyError } from '../access/policy';
import type { GuardrailChange } from './changes';
import { GUARDRAIL_SCHEMA } from './schema';

export interface Guardrails {
  file: string;
  policy: CompiledPolicy;
}

/** What a violated rule asks for: `@onViolation("revert")` reverts at once; default: alert only. */
export type ViolationAction = 'revert' | 'alert';

export interface Violation {
  change: GuardrailChange;
  /** The rule's `@id`, else Cedar's `policy<N>`. */
  rule: string;
  /** The rule's `@message`, else a sentence naming the rule and the change. */
  message: string;
  onViolation: ViolationAction;
}

export interface Evaluation {
  violations: Violation[];
  /** Rules that failed to evaluate (skipped by Cedar, reported by us). */
  errors: string[];
}

/** `.tidemark/guardrails.cedar` in the root or a parent (like `.tidemark/config.yaml`). */
export async function findGuardrails(root: string): Promise<{ file: string; text: string } | undefined> {
  let dir = root;
  for (;;) {
    const file = path.join(dir, '.tidemark', 'guardrails.cedar');
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return { file, text };
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Throws PolicyError (file:line:column) when a rule does not parse or does not fit the schema. */
export function compileGuardrails(text: string, file: string): Guardrails {
  const policy = compilePolicy(text, file, GUARDRAIL_SCHEMA);
  policy.annotations.forEach((a, i) => {
    if (a.onViolation !== undefined && a.onViolation !== 'revert' && a.onViolation !== 'alert') {
      throw new PolicyError([{ file, ...policyStart(text, i), message: `@onViolation must be "revert" or "alert", not "${a.onViolation}"` }]);
    }
  });
  return { file, policy };
}

/** 1-based line and column where the index-th policy of the text starts (for annotation problems). */
function policyStart(text: string, index: number): { line: number; column: number } {
  const parts = cedar.policySetTextToParts(text);
  const first = (parts.type === 'success' ? parts.policies[index] ?? '' : '').trim().split('\n')[0] ?? '';
  const offset = first ? text.indexOf(first) : -1;
  const before = (offset >= 0 ? text.slice(0, offset) : '').split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

export async function loadGuardrails(root: string, relativeTo?: string): Promise<Guardrails | undefined> {
  const found = await findGuardrails(root);
  if (!found) return undefined;
  return compileGuardrails(found.text, relativeTo ? path.relative(relativeTo, found.file) || found.file : found.file);
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return JSON.stringify(v);
}

/** The Cedar request for one change; pure, so tests and the follower ask the same question. */
export function guardrailRequest(g: Guardrails, change: GuardrailChange): cedar.AuthorizationCall {
  const context: cedar.Context = {
    source: change.source,
    eventName: change.eventName,
    resourceType: change.resourceType,
    attribute: change.attribute,
    path: change.path,
    value: text(change.value),
    removed: change.removed,
    hasGrant: change.grant !== undefined,
    ...(change.grant ? { grant: { ...change.grant } } : {}),
    ...(change.rule ? { rule: { ...change.rule } } : {}),
  };
  return {
    principal: { type: 'Guardrail::Actor', id: change.actor },
    action: { type: 'Guardrail::Action', id: 'change' },
    resource: { type: 'Guardrail::Resource', id: change.address },
    context,
    schema: GUARDRAIL_SCHEMA,
    validateRequest: true,
    // Guardrails only forbid: everything no rule forbids is allowed.
    policies: { staticPolicies: { ...g.policy.policies, 'allow-unless-forbidden': 'permit (principal, action, resource);' } },
    entities: [
      { uid: { type: 'Guardrail::Actor', id: change.actor }, attrs: {}, parents: [] },
      { uid: { type: 'Guardrail::Resource', id: change.address }, attrs: { type: change.resourceType }, parents: [] },
    ],
  };
}

function describe(change: GuardrailChange): string {
  const what = change.rule
    ? `${change.rule.direction} ${change.rule.protocol === '-1' ? 'all traffic' : `${change.rule.protocol} ${change.rule.fromPort === change.rule.toPort ? change.rule.fromPort : `${change.rule.fromPort}-${change.rule.toPort}`}`} from ${[...change.rule.cidrBlocks, ...change.rule.ipv6CidrBlocks].join(', ') || 'a group or prefix list'}`
    : `${change.path || 'the resource'} = ${change.removed ? '(removed)' : text(change.value)}`;
  return `${change.address}: ${what}`;
}

export function evaluateChange(g: Guardrails, change: GuardrailChange): Evaluation {
  const answer = cedar.isAuthorized(guardrailRequest(g, change));
  if (answer.type === 'failure') return { violations: [], errors: answer.errors.map((e) => `${g.file}: ${e.message}`) };
  const { decision, diagnostics } = answer.response;
  const errors = diagnostics.errors.map((e) => `${g.file}: ${e.policyId}: ${e.error.message}`);
  if (decision === 'allow') return { violations: [], errors };
  const violations = diagnostics.reason.map((id): Violation => {
    const index = Number(/^policy(\d+)$/.exec(id)?.[1] ?? NaN);
    const ann = Number.isInteger(index) ? g.policy.annotations[index] ?? {} : {};
    const rule = ann.id ?? id;
    const by = change.grant ? ` (under grant ${change.grant.id} by ${change.grant.requester})` : change.source === 'live' && change.actor !== 'unknown' ? ` (by ${change.actor})` : '';
    return {
      change,
      rule,
      message: `guardrail ${rule}: ${ann.message ? `${ann.message}: ` : ''}${describe(change)}${by}`,
      onViolation: ann.onViolation === 'revert' ? 'revert' : 'alert',
    };
  });
  return { violations, errors };
}

/** Every change, one violation per rule and change (a change may break several rules). */
export function evaluateChanges(g: Guardrails, changes: readonly GuardrailChange[]): Evaluation {
  const out: Evaluation = { violations: [], errors: [] };
  const seen = new Set<string>();
  for (const c of changes) {
    const r = evaluateChange(g, c);
    for (const v of r.violations) {
      // A rule resource's attributes all carry the same rule: report it once per resource.
      const key = `${v.rule}\u0000${c.address}\u0000${c.rule ? JSON.stringify(c.rule) : c.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.violations.push(v);
    }
    for (const e of r.errors) if (!out.errors.includes(e)) out.errors.push(e);
  }
  return out;
}
