// Which provider configuration a resource uses, as Terraform decides it: `provider = aws.west` on
// the resource, else the default configuration of the type's provider (the type name's prefix);
// a child module sees the configurations its call passes in `providers = { aws = aws.west }`, or,
// without that argument, inherits its parent's default (unaliased) configurations. Pure: the caller
// supplies each module's evaluated provider blocks. Turning a configuration into a concrete AWS
// target (region, profile, assume_role) is also here, so an unreadable one says why.
import type { Attribute, Block, Range, TopBlock } from '../model';
import type { Scope } from './expr-eval';
import { attributeValue } from './module-scope';
import { isObject, Unknown, Value } from './values';

/** A provider configuration address inside one module: local name and optional alias (`aws`, `aws.west`). */
export interface ProviderRef {
  local: string;
  alias?: string;
}

export function refKey(ref: ProviderRef): string {
  return ref.alias ? `${ref.local}.${ref.alias}` : ref.local;
}

const REF = /^"?([A-Za-z][\w-]*)(?:\.([A-Za-z][\w-]*))?"?$/;

/** `aws.west` (or the pre-0.12 quoted form `"aws.west"`) → a reference; anything else → undefined. */
export function parseProviderRef(text: string): ProviderRef | undefined {
  const m = REF.exec(text.trim());
  return m ? { local: m[1], ...(m[2] ? { alias: m[2] } : {}) } : undefined;
}

/** What a resource block asks for: its `provider` argument, or the default of its type's provider. */
export function resourceProviderRef(block: Block): { ref?: ProviderRef; attribute?: Attribute } {
  const attribute = block.attributes.find((a) => a.name === 'provider');
  if (attribute) return { ref: parseProviderRef(attribute.expression), attribute };
  const type = block.labels[0] ?? '';
  return { ref: { local: type.split('_')[0] ?? type } };
}

export interface AssumeRole {
  roleArn: Value;
  sessionName: Value;
  externalId: Value;
  durationSeconds: Value;
}

/** One `provider` block, evaluated in its module's scope (or Terraform's empty default when there is none). */
export interface ProviderConfig {
  /** `aws` or `aws.west`, as written in the module that declares it. */
  key: string;
  /** Module instance address where it is declared: '' for the root module. */
  module: string;
  /** Where the block is; absent for the implicit empty default configuration. */
  file?: string;
  range?: Range;
  region: Value;
  profile: Value;
  assumeRole?: AssumeRole;
  defaultTags: Value;
}

/** The provider blocks of one module, keyed by `local` or `local.alias`. */
export function providerConfigs(blocks: readonly TopBlock[], scope: Scope, module = ''): Map<string, ProviderConfig> {
  const out = new Map<string, ProviderConfig>();
  for (const b of blocks) {
    if (b.kind !== 'provider' || !b.labels[0]) continue;
    const arg = (name: string, from: Block = b): Value => {
      const a = from.attributes.find((x) => x.name === name);
      return a ? attributeValue(a, scope) : null;
    };
    const alias = arg('alias');
    const key = typeof alias === 'string' && alias ? `${b.labels[0]}.${alias}` : b.labels[0];
    const role = b.blocks.find((x) => x.type === 'assume_role');
    const defaultTags = b.blocks.find((x) => x.type === 'default_tags');
    out.set(key, {
      key, module, file: b.file, range: b.headerRange,
      region: arg('region'),
      profile: arg('profile'),
      ...(role ? { assumeRole: { roleArn: arg('role_arn', role), sessionName: arg('session_name', role), externalId: arg('external_id', role), durationSeconds: arg('duration', role) ?? arg('duration_seconds', role) } } : {}),
      defaultTags: defaultTags ? arg('tags', defaultTags) ?? {} : {},
    });
  }
  return out;
}

/** One module instance on the path from the root to a resource. */
export interface ModuleFrame {
  /** '' for the root module, `module.app["blue"]` for a child instance. */
  address: string;
  /** The module's own provider blocks (see providerConfigs). */
  providers: ReadonlyMap<string, ProviderConfig>;
  /** The `module` block in the parent that created this instance; undefined for the root. */
  call?: TopBlock;
}

