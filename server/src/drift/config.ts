// The drift part of `.tidemark/config.yaml`: ignore rules, severity overrides, unmanaged scope.
// Other sections of the file belong to other features and are left alone.
import { parseDocument } from 'yaml';
import type { Severity } from '../model';

export interface IgnoreRule {
  type?: string;
  /** Resource or instance address; `aws_instance.web` also covers `aws_instance.web[0]`. */
  address?: string;
  /** Attribute path as dotted text: `ami`, `tags.Env`, `ingress`. Absent = the whole resource. */
  attribute?: string;
  reason?: string;
  until?: string;
}

export interface SeverityRule {
  type?: string;
  address?: string;
  attribute?: string;
  level: Severity;
}

export interface DriftConfig {
  ignore: IgnoreRule[];
  severity: SeverityRule[];
  /** Live objects carrying all these tags but absent from state are reported as unmanaged. */
  unmanagedTags?: Record<string, string>;
  aws: { profile?: string; region?: string; endpoint?: string };
}

export const EMPTY_CONFIG: DriftConfig = { ignore: [], severity: [], aws: {} };

export class ConfigError extends Error {}

const LEVELS: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Json = unknown;

function fail(file: string, line: number | undefined, field: string, message: string): never {
  throw new ConfigError(`${file}${line ? `:${line}` : ''}: ${field}: ${message}`);
}

function optionalString(file: string, obj: Record<string, Json>, key: string, field: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v !== 'string' && typeof v !== 'number') fail(file, undefined, `${field}.${key}`, 'must be a string');
  return String(v);
}

/** Parses the file text; throws ConfigError naming file, line and field on bad input. */
export function parseDriftConfig(file: string, text: string): DriftConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    fail(file, e.linePos?.[0]?.line, 'yaml', e.message.split('\n')[0]);
  }
  let root: Json;
  try {
    root = doc.toJS() as Json; // the yaml library refuses alias bombs ("billion laughs") here
  } catch (error) {
    fail(file, undefined, 'yaml', (error as Error).message);
  }
  if (root === null || root === undefined) return EMPTY_CONFIG;
  if (typeof root !== 'object' || Array.isArray(root)) fail(file, 1, 'root', 'must be a mapping');
  const top = root as Record<string, Json>;
  const drift = (top.drift ?? {}) as Json;
  if (typeof drift !== 'object' || drift === null || Array.isArray(drift)) fail(file, undefined, 'drift', 'must be a mapping');
  const d = drift as Record<string, Json>;

  const list = (key: string): Record<string, Json>[] => {
    const v = d[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) fail(file, undefined, `drift.${key}`, 'must be a list');
    return v.map((item, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) fail(file, undefined, `drift.${key}[${i}]`, 'must be a mapping');
      return item as Record<string, Json>;
    });
  };

  const ignore = list('ignore').map((item, i): IgnoreRule => {
    const field = `drift.ignore[${i}]`;
    const tag = optionalString(file, item, 'tag', field);
    let attribute = optionalString(file, item, 'attribute', field);
    if (tag !== undefined) {
      if (attribute !== undefined) fail(file, undefined, field, 'give either attribute or tag, not both');
      attribute = `tags.${tag}`;
    }
    const until = optionalString(file, item, 'until', field);
    if (until !== undefined && !DATE.test(until)) fail(file, undefined, `${field}.until`, `'${until}' is not a date (YYYY-MM-DD)`);
    const rule: IgnoreRule = {
      type: optionalString(file, item, 'type', field),
      address: optionalString(file, item, 'address', field),
      attribute,
      reason: optionalString(file, item, 'reason', field),
      until,
    };
    if (!rule.type && !rule.address && !rule.attribute) fail(file, undefined, field, 'needs at least one of type, address, attribute, tag');
    return rule;
  });

  const severity = list('severity').map((item, i): SeverityRule => {
    const field = `drift.severity[${i}]`;
    const level = optionalString(file, item, 'level', field);
    if (!level || !LEVELS.includes(level as Severity)) fail(file, undefined, `${field}.level`, `must be one of ${LEVELS.join(', ')}`);
    return {
      type: optionalString(file, item, 'type', field),
      address: optionalString(file, item, 'address', field),
      attribute: optionalString(file, item, 'attribute', field),
      level: level as Severity,
    };
  });

  let unmanagedTags: Record<string, string> | undefined;
  const unmanaged = d.unmanaged as Json;
  if (unmanaged !== undefined && unmanaged !== null) {
    const tags = (unmanaged as Record<string, Json>).tags;
    if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) fail(file, undefined, 'drift.unmanaged.tags', 'must be a mapping of tag → value');
    unmanagedTags = Object.fromEntries(Object.entries(tags as Record<string, Json>).map(([k, v]) => [k, String(v)]));
  }

  const awsRaw = (top.aws ?? {}) as Json;
  if (typeof awsRaw !== 'object' || awsRaw === null || Array.isArray(awsRaw)) fail(file, undefined, 'aws', 'must be a mapping');
  const a = awsRaw as Record<string, Json>;
  return {
    ignore,
    severity,
    unmanagedTags,
    aws: { profile: optionalString(file, a, 'profile', 'aws'), region: optionalString(file, a, 'region', 'aws'), endpoint: optionalString(file, a, 'endpoint', 'aws') },
  };
}
