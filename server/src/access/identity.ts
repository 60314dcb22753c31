// Identity proof, Vault-AWS-auth style: the client presigns STS GetCallerIdentity with its own
// credentials, binding the broker's audience and a one-time nonce into the signed headers; the
// broker checks the request is exactly that call, for itself, fresh and unused, then lets STS say
// whose signature it is. The broker never trusts a name sent by the client.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Provider } from '@smithy/types';
import { randomBytes } from 'node:crypto';
import { AccessCloud, CloudError, IdentityProof } from './cloud';
import { AccessError } from './errors';

export const AUDIENCE_HEADER = 'x-tidemark-broker';
export const NONCE_HEADER = 'x-tidemark-nonce';
/**
 * A proof is good for this long; short, because it is a bearer token until used. The broker refuses
 * a longer X-Amz-Expires (AWS would honour up to 7 days), and STS itself refuses the presigned call
 * after X-Amz-Date + X-Amz-Expires by AWS's clock.
 */
export const PROOF_LIFETIME_SECONDS = 60;
/** Allowed difference between the client's and the broker's clocks, both ways. */
export const CLOCK_SKEW_SECONDS = 30;

export interface ProofOptions {
  credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>;
  region: string;
  stsEndpoint: string;
  audience: string;
  now?: Date;
}

export async function createIdentityProof(o: ProofOptions): Promise<IdentityProof> {
  const url = new URL(o.stsEndpoint);
  const signer = new SignatureV4({ service: 'sts', region: o.region, credentials: o.credentials, sha256: Sha256 });
  const nonce = randomBytes(16).toString('hex');
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: url.host, [AUDIENCE_HEADER]: o.audience, [NONCE_HEADER]: nonce },
    },
    { expiresIn: PROOF_LIFETIME_SECONDS, signingDate: o.now },
  );
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(signed.query ?? {})) {
    for (const item of Array.isArray(v) ? v : [v]) if (item !== null && item !== undefined) query.append(k, item);
  }
  return {
    url: `${url.origin}/?${query.toString()}`,
    headers: { [AUDIENCE_HEADER]: o.audience, [NONCE_HEADER]: nonce },
  };
}

export class IdentityRefused extends Error {}

export interface VerifyOptions {
  audience: string;
  cloud: Pick<AccessCloud, 'executeIdentityProof' | 'stsEndpoint'>;
  now: Date;
  /** Records the nonce; false when it was used before. */
  useNonce(nonce: string, expiresAt: Date): Promise<boolean>;
}

const ALLOWED_QUERY = new Set(['Action', 'Version', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token']);

/** Parses `20261125T061121Z`. */
function amzDate(text: string | null): Date | undefined {
  const m = text && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

/** Checks the proof's shape and freshness, burns its nonce, then asks STS who signed it. */
export async function verifyIdentityProof(proof: unknown, o: VerifyOptions): Promise<{ arn: string; account: string }> {
  if (!proof || typeof proof !== 'object') throw new IdentityRefused('missing identity proof');
  const { url: rawUrl, headers } = proof as Partial<IdentityProof>;
  if (typeof rawUrl !== 'string' || !headers || typeof headers !== 'object') throw new IdentityRefused('identity proof must have url and headers');
  let url: URL;
  try { url = new URL(rawUrl); } catch { throw new IdentityRefused('identity proof url is not a URL'); }
  // Only ever call our own STS: the broker must not become a proxy for arbitrary requests.
  if (url.origin !== new URL(o.cloud.stsEndpoint).origin || url.pathname !== '/') {
    throw new IdentityRefused(`identity proof is signed for ${url.origin}${url.pathname}, this broker verifies with ${o.cloud.stsEndpoint}`);
  }
  const q = url.searchParams;
  for (const key of q.keys()) if (!ALLOWED_QUERY.has(key)) throw new IdentityRefused(`identity proof has unexpected parameter ${key}`);
  if (q.get('Action') !== 'GetCallerIdentity') throw new IdentityRefused('identity proof must be an STS GetCallerIdentity request');
  const signedHeaders = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
  for (const h of ['host', AUDIENCE_HEADER, NONCE_HEADER]) if (!signedHeaders.includes(h)) throw new IdentityRefused(`identity proof does not sign ${h}`);
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  if (lower[AUDIENCE_HEADER] !== o.audience) throw new IdentityRefused('identity proof was made for another broker');
  const nonce = lower[NONCE_HEADER];
  if (!nonce || !/^[0-9a-f]{32}$/.test(nonce)) throw new IdentityRefused('identity proof has no valid nonce');
  const signedAt = amzDate(q.get('X-Amz-Date'));
  const expires = Number(q.get('X-Amz-Expires'));
  if (!signedAt || !Number.isInteger(expires) || expires <= 0) throw new IdentityRefused('identity proof has no valid X-Amz-Date/X-Amz-Expires');
  if (expires > PROOF_LIFETIME_SECONDS) throw new IdentityRefused(`identity proof lives too long (X-Amz-Expires ${expires} s; at most ${PROOF_LIFETIME_SECONDS} s)`);
  const now = o.now.getTime();
  if (signedAt.getTime() > now + CLOCK_SKEW_SECONDS * 1000) throw new IdentityRefused('identity proof is dated in the future');
  const expiresAt = new Date(signedAt.getTime() + expires * 1000);
  // The same skew allowance both ways: a broker whose clock runs ahead must not refuse fresh proofs.
  if (expiresAt.getTime() + CLOCK_SKEW_SECONDS * 1000 < now) throw new IdentityRefused('identity proof has expired');
  if (!(await o.useNonce(nonce, new Date(expiresAt.getTime() + CLOCK_SKEW_SECONDS * 1000)))) throw new IdentityRefused('identity proof was already used (replay)');
  const forward: Record<string, string> = { [AUDIENCE_HEADER]: o.audience, [NONCE_HEADER]: nonce };
  try {
    return await o.cloud.executeIdentityProof({ url: url.toString(), headers: forward }).catch((error: unknown) => {
      // A kept-alive connection that STS closed while this process was busy fails once; asking
      // again is harmless (GetCallerIdentity changes nothing, the nonce is already ours).
      if (error instanceof CloudError && error.code === 'StsUnreachable') return o.cloud.executeIdentityProof({ url: url.toString(), headers: forward });
      throw error;
    });
  } catch (error) {
    // Unreachable is not refused: nobody judged the proof, so it is no authentication failure.
    if (error instanceof CloudError && error.code === 'StsUnreachable') {
      throw new AccessError('unavailable', `could not reach STS at ${o.cloud.stsEndpoint} to check who you are (${error.message})`);
    }
    if (error instanceof CloudError) throw new IdentityRefused(`STS rejected the identity proof (${error.code})`);
    throw error;
  }
}