export type ProviderResolution =
  | { ok: true; config: ProviderConfig }
  | { ok: false; reason: string; file?: string; range?: Range };

/**
 * `providers = { aws = aws.west, aws.east = aws }` → child key → parent reference. Undefined when
 * the text is not such a map (then nothing is passed that Tidemark could trust).
 */
export function parseProvidersMap(expression: string): Map<string, ProviderRef> | undefined {
  const body = /^\s*\{([\s\S]*)\}\s*$/.exec(expression)?.[1];
  if (body === undefined) return undefined;
  const out = new Map<string, ProviderRef>();
  for (const item of body.split(/[\n,]/).map((s) => s.replace(/(#|\/\/).*$/, '').trim()).filter(Boolean)) {
    const m = /^("?[\w.-]+"?)\s*[=:]\s*(.+)$/.exec(item);
    const child = m && parseProviderRef(m[1]);
    const parent = m && parseProviderRef(m[2]);
    if (!child || !parent) return undefined;
    out.set(refKey(child), parent);
  }
  return out;
}

function where(file: string | undefined, range: Range | undefined, rel: (file: string) => string = (f) => f): string {
  return file ? ` (${rel(file)}:${(range?.start.line ?? 0) + 1})` : '';
}

/**
 * The configuration `ref` names in the innermost frame of `frames` (root first). A reference that
 * resolves nowhere (an alias never defined, a module call that does not pass it) is a failure with
 * the reason and the place to fix it, never a guess.
 */
export function resolveProvider(frames: readonly ModuleFrame[], ref: ProviderRef, rel: (file: string) => string = (f) => f): ProviderResolution {
  let current = ref;
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i];
    const key = refKey(current);
    const own = frame.providers.get(key);
    if (own) return { ok: true, config: own };
    if (i === 0) {
      // The root: an unaliased provider without a block has Terraform's empty configuration.
      if (!current.alias) return { ok: true, config: { key, module: '', region: null, profile: null, defaultTags: {} } };
      const defined = [...frame.providers.keys()].filter((k) => k.startsWith(`${current.local}.`));
      return { ok: false, reason: `provider ${key} is not defined: no provider "${current.local}" block has alias = "${current.alias}"${defined.length ? ` (defined: ${defined.join(', ')})` : ''}` };
    }
    const call = frame.call;
    const passed = call?.attributes.find((a) => a.name === 'providers');
    const label = frame.address || `module.${call?.labels[0] ?? '?'}`;
    if (passed) {
      const map = parseProvidersMap(passed.expression);
      if (!map) return { ok: false, reason: `${label}: its providers argument is not a map of provider references`, file: passed.file ?? call?.file, range: passed.range };
      const parent = map.get(key);
      // With a providers argument, the child sees only what it lists: nothing is inherited.
      if (!parent) return { ok: false, reason: `${label} uses provider ${key}, but its call's providers argument does not pass it${where(passed.file ?? call?.file, passed.range, rel)}`, file: passed.file ?? call?.file, range: passed.range };
      current = parent;
      continue;
    }
    if (current.alias) {
      return { ok: false, reason: `${label} uses provider ${key}, but its call has no providers argument to pass it${where(call?.file, call?.headerRange, rel)}`, file: call?.file, range: call?.headerRange };
    }
    // No providers argument: the default configuration is inherited from the parent.
  }
  return { ok: false, reason: `provider ${refKey(ref)} could not be resolved` };
}

/** What the reader needs to build clients for one provider configuration. */
export interface ProviderTarget {
  region?: string;
  profile?: string;
  assumeRole?: { roleArn: string; sessionName?: string; externalId?: string; durationSeconds?: number };
}

/** Equal targets share clients and batches: the identity is everything that changes the calls. */
export function targetKey(t: ProviderTarget): string {
  return JSON.stringify([t.region ?? '', t.profile ?? '', t.assumeRole?.roleArn ?? '', t.assumeRole?.sessionName ?? '', t.assumeRole?.externalId ?? '', t.assumeRole?.durationSeconds ?? '']);
}

export function describeConfig(config: ProviderConfig, rel: (file: string) => string = (f) => f): string {
  return `provider ${config.module ? `${config.module}.` : ''}${config.key}${where(config.file && rel(config.file), config.range)}`;
}

/** Go duration text (`1h`, `15m30s`) or a number of seconds → seconds; undefined when not one. */
function durationSeconds(v: Value): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  if (typeof v !== 'string') return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v.trim());
  if (!m || !v.trim()) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/**
 * The concrete target of a configuration, or why it cannot be read. An unset region stays
 * undefined (the caller falls back to AWS_REGION / the profile, as the provider does).
 */
