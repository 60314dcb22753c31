// AccessCloud over the AWS SDK v3. Endpoints and credentials come from the default chain
// (AWS_ENDPOINT_URL[_STS|_IAM|_CLOUDTRAIL], AWS_PROFILE, AWS_ACCESS_KEY_ID, …): no special cases.
// Endpoints are read from the env passed in, so an in-process broker can target another cloud.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { lookupPages, paceFor, retrying, toCloudEvent, TrailReader } from '../cloud/cloudtrail';
import { AccessCloud, AccessCredentials, AssumeRoleInput, CloudError, CloudEvent, IdentityProof } from './cloud';
import { awsRegion, serviceEndpoint, stsEndpoint } from './endpoints';

function cloudError(error: unknown, what: string): CloudError {
  const e = error as { name?: string; Code?: string; message?: string };
  const code = e.Code ?? e.name ?? 'Error';
  return new CloudError(code, `${what}: ${code}: ${e.message ?? String(error)}`);
}

/** Pulls one element's text out of STS's small XML answers (no XML parser dependency needed). */
function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m?.[1];
}

export function awsCloud(env: NodeJS.ProcessEnv = process.env, credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider): AccessCloud {
  const region = awsRegion(env);
  const sts = new STSClient({ region, credentials, endpoint: serviceEndpoint(env, 'STS') });
  const iam = new IAMClient({ region, credentials, endpoint: serviceEndpoint(env, 'IAM') });
  // LookupEvents allows 2 calls per second per account, shared with every other reader (consoles,
  // SIEMs, other brokers): the shared pace spaces the calls and backs off when throttled, and the
  // retry policy (not the SDK's) tries each page up to 6 times, so every attempt is paced.
  const trailEndpoint = serviceEndpoint(env, 'CLOUDTRAIL');
  const trail: TrailReader = {
    client: new CloudTrailClient({ region, credentials, endpoint: trailEndpoint, maxAttempts: 1 }),
    pace: paceFor(trailEndpoint, region),
    call: retrying(6),
  };
  const endpoint = stsEndpoint(env);
  return {
    stsEndpoint: endpoint,
    region,
    async assumeRole(input: AssumeRoleInput): Promise<AccessCredentials> {
      try {
        const out = await sts.send(new AssumeRoleCommand({
          RoleArn: input.roleArn,
          RoleSessionName: input.sessionName,
          SourceIdentity: input.sourceIdentity,
          Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
          DurationSeconds: input.durationSeconds,
          ...(input.policy !== undefined ? { Policy: input.policy } : {}),
        }));
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new CloudError('IncompleteCredentials', 'STS AssumeRole returned no credentials');
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: new Date(c.Expiration).toISOString() };
      } catch (error) {
        if (error instanceof CloudError) throw error;
        throw cloudError(error, `AssumeRole ${input.roleArn}`);
      }
    },
    async putRolePolicy(roleName, policyName, document) {
      try {
        await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: document }));
      } catch (error) {
        throw cloudError(error, `PutRolePolicy ${roleName}/${policyName}`);
      }
    },
    async deleteRolePolicy(roleName, policyName) {
      try {
        await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchEntityException' || (error as { name?: string }).name === 'NoSuchEntity') return;
        throw cloudError(error, `DeleteRolePolicy ${roleName}/${policyName}`);
      }
    },
    async lookupEvents({ sessionName, start, end }) {
      const events: CloudEvent[] = [];
      // CloudTrail pages hold 50 events; 20 pages is far beyond one grant's activity in practice.
      let pages = 0;
      try {
        for await (const page of lookupPages(trail, { attribute: { key: 'Username', value: sessionName }, start, end })) {
          for (const record of page.records) events.push(toCloudEvent(record));
          if (++pages >= 20) break;
        }
      } catch (error) {
        throw cloudError(error, 'CloudTrail LookupEvents');
      }
      return events;
    },
    async executeIdentityProof(proof: IdentityProof) {
      let response: Response;
      try {
        response = await fetch(proof.url, { method: 'GET', headers: proof.headers, redirect: 'error', signal: AbortSignal.timeout(10_000) });
      } catch (error) {
        throw new CloudError('StsUnreachable', `STS did not answer the identity proof: ${(error as Error).message}`);
      }
      const body = await response.text();
      if (!response.ok) {
        const code = xmlText(body, 'Code') ?? `HTTP${response.status}`;
        throw new CloudError(code, `STS refused the identity proof: ${code}`);
      }
      const arn = xmlText(body, 'Arn');
      const account = xmlText(body, 'Account');
      if (!arn || !account) throw new CloudError('MalformedResponse', 'STS GetCallerIdentity answer has no Arn');
      return { arn, account };
    },
  };
}
