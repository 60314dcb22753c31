// One sentence per drift, shared by `tidemark check`, SARIF and the editor's diagnostics.
import type { Drift } from '../model';
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

/** For sets of blocks (security group rules): what only live has, and what only the code has. */
function setDifference(declared: unknown[], live: unknown[]): string | undefined {
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

export function driftMessage(d: Drift): string {
  const where = d.attributePath.length ? `${d.address}: ${d.attributePath.join('.')}` : d.address;
  switch (d.kind) {
    case 'missing-live':
      return `${where} no longer exists in the cloud (${d.liveId ?? 'id unknown'})`;
    case 'unmanaged':
      return `${d.resourceType} ${d.liveId} is not managed by Terraform`;
    default: {
      const source = d.basis === 'state' ? 'in Terraform state' : 'in the configuration';
      if (Array.isArray(d.declared) && Array.isArray(d.live)) {
        const difference = setDifference(d.declared, d.live);
        if (difference) return `${where} differs from ${d.basis === 'state' ? 'Terraform state' : 'the configuration'}: ${difference}`;
      }
      return `${where} is ${brief(d.live)} live but ${brief(d.declared)} ${source}`;
    }
  }
}