export function providerTarget(config: ProviderConfig, rel?: (file: string) => string): { ok: true; target: ProviderTarget } | { ok: false; reason: string } {
  const name = describeConfig(config, rel);
  const text = (v: Value, arg: string): string | undefined | Unknown => {
    if (v instanceof Unknown) return new Unknown(`${name}: ${arg} is not known (${v.reason})`);
    if (v === null || v === undefined) return undefined;
    if (typeof v !== 'string') return new Unknown(`${name}: ${arg} is not a string`);
    return v.trim() === '' ? undefined : v;
  };
  const region = text(config.region, 'region');
  if (region instanceof Unknown) return { ok: false, reason: region.reason };
  const profile = text(config.profile, 'profile');
  if (profile instanceof Unknown) return { ok: false, reason: profile.reason };
  const target: ProviderTarget = { ...(region ? { region } : {}), ...(profile ? { profile } : {}) };
  if (config.assumeRole) {
    const r = config.assumeRole;
    const roleArn = text(r.roleArn, 'assume_role.role_arn');
    if (roleArn instanceof Unknown) return { ok: false, reason: roleArn.reason };
    const sessionName = text(r.sessionName, 'assume_role.session_name');
    if (sessionName instanceof Unknown) return { ok: false, reason: sessionName.reason };
    const externalId = text(r.externalId, 'assume_role.external_id');
    if (externalId instanceof Unknown) return { ok: false, reason: externalId.reason };
    let seconds: number | undefined;
    if (r.durationSeconds !== null && r.durationSeconds !== undefined) {
      seconds = durationSeconds(r.durationSeconds);
      if (seconds === undefined) return { ok: false, reason: `${name}: assume_role.duration is not a duration` };
    }
    // An empty role_arn turns role assumption off (a common `var.role_arn` default).
    if (roleArn) target.assumeRole = { roleArn, ...(sessionName ? { sessionName } : {}), ...(externalId ? { externalId } : {}), ...(seconds ? { durationSeconds: seconds } : {}) };
  }
  return { ok: true, target };
}

/** The default_tags of a configuration as a plain map, or undefined when not literal strings. */
export function literalDefaultTags(config: ProviderConfig | undefined): Record<string, string> | undefined {
  const tags = config?.defaultTags;
  const literal = isObject(tags) && Object.keys(tags).length > 0 && Object.values(tags).every((v) => typeof v === 'string');
  return literal ? (tags as Record<string, string>) : undefined;
}

/**
 * The configuration a state instance was last applied with, from the state's `provider` field:
 * `provider["registry.terraform.io/hashicorp/aws"].west` or `module.net.provider["…/aws"]`.
 */
export function parseStateProvider(text: string): { module: string; local: string; alias?: string } | undefined {
  const m = /^(?:(.*)\.)?provider\["([^"]+)"\](?:\.([A-Za-z][\w-]*))?$/.exec(text);
  if (!m) return undefined;
  const local = m[2].split('/').pop() ?? m[2];
  return { module: m[1] ?? '', local, ...(m[3] ? { alias: m[3] } : {}) };
}
