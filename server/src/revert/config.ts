// The `revert:` section of `.tidemark/config.yaml`: what happens to changes made under a grant once
// it ends. Other sections of the file (users/roles, drift, aws) belong to other features.
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, YAMLMap } from 'yaml';
import { parseYamlWithPositions } from '../yaml-positions';
import { parseDuration } from '../access/duration';

/**
 * `revert`: write the declared value back when the grant ends (the default).
 * `alert-only`: raise an alert and leave live as it is.
 * `keep-if-adopted-within`: wait this long for the change to be adopted into code (a pull request);
 * revert only if it still is not when the time is up.
 */
export type RevertAction =
  | { kind: 'revert' }
  | { kind: 'alert-only' }
  | { kind: 'keep-if-adopted-within'; seconds: number };

export interface RevertRule {
  type?: string;
  /** Resource or instance address; `aws_instance.web` also covers `aws_instance.web[0]`. */
  address?: string;
  /** Every tag listed must be on the live resource with this value (`*` = any value). */
  tags?: Record<string, string>;
  action: RevertAction;
  /** `file:line:column` of the rule, shown when it decides a step. */
  where: string;
}

export interface RevertConfig {
  default: RevertAction;
  /** First matching rule wins; no match → `default`. */
  rules: RevertRule[];
  /** Wait after a grant ends before planning, so CloudTrail has delivered its events (AWS: up to ~15 min). */
  settleSeconds: number;
}

export const DEFAULT_REVERT_CONFIG: RevertConfig = { default: { kind: 'revert' }, rules: [], settleSeconds: 0 };

export class RevertConfigError extends Error {}

export function describeAction(a: RevertAction): string {
  return a.kind === 'keep-if-adopted-within' ? `keep-if-adopted-within ${formatSeconds(a.seconds)}` : a.kind;
}

function formatSeconds(s: number): string {
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) if (s % size === 0) return `${s / size}${unit}`;
  return `${s}s`;
}

/** Parses the file's `revert:` section (absent = revert everything); errors name `file:line:column` and the field. */
export function parseRevertConfig(text: string, file: string): RevertConfig {
  const { doc, at } = parseYamlWithPositions(text, file, (message) => new RevertConfigError(message));
  const root = doc.contents;
  if (root === null || root === undefined) return DEFAULT_REVERT_CONFIG;
  if (!isMap(root)) throw new RevertConfigError(`${file}: expected a mapping at the top level`);
  const section = root.get('revert', true);
  if (section === undefined || (isScalar(section) && section.value === null)) return DEFAULT_REVERT_CONFIG;
  if (!isMap(section)) throw new RevertConfigError(`${at(section)}: revert must be a mapping with default, settle, rules`);

  const scalarText = (map: YAMLMap, key: string, field: string): { text: string; node: unknown } | undefined => {
    const node = map.get(key, true);
    if (node === undefined) return undefined;
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'string' && typeof value !== 'number') throw new RevertConfigError(`${at(node)}: ${field} must be a string`);
    return { text: String(value), node };
  };
  const actionOf = (map: YAMLMap, key: string, field: string): RevertAction | undefined => {
    const raw = scalarText(map, key, field);
    if (!raw) return undefined;
    const action = parseAction(raw.text);
    if (!action) throw new RevertConfigError(`${at(raw.node)}: ${field} '${raw.text}' must be revert, alert-only or keep-if-adopted-within <duration> (e.g. 2h)`);
    return action;
  };

  for (const pair of section.items) {
    const key = String((pair.key as { value?: unknown }).value);
    if (!['default', 'settle', 'rules'].includes(key)) throw new RevertConfigError(`${at(pair.key)}: revert.${key} is not a setting (expected default, settle, rules)`);
  }
  const settleRaw = scalarText(section, 'settle', 'revert.settle');
  let settleSeconds = 0;
  if (settleRaw) {
    const s = parseDuration(settleRaw.text);
    if (s === undefined) throw new RevertConfigError(`${at(settleRaw.node)}: revert.settle '${settleRaw.text}' is not a duration like 15m`);
    settleSeconds = s;
  }

  const rules: RevertRule[] = [];
  const rulesNode = section.get('rules', true);
  if (rulesNode !== undefined && !isSeq(rulesNode)) throw new RevertConfigError(`${at(rulesNode)}: revert.rules must be a list`);
  for (const [i, item] of (isSeq(rulesNode) ? rulesNode.items : []).entries()) {
    const field = `revert.rules[${i}]`;
    if (!isMap(item)) throw new RevertConfigError(`${at(item)}: ${field} must be a mapping with type/address/tags and action`);
    for (const pair of item.items) {
      const key = String((pair.key as { value?: unknown }).value);
      if (!['type', 'address', 'tags', 'action'].includes(key)) throw new RevertConfigError(`${at(pair.key)}: ${field}.${key} is not a rule field (expected type, address, tags, action)`);
    }
    const action = actionOf(item, 'action', `${field}.action`);
    if (!action) throw new RevertConfigError(`${at(item)}: ${field} is missing 'action'`);
    let tags: Record<string, string> | undefined;
    const tagsNode = item.get('tags', true);
    if (tagsNode !== undefined) {
      if (!isMap(tagsNode) || tagsNode.items.length === 0) throw new RevertConfigError(`${at(tagsNode)}: ${field}.tags must be a mapping of tag → value (\`*\` for any value)`);
      tags = {};
      for (const pair of tagsNode.items) {
        const value = isScalar(pair.value) ? pair.value.value : undefined;
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new RevertConfigError(`${at(pair.value ?? pair.key)}: ${field}.tags.${String((pair.key as { value?: unknown }).value)} must be a string`);
        tags[String((pair.key as { value?: unknown }).value)] = String(value);
      }
    }
    const rule: RevertRule = {
      type: scalarText(item, 'type', `${field}.type`)?.text,
      address: scalarText(item, 'address', `${field}.address`)?.text,
      tags,
      action,
      where: at(item),
    };
    if (!rule.type && !rule.address && !rule.tags) throw new RevertConfigError(`${at(item)}: ${field} needs at least one of type, address, tags`);
    rules.push(rule);
  }
  return { default: actionOf(section, 'default', 'revert.default') ?? DEFAULT_REVERT_CONFIG.default, rules, settleSeconds };
}

export function parseAction(text: string): RevertAction | undefined {
  const t = text.trim();
  if (t === 'revert') return { kind: 'revert' };
  if (t === 'alert-only') return { kind: 'alert-only' };
  const m = /^keep-if-adopted-within\s+(\S+)$/.exec(t);
  const seconds = m ? parseDuration(m[1]) : undefined;
  return seconds !== undefined && seconds > 0 ? { kind: 'keep-if-adopted-within', seconds } : undefined;
}

/** Reads the file anew (the broker picks up edits without a restart); a missing file means the defaults. */
export function loadRevertConfig(file: string): RevertConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_REVERT_CONFIG;
    throw new RevertConfigError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseRevertConfig(text, file);
}
