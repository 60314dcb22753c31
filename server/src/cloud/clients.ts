// SDK v3 clients for one account/region, sharing one credential provider (the standard chain:
// env, SSO, shared profiles, process, web identity, container/instance metadata).
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { KMSClient } from '@aws-sdk/client-kms';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { RDSClient } from '@aws-sdk/client-rds';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ACMClient } from '@aws-sdk/client-acm';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { EKSClient } from '@aws-sdk/client-eks';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { AwsTarget, validateEndpoints } from './aws-env';
import { CallGate, DEFAULT_GATE, GateOptions } from './call-gate';
import { AwsCallError, describeError } from './errors';

export interface AwsClients {
  region: string;
  ec2: EC2Client;
  s3: S3Client;
  iam: IAMClient;
  sts: STSClient;
  tagging: ResourceGroupsTaggingAPIClient;
  /** Change events for attribution (who changed a drifted resource). */
  cloudtrail: CloudTrailClient;
  logs: CloudWatchLogsClient;
  kms: KMSClient;
  route53: Route53Client;
  ssm: SSMClient;
  ecr: ECRClient;
  sqs: SQSClient;
  autoscaling: AutoScalingClient;
  elbv2: ElasticLoadBalancingV2Client;
  events: EventBridgeClient;
  ecs: ECSClient;
  appautoscaling: ApplicationAutoScalingClient;
  secretsmanager: SecretsManagerClient;
  sns: SNSClient;
  cloudwatch: CloudWatchClient;
  rds: RDSClient;
  dynamodb: DynamoDBClient;
  elasticache: ElastiCacheClient;
  lambda: LambdaClient;
  acm: ACMClient;
  cloudfront: CloudFrontClient;
  wafv2: WAFV2Client;
  /** WAFv2 for CLOUDFRONT-scoped web ACLs, which AWS serves from us-east-1 only. */
  wafv2Cloudfront: WAFV2Client;
  eks: EKSClient;
  /** S3 Control: account-level S3 settings (the account's public access block). */
  s3control: S3ControlClient;
  apigatewayv2: ApiGatewayV2Client;
  gate: CallGate;
  target: AwsTarget;
  /** The credentials every client above signs with (shared by region variants of the same identity). */
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export class AwsSetupError extends Error {}

/** Caches credentials until five minutes before they expire, so five clients resolve them once. */
export function shared(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (current) {
      const c = await current.catch(() => undefined);
      if (c && (!c.expiration || c.expiration.getTime() - Date.now() > 5 * 60_000)) return c;
    }
    current = provider();
    return current;
  };
}

export interface ClientOptions {
  gate?: GateOptions;
  /** Static credentials (tests); otherwise the standard chain with the target's profile. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** A gate made by the caller (e.g. one that already counts the credential calls it wraps). */
  callGate?: CallGate;
}

/** The SDK clients of AwsClients (everything else in it is plain data). */
type ClientName = Exclude<keyof AwsClients, 'region' | 'gate' | 'target' | 'credentials'>;

interface CommonConfig {
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  profile: string | undefined;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
}

