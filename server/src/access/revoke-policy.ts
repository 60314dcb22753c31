// The deny that ends one grant's already-issued credentials without touching anyone else's:
// scoped to the requester's SourceIdentity and to sessions issued before the cutoff. (The console's
// "revoke active sessions" denies every session of the role; ours must not.)

export function revokePolicyName(grantId: string): string {
  return `tidemark-revoke-${grantId}`;
}

/**
 * Session tokens carry an issue time with whole-second precision, so the cutoff is the next whole
 * second after the end: every token issued up to `endedAt` is strictly before it.
 */
export function revokeCutoff(endedAt: Date): Date {
  return new Date(Math.floor(endedAt.getTime() / 1000) * 1000 + 1000);
}

export function revokePolicyDocument(sourceIdentity: string, cutoff: Date): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TidemarkRevokeGrantSessions',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceIdentity': sourceIdentity },
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
