// `tidemark policy test`: table-driven cases from `.tidemark/policy-tests.yaml`, asked through the
// same request builder the broker uses, so a passing table means the broker decides the same way.
import { isMap, isSeq, YAMLMap } from 'yaml';
import { parseYamlWithPositions } from '../yaml-positions';
import { AccessConfig, roleNamed, UserEntry, userForArn } from './config';
import { parseDuration } from './duration';
import { ACCESS_ACTIONS, AccessAction, CompiledPolicy, decide, LEDGER_ACTIONS, PolicyQuery } from './policy';
import { ScopeFacts, scopeFacts } from './scope-facts';
import type { GrantScope, ScopeOrigin } from '../model';

export interface PolicyTestCase {
  name: string;
  /** `file:line` of the case, for failures. */
  where: string;
  query: PolicyQuery;
  expect: 'allow' | 'deny';
}

export interface PolicyTestResult {
  name: string;
  where: string;
  expected: 'allow' | 'deny';
  actual: 'allow' | 'deny';
  passed: boolean;
  determining: string[];
  errors: string[];
}

export class PolicyTestFileError extends Error {}

export function parsePolicyTests(text: string, file: string, config: AccessConfig): PolicyTestCase[] {
  const { doc, at: pos } = parseYamlWithPositions(text, file, (message) => new PolicyTestFileError(message));
  const root = doc.contents;
  if (!isMap(root)) throw new PolicyTestFileError(`${file}: expected a mapping with 'cases'`);
  const defaultsNode = root.get('defaults', true);
  const defaults = isMap(defaultsNode) ? defaultsNode : undefined;
  const casesNode = root.get('cases', true);
  if (!isSeq(casesNode)) throw new PolicyTestFileError(`${pos(casesNode ?? root)}: 'cases' must be a list`);

  const field = (item: YAMLMap, key: string): { value: unknown; node: unknown } | undefined => {
    const node = item.get(key, true) ?? defaults?.get(key, true);
    if (node === undefined) return undefined;
    return { value: (node as { toJSON?: () => unknown }).toJSON ? (node as { toJSON(): unknown }).toJSON() : (node as { value?: unknown }).value, node };
  };
  const person = (item: YAMLMap, key: string, where: string): UserEntry | undefined => {
    const f = field(item, key);
    if (!f) return undefined;
    const ref = String(f.value);
    const known = config.users.find((u) => u.name === ref || u.arn === ref);
    if (known) return known;
    if (ref.startsWith('arn:')) return userForArn(config, ref);
    throw new PolicyTestFileError(`${pos(f.node)}: ${where}.${key} '${ref}' is not a user in config.yaml (use an ARN for someone unknown)`);
  };

  /** `scope: [addresses]` (+ `scopeTagsOnly`, `scopeSource`) → the facts the broker would compute for it. */
  const scopeOfCase = (item: YAMLMap, where: string): ScopeFacts | undefined => {
    const f = field(item, 'scope');
    if (!f) return undefined;
    if (!Array.isArray(f.value) || f.value.some((a) => typeof a !== 'string')) throw new PolicyTestFileError(`${pos(f.node)}: ${where}.scope must be a list of resource addresses`);
    const tagsOnly = field(item, 'scopeTagsOnly')?.value === true;
    const sourceField = field(item, 'scopeSource');
    const source = String(sourceField?.value ?? 'addresses');
    const origins: Record<string, ScopeOrigin> = {
      addresses: { kind: 'address' }, diff: { kind: 'diff', file: 'main.tf', startLine: 1, endLine: 1, ref: 'HEAD' }, plan: { kind: 'plan', actions: ['update'] },
    };
    const origin = origins[source];
    if (!origin) throw new PolicyTestFileError(`${pos(sourceField!.node)}: ${where}.scopeSource '${source}' is not addresses, diff or plan`);
    const resources = (f.value as string[]).map((address): GrantScope => {
      const type = /(?:^|\.)(aws_[a-z0-9_]+)\.[\w-]+(?:\[[^\]]*\])?$/.exec(address)?.[1];
      if (!type) throw new PolicyTestFileError(`${pos(f.node)}: ${where}.scope '${address}' is not a resource address like aws_instance.web`);
      return { address, type, arn: '', ...(tagsOnly ? { tagsOnly } : {}), ...(origin.kind === 'address' ? {} : { origin }) };
    });
    return scopeFacts(resources);
  };

  return casesNode.items.map((item, i) => {
    const where = `cases[${i}]`;
    if (!isMap(item)) throw new PolicyTestFileError(`${pos(item)}: ${where} must be a mapping`);
    const need = (key: string) => {
      const f = field(item, key);
      if (!f) throw new PolicyTestFileError(`${pos(item)}: ${where} is missing '${key}'`);
      return f;
    };
    const name = String(field(item, 'name')?.value ?? where);
    const action = need('action');
    if (!ACCESS_ACTIONS.includes(action.value as AccessAction)) throw new PolicyTestFileError(`${pos(action.node)}: ${where}.action '${String(action.value)}' is not one of ${ACCESS_ACTIONS.join(', ')}`);
    // The audit actions ask about the ledger as a whole: a role (e.g. from defaults) is ignored.
    const ledgerAction = LEDGER_ACTIONS.includes(action.value as AccessAction);
    const roleField = ledgerAction ? field(item, 'role') : need('role');
    const role = roleField ? roleNamed(config, String(roleField.value)) : undefined;
    if (roleField && !role) throw new PolicyTestFileError(`${pos(roleField.node)}: ${where}.role '${String(roleField.value)}' is not a role in config.yaml`);
    const durationField = need('duration');
    const durationSeconds = parseDuration(String(durationField.value));
    if (!durationSeconds) throw new PolicyTestFileError(`${pos(durationField.node)}: ${where}.duration '${String(durationField.value)}' is not a duration like 2h or 90m`);
    const atField = need('at');
    const at = new Date(atField.value instanceof Date ? atField.value : String(atField.value));
    if (Number.isNaN(at.getTime())) throw new PolicyTestFileError(`${pos(atField.node)}: ${where}.at '${String(atField.value)}' is not an ISO date-time`);
    const expectField = need('expect');
    if (expectField.value !== 'allow' && expectField.value !== 'deny') throw new PolicyTestFileError(`${pos(expectField.node)}: ${where}.expect must be allow or deny`);
    const approvals = field(item, 'approvals');
    const ticket = field(item, 'ticket');
    const scope = scopeOfCase(item, where);
    return {
      name,
      where: pos(item),
      expect: expectField.value,
      query: {
        action: action.value as AccessAction,
        principal: person(item, 'user', where) ?? (() => { throw new PolicyTestFileError(`${pos(item)}: ${where} is missing 'user'`); })(),
        role: ledgerAction ? undefined : role,
        at,
        durationSeconds,
        reason: String(field(item, 'reason')?.value ?? 'policy test'),
        ticket: ticket && ticket.value !== false ? String(ticket.value) : undefined,
        requester: person(item, 'requester', where),
        breakGlass: field(item, 'breakGlass')?.value === true,
        approvals: approvals ? Number(approvals.value) : undefined,
        ...(scope ? { scope } : {}),
      },
    };
  });
}

export function runPolicyTests(config: AccessConfig, policy: CompiledPolicy, cases: PolicyTestCase[]): PolicyTestResult[] {
  return cases.map((c) => {
    const d = decide(config, policy, c.query);
    const actual = d.allowed ? 'allow' : 'deny';
    return { name: c.name, where: c.where, expected: c.expect, actual, passed: actual === c.expect, determining: d.determining, errors: d.errors };
  });
}
