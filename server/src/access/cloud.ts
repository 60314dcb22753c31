// What the broker needs from the cloud, as an interface so the broker logic does not depend on the
// SDK. aws-cloud.ts implements it with the AWS SDK against whatever endpoint the environment names.

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

/** A CloudTrail event reduced to what the timeline needs; `accessKeyId` is used for matching only, never stored. */
export interface CloudEvent {
  eventId: string;
  at: string;
  eventSource: string;
  eventName: string;
  principalArn?: string;
  sourceIdentity?: string;
  accessKeyId?: string;
  readOnly?: boolean;
  errorCode?: string;
  resources: string[];
  /** Top-level names of requestParameters: which attribute a many-attribute call (ModifyInstanceAttribute) set. */
  parameterNames?: string[];
  /** CloudTrail's userAgent (which client, and for the aws CLI v2 which command, made the call). */
  userAgent?: string;
}

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
