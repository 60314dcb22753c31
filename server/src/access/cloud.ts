// What the broker needs from the cloud, as an interface so the broker logic does not depend on the
// SDK. aws-cloud.ts implements it with the AWS SDK against whatever endpoint the environment names.
import type { CloudEvent } from '../cloud/cloudtrail';

export interface AccessCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO time. */
  expiration: string;
}

export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  sourceIdentity: string;
  tags: Record<string, string>;
  durationSeconds: number;
  /** Inline session policy: the effective permissions are the role's intersected with it. */
  policy?: string;
}

/** The CloudTrail event type lives with the one CloudTrail reader (cloud/cloudtrail.ts). */
export type { CloudEvent };

/** A presigned STS GetCallerIdentity request built by the client. */
export interface IdentityProof {
  url: string;
  headers: Record<string, string>;
}

export interface AccessCloud {
  assumeRole(input: AssumeRoleInput): Promise<AccessCredentials>;
  putRolePolicy(roleName: string, policyName: string, document: string): Promise<void>;
  /** Succeeds when the policy is already gone. */
  deleteRolePolicy(roleName: string, policyName: string): Promise<void>;
  lookupEvents(input: { sessionName: string; start: Date; end: Date }): Promise<CloudEvent[]>;
  /** Executes the client's presigned request against the broker's own STS endpoint; returns the proven ARN. */
  executeIdentityProof(proof: IdentityProof): Promise<{ arn: string; account: string }>;
  /** Origin the broker accepts presigned requests for, e.g. `https://sts.us-east-1.amazonaws.com`. */
  readonly stsEndpoint: string;
  readonly region: string;
}

export class CloudError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