/** How each client is made; each is made the first time it is used (createClients). */
const CLIENT_MAKERS: { [K in ClientName]: (common: CommonConfig, region: string, e: AwsTarget['endpoints']) => AwsClients[K] } = {
  ec2: (common, region, e) => new EC2Client({ ...common, region, endpoint: e.ec2 }),
  // Custom endpoints (sandbox, AWS-compatible clouds) rarely serve virtual-hosted bucket names.
  s3: (common, region, e) => new S3Client({ ...common, region, endpoint: e.s3, forcePathStyle: e.s3 !== undefined }),
  iam: (common, region, e) => new IAMClient({ ...common, region, endpoint: e.iam }),
  sts: (common, region, e) => new STSClient({ ...common, region, endpoint: e.sts }),
  tagging: (common, region, e) => new ResourceGroupsTaggingAPIClient({ ...common, region, endpoint: e.tagging }),
  cloudtrail: (common, region, e) => new CloudTrailClient({ ...common, region, endpoint: e.cloudtrail }),
  logs: (common, region, e) => new CloudWatchLogsClient({ ...common, region, endpoint: e.logs }),
  kms: (common, region, e) => new KMSClient({ ...common, region, endpoint: e.kms }),
  // Route 53 is global: its API lives in us-east-1 whatever the provider's region.
  route53: (common, region, e) => new Route53Client({ ...common, region: 'us-east-1', endpoint: e.route53 }),
  ssm: (common, region, e) => new SSMClient({ ...common, region, endpoint: e.ssm }),
  ecr: (common, region, e) => new ECRClient({ ...common, region, endpoint: e.ecr }),
  sqs: (common, region, e) => new SQSClient({ ...common, region, endpoint: e.sqs }),
  autoscaling: (common, region, e) => new AutoScalingClient({ ...common, region, endpoint: e.autoscaling }),
  elbv2: (common, region, e) => new ElasticLoadBalancingV2Client({ ...common, region, endpoint: e.elbv2 }),
  events: (common, region, e) => new EventBridgeClient({ ...common, region, endpoint: e.events }),
  ecs: (common, region, e) => new ECSClient({ ...common, region, endpoint: e.ecs }),
  appautoscaling: (common, region, e) => new ApplicationAutoScalingClient({ ...common, region, endpoint: e.appautoscaling }),
  secretsmanager: (common, region, e) => new SecretsManagerClient({ ...common, region, endpoint: e.secretsmanager }),
  sns: (common, region, e) => new SNSClient({ ...common, region, endpoint: e.sns }),
  cloudwatch: (common, region, e) => new CloudWatchClient({ ...common, region, endpoint: e.cloudwatch }),
  rds: (common, region, e) => new RDSClient({ ...common, region, endpoint: e.rds }),
  dynamodb: (common, region, e) => new DynamoDBClient({ ...common, region, endpoint: e.dynamodb }),
  elasticache: (common, region, e) => new ElastiCacheClient({ ...common, region, endpoint: e.elasticache }),
  lambda: (common, region, e) => new LambdaClient({ ...common, region, endpoint: e.lambda }),
  acm: (common, region, e) => new ACMClient({ ...common, region, endpoint: e.acm }),
  // CloudFront is global: its API is signed for us-east-1 whatever the provider's region.
  cloudfront: (common, region, e) => new CloudFrontClient({ ...common, region: 'us-east-1', endpoint: e.cloudfront }),
  wafv2: (common, region, e) => new WAFV2Client({ ...common, region, endpoint: e.wafv2 }),
  wafv2Cloudfront: (common, region, e) => new WAFV2Client({ ...common, region: 'us-east-1', endpoint: e.wafv2 }),
  eks: (common, region, e) => new EKSClient({ ...common, region, endpoint: e.eks }),
  s3control: (common, region, e) => s3ControlClient(common, region, e.s3control),
  apigatewayv2: (common, region, e) => new ApiGatewayV2Client({ ...common, region, endpoint: e.apigatewayv2 }),
};

export async function createClients(target: AwsTarget, options: ClientOptions = {}): Promise<AwsClients> {
  const bad = validateEndpoints(target);
  if (bad) throw new AwsSetupError(bad);
  const credentials = options.credentials ?? shared(fromNodeProviderChain(target.profile ? { profile: target.profile } : {}));
  const common: CommonConfig = {
    credentials,
    profile: target.profile,
    // Retries are the gate's job (adaptive, counted); the SDK makes exactly one attempt.
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  };
  let region = target.region;
  if (!region) {
    try {
      region = await new STSClient({ profile: target.profile }).config.region();
    } catch {
      region = undefined;
    }
  }
  if (!region) {
    throw new AwsSetupError('no AWS region: set AWS_REGION, the provider block\'s region, the profile\'s region, or tidemark.aws.region / --region');
  }
  const gate = options.callGate ?? new CallGate(options.gate ?? DEFAULT_GATE);
  const clients = { region, gate, target, credentials } as AwsClients;
  // Made on first use: a workspace of S3 buckets never loads (or configures) the EC2 client.
  for (const name of Object.keys(CLIENT_MAKERS) as ClientName[]) {
    let made: AwsClients[ClientName] | undefined;
    Object.defineProperty(clients, name, { enumerable: true, get: () => (made ??= CLIENT_MAKERS[name](common, region, target.endpoints)) });
  }
  return clients;
}

