// The audit head signed with an Ed25519 key the broker keeps outside the ledger. Someone who can
// write the database but not read the key cannot produce a signed head for a rewritten or rewound
// chain, so a signed head kept elsewhere (an export, a ticket, a commit) pins the chain up to it.
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ChainHead } from './audit-chain';
import { canonicalJson } from './canonical-json';

export interface SignedHead extends ChainHead {
  /** When the broker read this head. */
  at: string;
  /** The broker it came from (its identity-proof audience). */
  audience: string;
  /** Base64 DER (SPKI) of the broker's Ed25519 public key; absent when the broker has no key. */
  publicKey?: string;
  /** Base64 Ed25519 signature over the canonical JSON of count, hash, at and audience. */
  signature?: string;
}

function signedBytes(h: Pick<SignedHead, 'count' | 'hash' | 'at' | 'audience'>): Buffer {
  return Buffer.from(canonicalJson({ count: h.count, hash: h.hash, at: h.at, audience: h.audience }), 'utf8');
}

export function publicKeyText(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
}

export function signHead(head: ChainHead, at: Date, audience: string, key: KeyObject | undefined): SignedHead {
  const body = { count: head.count, hash: head.hash, at: at.toISOString(), audience };
  if (!key) return body;
  return { ...body, publicKey: publicKeyText(key), signature: sign(null, signedBytes(body), key).toString('base64') };
}

/** Why a signed head is not to be trusted, or undefined when its signature holds for `publicKey`. */
export function headSignatureProblem(h: SignedHead, publicKey: string): string | undefined {
  if (!h.signature || !h.publicKey) return 'the head is not signed';
  if (h.publicKey !== publicKey) return 'the head was signed with another key than this broker\'s';
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    return verify(null, signedBytes(h), key, Buffer.from(h.signature, 'base64')) ? undefined : 'the head\'s signature does not match its content';
  } catch (error) {
    return `the head's key or signature is unreadable (${(error as Error).message})`;
  }
}

/** Reads the broker's signing key (PEM, PKCS#8 Ed25519); creates it (mode 0600) when `create` and absent. */
export function loadHeadKey(file: string, create: boolean): KeyObject {
  if (!existsSync(file)) {
    if (!create) throw new Error(`${file}: no audit signing key there`);
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not a PEM private key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: the audit signing key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}
