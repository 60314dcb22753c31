// One sentence per drift, shared by `tidemark check`, SARIF and the editor's diagnostics.
import type { Drift, SetDifference } from '../model';
import { canonicalJson } from './values';

const MAX = 120;

function clip(text: string): string {
  return text.length > MAX ? `${text.slice(0, MAX - 3)}...` : text;
}

function brief(value: unknown): string {
  return clip(typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null));
}

/** Drops entries that only say "nothing" (false, null, '', []), which providers and APIs fill in freely. */
function meaningful(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined && v !== false && v !== '' && !(Array.isArray(v) && v.length === 0)),
  );
}

/** A set element as people read it: `{protocol=tcp from_port=22 cidr_blocks=0.0.0.0/0}`. */
function element(value: unknown): string {
  const kept = meaningful(value);
  if (!kept || typeof kept !== 'object' || Array.isArray(kept)) return brief(kept);
  const parts = Object.entries(kept as Record<string, unknown>).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return `{${parts.join(' ')}}`;
}

/** For sets of blocks without phrases: what only live has, and what only the code has. */
function blockSetDifference(declared: unknown[], live: unknown[]): string | undefined {
  const key = (v: unknown) => canonicalJson(meaningful(v));
  const declaredKeys = new Set(declared.map(key));
  const liveKeys = new Set(live.map(key));
  const onlyLive = live.filter((v) => !declaredKeys.has(key(v)));
  const onlyDeclared = declared.filter((v) => !liveKeys.has(key(v)));
  if (onlyLive.length === 0 && onlyDeclared.length === 0) return undefined;
  const parts: string[] = [];
  if (onlyLive.length) parts.push(`live has ${onlyLive.length} not in the code: ${clip(onlyLive.map(element).join(', '))}`);
  if (onlyDeclared.length) parts.push(`the code has ${onlyDeclared.length} not live: ${clip(onlyDeclared.map(element).join(', '))}`);
  return parts.join('; ');
}

/** Two sets of phrases → what only live has, what only the code has, and what both have. */
export function setDifference(declared: readonly string[], live: readonly string[]): SetDifference {
  const inCode = new Set(declared);
  const inLive = new Set(live);
  const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
  return {
    added: sorted(live.filter((x) => !inCode.has(x))),
    removed: sorted(declared.filter((x) => !inLive.has(x))),
    kept: sorted(declared.filter((x) => inLive.has(x))),
  };
}

/** `+ tcp 22 from 0.0.0.0/0` (live only), `- tcp 443 from 10.0.0.0/8` (code only). */
export function differenceLines(d: SetDifference): string[] {
  return [...d.added.map((x) => `+ ${x}`), ...d.removed.map((x) => `- ${x}`)];
}

/** The difference in one short line: the first changes, then how many more. */
export function shortDifference(d: SetDifference, max = 2): string {
  const lines = differenceLines(d);
  const more = lines.length - max;
  return lines.slice(0, max).join(', ') + (more > 0 ? ` (+${more} more)` : '');
}

/** The whole set as a unified diff: unchanged elements indented, live-only `+`, code-only `-`. */
export function fullDifference(d: SetDifference): string {
  const rows = [...d.kept.map((x) => [x, ' ']), ...d.added.map((x) => [x, '+']), ...d.removed.map((x) => [x, '-'])] as Array<[string, string]>;
  return rows.sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1])).map(([x, mark]) => `${mark} ${x}`).join('\n');
}

export function driftMessage(d: Drift): string {
  const where = d.attributePath.length ? `${d.address}: ${d.attributePath.join('.')}` : d.address;
  switch (d.kind) {
    case 'missing-live':
      return `${where} no longer exists in the cloud (${d.liveId ?? 'id unknown'})`;
    case 'unmanaged':
      return `${d.resourceType} ${d.liveId} is not managed by Terraform`;
    default: {
      const source = d.basis === 'state' ? 'in Terraform state' : 'in the configuration';
      const against = d.basis === 'state' ? 'Terraform state' : 'the configuration';
      if (d.difference && (d.difference.added.length || d.difference.removed.length)) {
        // + live only, - only in the code: the rules that differ, not the ones both sides share.
        return `${where} differs from ${against}: ${clip(differenceLines(d.difference).join(', '))} (+ live only, - ${d.basis === 'state' ? 'state' : 'code'} only)`;
      }
      if (Array.isArray(d.declared) && Array.isArray(d.live)) {
        const difference = blockSetDifference(d.declared, d.live);
        if (difference) return `${where} differs from ${against}: ${difference}`;
      }
      return `${where} is ${brief(d.live)} live but ${brief(d.declared)} ${source}`;
    }
  }
}
