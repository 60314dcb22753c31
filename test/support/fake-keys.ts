// Access key ids for identities that exist only in a test's sandbox (or nowhere): random, shaped as
// AWS shapes them, so no key-like literal sits in the test code.
import { randomBytes } from 'node:crypto';

export function fakeKeyId(prefix: 'AKIA' | 'ASIA' = 'ASIA'): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return prefix + [...randomBytes(16)].map((b) => alphabet[b % 32]).join('');
}
