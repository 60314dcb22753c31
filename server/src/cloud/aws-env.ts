// Which profile, region and endpoints to use, following the `aws` CLI's precedence:
// explicit setting/flag > service-specific env endpoint > global env endpoint; profile from the
// setting or AWS_PROFILE; region from the setting, the provider block, AWS_REGION, AWS_DEFAULT_REGION,
// and finally the profile's config (resolved by the SDK itself).

export type AwsService = 'ec2' | 's3' | 'iam' | 'sts' | 'tagging' | 'cloudtrail' | 'logs' | 'kms' | 'route53' | 'ssm' | 'ecr' | 'sqs' | 'autoscaling' | 'elbv2' | 'events'
  | 'ecs' | 'appautoscaling' | 'secretsmanager' | 'sns' | 'cloudwatch' | 'rds' | 'dynamodb' | 'elasticache' | 'lambda' | 'acm' | 'cloudfront' | 'wafv2' | 'eks' | 's3control' | 'apigatewayv2';

/** The `AWS_ENDPOINT_URL_<SERVICE>` suffix for each service (AWS's documented service identifiers). */
const ENDPOINT_ENV: Record<AwsService, string> = {
  ec2: 'EC2',
  s3: 'S3',
  iam: 'IAM',
  sts: 'STS',
  tagging: 'RESOURCE_GROUPS_TAGGING_API',
  cloudtrail: 'CLOUDTRAIL',
  logs: 'CLOUDWATCH_LOGS',
  kms: 'KMS',
  route53: 'ROUTE_53',
  ssm: 'SSM',
  ecr: 'ECR',
  sqs: 'SQS',
  autoscaling: 'AUTO_SCALING',
  elbv2: 'ELASTIC_LOAD_BALANCING_V2',
  events: 'EVENTBRIDGE',
  ecs: 'ECS',
  appautoscaling: 'APPLICATION_AUTO_SCALING',
  secretsmanager: 'SECRETS_MANAGER',
  sns: 'SNS',
  cloudwatch: 'CLOUDWATCH',
  rds: 'RDS',
  dynamodb: 'DYNAMODB',
  elasticache: 'ELASTICACHE',
  lambda: 'LAMBDA',
  acm: 'ACM',
  cloudfront: 'CLOUDFRONT',
  wafv2: 'WAFV2',
  eks: 'EKS',
  s3control: 'S3_CONTROL',
  apigatewayv2: 'APIGATEWAYV2',
};

export const SERVICES: readonly AwsService[] = ['ec2', 's3', 'iam', 'sts', 'tagging', 'cloudtrail', 'logs', 'kms', 'route53', 'ssm', 'ecr', 'sqs', 'autoscaling', 'elbv2', 'events', 'ecs', 'appautoscaling', 'secretsmanager', 'sns', 'cloudwatch', 'rds', 'dynamodb', 'elasticache', 'lambda', 'acm', 'cloudfront', 'wafv2', 'eks', 's3control', 'apigatewayv2'];

export interface AwsSettings {
  /** `tidemark.aws.profile` setting or `--profile`. */
  profile?: string;
  /** `tidemark.aws.region` setting or `--region`. */
  region?: string;
  /** `tidemark.aws.endpoint` setting or `--endpoint-url`: one endpoint for every service. */
  endpoint?: string;
}

export interface AwsTarget {
  profile?: string;
  /** Undefined when only the SDK's profile lookup can tell. */
  region?: string;
  endpoints: Partial<Record<AwsService, string>>;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() ? v.trim() : undefined;
}

export function resolveAwsTarget(settings: AwsSettings, env: NodeJS.ProcessEnv, providerRegion?: string): AwsTarget {
  const endpoints: Partial<Record<AwsService, string>> = {};
  const ignoreEnv = /^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '');
  for (const service of SERVICES) {
    const url =
      nonEmpty(settings.endpoint) ??
      (ignoreEnv ? undefined : nonEmpty(env[`AWS_ENDPOINT_URL_${ENDPOINT_ENV[service]}`]) ?? nonEmpty(env.AWS_ENDPOINT_URL));
    if (url) endpoints[service] = url;
  }
  return {
    profile: nonEmpty(settings.profile) ?? nonEmpty(env.AWS_PROFILE),
    region: nonEmpty(settings.region) ?? nonEmpty(providerRegion) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION),
    endpoints,
  };
}

/** Rejects endpoint text that is not an http(s) URL, naming where it came from. */
export function validateEndpoints(target: AwsTarget): string | undefined {
  for (const [service, url] of Object.entries(target.endpoints)) {
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return `endpoint for ${service} '${url}' must be an http(s) URL`;
    } catch {
      return `endpoint for ${service} '${url}' is not a URL`;
    }
  }
  return undefined;
}
