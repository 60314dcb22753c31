// Identifier formats AWS uses, generated randomly for new objects and deterministically (from a
// seed) for objects a scenario implies but does not name, so restarts reproduce the same ids.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function fromBytes(bytes: Buffer, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i % bytes.length] as number) % alphabet.length];
  return out;
}

/** `i-0123456789abcdef0`-style id: prefix plus 17 hex digits. */
export function ec2Id(prefix: string, seed?: string): string {
  const hex = seed === undefined ? randomBytes(9).toString('hex') : createHash('sha256').update(seed).digest('hex');
  return `${prefix}-${hex.slice(0, 17)}`;
}

/** IAM unique ids: AIDA (user), AGPA (group), AROA (role), ANPA (policy), ASIA (temporary key) plus 16/17 characters. */
export function iamId(prefix: 'AIDA' | 'AGPA' | 'AIPA' | 'AKIA' | 'AROA' | 'ANPA' | 'ASIA', seed?: string): string {
  const bytes = seed === undefined ? randomBytes(24) : createHash('sha256').update(seed).digest();
  return prefix + fromBytes(bytes, UPPER_ALNUM, prefix === 'ASIA' || prefix === 'AKIA' ? 16 : 17);
}

export function secretKey(): string {
  return randomBytes(30).toString('base64').slice(0, 40);
}

export function sessionToken(): string {
  return 'IQoJb3JpZ2luX2VjE' + randomBytes(96).toString('base64');
}

export function requestId(): string {
  return randomUUID();
}

export function uuid(): string {
  return randomUUID();
}
