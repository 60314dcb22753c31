// The deny that ends one grant's already-issued credentials without touching anyone else's — not even
// the same person's other grants (an extension, a concurrent request). It selects the ended grant's
// sessions by their session name: for an assumed-role session `aws:userid` is
// `<role id>:<role session name>`, and the broker names every session `tidemark-<grant>`. Session
// names cannot contain `:`, so `*:tidemark-<grant>` matches that grant's sessions and no other.
// (The console's "revoke active sessions" denies every session of the role; ours must not.)

export function revokePolicyName(grantId: string): string {
  return `tidemark-revoke-${grantId}`;
}

/** The STS role session name the broker gives every session of a grant. */
export function grantSessionName(grantId: string): string {
  return `tidemark-${grantId}`;
}

/**
 * Session tokens carry an issue time with whole-second precision, so the cutoff is the next whole
 * second after the end: every token issued up to `endedAt` is strictly before it.
 */
export function revokeCutoff(endedAt: Date): Date {
  return new Date(Math.floor(endedAt.getTime() / 1000) * 1000 + 1000);
}

/** Grant ids are generated from a fixed alphabet; refuse anything that could act as a wildcard. */
const GRANT_ID = /^[A-Za-z0-9-]+$/;

export function revokePolicyDocument(grantId: string, cutoff: Date): string {
  if (!GRANT_ID.test(grantId)) throw new Error(`grant id '${grantId}' cannot be used in a revoke policy`);
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TidemarkRevokeGrantSessions',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: {
          StringLike: { 'aws:userid': `*:${grantSessionName(grantId)}` },
          // Belt and braces: nothing the broker issues for this grant after its end can be caught.
          DateLessThan: { 'aws:TokenIssueTime': cutoff.toISOString().replace('.000Z', 'Z') },
        },
      },
    ],
  });
}

/** Role name from `arn:aws:iam::123456789012:role/path/name`. */
export function roleNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