/**
 * S3 Control puts the account id in the host name (`{AccountId}.s3-control.…`), which a custom
 * endpoint (the sandbox, an IP address) cannot serve: there the request goes to the endpoint as
 * given, and the account id travels in the `x-amz-account-id` header it is always sent in.
 */
function s3ControlClient(common: ConstructorParameters<typeof S3ControlClient>[0] & object, region: string, endpoint: string | undefined): S3ControlClient {
  if (endpoint === undefined) return new S3ControlClient({ ...common, region });
  const url = new URL(endpoint);
  return new S3ControlClient({
    ...common, region, endpoint, disableHostPrefix: true,
    endpointProvider: () => ({ url, properties: { authSchemes: [{ name: 'sigv4', signingName: 's3', signingRegion: region, properties: {}, disableDoubleEncoding: true }] } }),
  });
}

/**
 * Loads the AWS SDK now rather than on first use. The bundle loads each SDK package when first touched
 * (esbuild.mjs), which keeps start-up short, but that first touch is synchronous and takes seconds on a busy
 * machine: a process others wait on (a broker) calls this before it answers anyone. One package per turn of
 * the event loop, so nothing else starves while it runs.
 */
export async function loadAwsSdk(): Promise<void> {
  if (typeof fromNodeProviderChain !== 'function') throw new AwsSetupError('the AWS SDK did not load'); // the touch loads it
  const common: CommonConfig = { credentials: { accessKeyId: '', secretAccessKey: '' }, profile: undefined, maxAttempts: 1, requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 } };
  for (const make of Object.values(CLIENT_MAKERS)) {
    make(common, 'us-east-1', {}); // a client is made without I/O; making one loads its package
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The region a shared-config profile names (the SDK's own lookup), or undefined. */
export async function profileRegion(profile: string | undefined): Promise<string | undefined> {
  try {
    return await new STSClient({ profile }).config.region();
  } catch {
    return undefined;
  }
}

export interface CallerIdentity {
  account: string;
  arn: string;
}

/** One STS call before the scan: proves the credentials work and names the account they belong to. */
export async function callerIdentity(clients: AwsClients): Promise<CallerIdentity> {
  try {
    const out = await clients.gate.call('sts:GetCallerIdentity', () => clients.sts.send(new GetCallerIdentityCommand({})));
    if (!out.Account || !out.Arn) throw new AwsSetupError('STS GetCallerIdentity returned no account');
    return { account: out.Account, arn: out.Arn };
  } catch (error) {
    throw setupError(error, clients);
  }
}

/** Turns a failed first call into a sentence that says what to fix. */
export function setupError(error: unknown, clients: Pick<AwsClients, 'target'>): Error {
  if (error instanceof AwsSetupError) return error;
  const failure = error instanceof AwsCallError ? error.failure : describeError(error);
  const where = clients.target.endpoints.sts ? ` at ${clients.target.endpoints.sts}` : '';
  const profile = clients.target.profile ? ` (profile '${clients.target.profile}')` : '';
  switch (failure.kind) {
    case 'credentials':
      return new AwsSetupError(`AWS credentials were rejected${profile}: ${failure.code}: ${failure.message}`);
    case 'unreachable':
      return new AwsSetupError(`cannot reach the AWS endpoint${where}: ${failure.code}: ${failure.message}`);
    default:
      if (/credential/i.test(failure.message) || failure.code === 'CredentialsProviderError') {
        return new AwsSetupError(`no usable AWS credentials${profile}: ${failure.message}`);
      }
      return new AwsSetupError(`AWS call failed${where}: ${failure.code}: ${failure.message}`);
  }
}
