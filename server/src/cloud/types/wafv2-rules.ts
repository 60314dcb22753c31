// WAFv2 web ACL blocks in one canonical form, whether they come Terraform-shaped (snake_case
// nested blocks, each a list, as state and hcl2json hold them) or API-shaped (PascalCase objects,
// plural array names, as GetWebACL returns them), and back from Terraform shape to the API's for
// UpdateWebACL. Pure: no SDK, no I/O.
//
// The canonical form is canonical-shape.ts's (names without case, underscores or plural `s`; a
// one-element list is its element; repeated blocks are sets, so text transformations and AND/OR
// statements compare in any order; unset is unset), and WAF's API defaults equal their absence: a body's `OversizeHandling` CONTINUE, a rate-based rule's
//   `AggregateKeyType` IP and `EvaluationWindowSec` 300 (the provider's defaults, and what AWS
//   fills in when a request omits them).
import { canonicalJson, isObject, Known } from '../../drift/values';
import { canonicalShape } from './canonical-shape';

type Json = Known;

/** API defaults that equal the argument's absence (canonical key → default). */
const DEFAULTS: Record<string, Json> = { oversizehandling: 'CONTINUE', aggregatekeytype: 'IP', evaluationwindowsec: 300 };

/** The canonical form of a Terraform- or API-shaped WAF value; undefined when it is unset. */
export function canonicalWaf(value: unknown): Json | undefined {
  return canonicalShape(value, DEFAULTS);
}

/** An API value as plain JSON: blobs (a byte match's SearchString) as the UTF-8 text they hold. */
export function plainJson(value: unknown): Json {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(plainJson);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plainJson(v)]));
  return (value ?? null) as Json;
}

/** Rules as JSON text in the API's wire shape (`rule_json`): blobs there are base64, read as their text. */
export function rulesFromJsonText(text: string): Json {
  const decode = (v: unknown): Json => {
    if (Array.isArray(v)) return v.map(decode);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'SearchString' && typeof x === 'string' ? Buffer.from(x, 'base64').toString('utf8') : decode(x)]));
    return (v ?? null) as Json;
  };
  return decode(JSON.parse(text));
}

/** Rules as JSON text in the API's wire shape, ready for the SDK: base64 search strings as the bytes they encode. */
export function rulesForSdk(text: string): unknown {
  const encode = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(encode);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'SearchString' && typeof x === 'string' ? new Uint8Array(Buffer.from(x, 'base64')) : encode(x)]));
    return v;
  };
  return encode(JSON.parse(text));
}

/** A rule's name, from either shape. */
export function ruleName(rule: unknown): string {
  if (!isObject(rule)) return '';
  const n = rule.name ?? rule.Name;
  return typeof n === 'string' ? n : '';
}

/** A block list (Terraform) or a single object (API) as a list of objects. */
function objectsOf(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/**
 * The rule set as atoms, one per rule: its name with every other argument in canonical form
 * (priority, action or override_action, statement, visibility_config, labels, captcha/challenge).
 */
export function ruleAtoms(value: unknown): string[] {
  return objectsOf(value).map((r) => `${ruleName(r)} ${canonicalJson(canonicalWaf(r) ?? {})}`);
}

/** A phrase per rule, naming it by priority and action, equal for equal rules. */
export function rulePhrases(value: unknown): string[] {
  return objectsOf(value).map((r) => {
    const c = (canonicalWaf(r) ?? {}) as Record<string, Json>;
    const action = c.action ?? c.overrideaction;
    const verb = isObject(action) ? Object.keys(action).join('+') : 'no action';
    return `rule "${ruleName(r)}" (priority ${String(c.priority ?? 0)}, ${verb}): ${canonicalJson(c.statement ?? {})}${canonicalJson(c.visibilityconfig ?? {})}`;
  });
}

/** A MaxItems=1 block (default_action, visibility_config, captcha_config…) as one atom. */
export function blockAtom(value: unknown): string[] {
  const c = canonicalWaf(value);
  return c === undefined ? [] : [canonicalJson(c)];
}

/** Word spellings the API uses that a plain snake_case → PascalCase would miss. */
const WORDS: Record<string, string> = {
  arn: 'ARN', ip: 'IP', http: 'HTTP', ja3: 'JA3', ja4: 'JA4', aws: 'AWS', cloudwatch: 'CloudWatch', atp: 'ATP', acfp: 'ACFP', ddos: 'DDoS',
};

/** Terraform's repeated blocks, which the API holds as arrays under a plural name. */
const ARRAYS: Record<string, string> = {
  text_transformation: 'TextTransformations', rule_action_override: 'RuleActionOverrides', custom_key: 'CustomKeys', insert_header: 'InsertHeaders',
  response_header: 'ResponseHeaders', rule_label: 'RuleLabels', excluded_rule: 'ExcludedRules', managed_rule_group_configs: 'ManagedRuleGroupConfigs',
  rule: 'Rules', data_protection: 'DataProtections',
};

/** Blocks whose children are keyed by an enum the API spells in capitals (association_config's request_body: CLOUDFRONT, API_GATEWAY…). */
const ENUM_KEYED = new Set(['request_body']);

/** Blocks whose `statement` children are the API's `Statements` array. */
const STATEMENT_LISTS = new Set(['and_statement', 'or_statement']);

export function apiName(key: string): string {
  return key.split('_').map((w) => WORDS[w] ?? (w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

/**
 * A Terraform-shaped block's value in the API's shape (for UpdateWebACL): blocks become objects,
 * repeated blocks arrays under their plural name, `search_string` bytes; unset arguments are left out.
 */
export function toApi(value: unknown, parent = ''): unknown {
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (raw === null || raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) continue;
    if (key === 'statement' && STATEMENT_LISTS.has(parent)) {
      out.Statements = objectsOf(raw).map((s) => toApi(s, key));
      continue;
    }
    if (key === 'search_string' && typeof raw === 'string') {
      out.SearchString = new TextEncoder().encode(raw);
      continue;
    }
    if (ENUM_KEYED.has(parent)) {
      out[key.toUpperCase()] = toApi(objectsOf(raw)[0] ?? {}, key);
      continue;
    }
    if (ARRAYS[key]) {
      out[ARRAYS[key]!] = Array.isArray(raw) ? raw.map((x) => toApi(x, key)) : [toApi(raw, key)];
      continue;
    }
    if (Array.isArray(raw)) {
      const objects = raw.filter(isObject);
      // A block (list of one object) is an object; a list of strings stays a list.
      out[apiName(key)] = objects.length ? toApi(objects[0], key) : raw;
      continue;
    }
    out[apiName(key)] = toApi(raw, key);
  }
  return out;
}

/** Terraform's `custom_response_body` set in the API's map keyed by `key`. */
export function responseBodiesToApi(value: unknown): Record<string, { ContentType: string; Content: string }> | undefined {
  const bodies = objectsOf(value);
  if (!bodies.length) return undefined;
  return Object.fromEntries(bodies.map((b) => [String(b.key ?? ''), { ContentType: String(b.content_type ?? ''), Content: String(b.content ?? '') }]));
}

/** The API's custom response body map as the list Terraform holds (the canonical form then matches). */
export function responseBodiesFromApi(map: Record<string, { ContentType?: string; Content?: string }> | undefined): Array<Record<string, string>> {
  return Object.entries(map ?? {}).map(([key, b]) => ({ key, content_type: b.ContentType ?? '', content: b.Content ?? '' }));
}

/** AWS's Shield Advanced automatic mitigation rule, which the provider leaves out unless declared. */
export const SHIELD_RULE = /^ShieldMitigationRuleGroup_\d{12}_[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}_.*/;
