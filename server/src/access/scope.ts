// A grant's scope: the Terraform resources a change touches, resolved through state to live ARNs,
// turned into the inline session policy the broker passes on AssumeRole. The credentials' effective
// permissions are then the role's intersected with this policy — enforced by AWS, not by trust.
// Pure: addresses + state in, statements and packed text out; no I/O.
import type { GrantScope, ScopeOrigin, StateInstance } from '../model';

/** One scoped resource as the requester resolved it and the approvers see it. */
export type ScopeResource = GrantScope;

/** What a requester asks for before resolution: an address, optionally narrowed to tags, and where it came from. */
export interface ScopeRequest {
  address: string;
  tagsOnly?: boolean;
  origin?: ScopeOrigin;
}

export interface PolicyStatement {
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}

export class ScopeError extends Error {}

/**
 * What changing one resource type needs, on that resource's own ARN: the IAM actions of the API
 * calls that change its attributes (the calls the attribution table maps to attributes, and the
 * calls its revert writer makes — test/access/scope.test.ts checks the writers against this), its
 * tag actions, and reads that only make sense on it. A type missing here cannot be scoped: refusing
 * is better than guessing wider actions.
 */
interface TypeScope {
  writes: readonly string[];
  tags: readonly string[];
  /** Reads limited to the resource's ARN (where a `*` read would expose other resources' data). */
  readsOnArn?: readonly string[];
  /** The ARN the actions act on, when it is not the state's own `arn` (an S3 sub-resource acts on its bucket). */
  arn?: (attributes: Record<string, unknown>) => string | undefined;
}

const EC2_TAGS = ['ec2:CreateTags', 'ec2:DeleteTags'];
const S3_BUCKET_READS = ['s3:GetBucket*', 's3:GetEncryptionConfiguration', 's3:ListBucket'];
const bucketArn = (a: Record<string, unknown>): string | undefined => (typeof a.bucket === 'string' && a.bucket ? `arn:aws:s3:::${a.bucket}` : undefined);
const s3Part = (...writes: string[]): TypeScope => ({ writes, tags: [], readsOnArn: S3_BUCKET_READS, arn: bucketArn });

const ELB_TAGS = ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'];
const RDS_TAGS = ['rds:AddTagsToResource', 'rds:RemoveTagsFromResource'];
const ELASTICACHE_TAGS = ['elasticache:AddTagsToResource', 'elasticache:RemoveTagsFromResource'];
const ECS_TAGS = ['ecs:TagResource', 'ecs:UntagResource'];
const SECRET_TAGS = ['secretsmanager:TagResource', 'secretsmanager:UntagResource'];
const EKS_TAGS = ['eks:TagResource', 'eks:UntagResource'];
/** Some types' state `id` is their ARN (ECS services): the scope acts on it. */
const idArn = (a: Record<string, unknown>): string | undefined => (typeof a.id === 'string' && a.id.startsWith('arn:') ? a.id : undefined);
/** Route 53 ARNs carry neither region nor account: a record's changes act on its zone. */
const zoneArn = (a: Record<string, unknown>): string | undefined => (typeof a.zone_id === 'string' && a.zone_id ? `arn:aws:route53:::hostedzone/${a.zone_id}` : undefined);

const TYPES: Record<string, TypeScope> = {
  aws_instance: {
    writes: ['ec2:ModifyInstanceAttribute', 'ec2:ModifyInstanceMetadataOptions', 'ec2:StopInstances', 'ec2:StartInstances', 'ec2:MonitorInstances', 'ec2:UnmonitorInstances'],
    tags: EC2_TAGS,
  },
  aws_security_group: {
    writes: [
      'ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress',
      'ec2:UpdateSecurityGroupRuleDescriptionsIngress', 'ec2:UpdateSecurityGroupRuleDescriptionsEgress', 'ec2:ModifySecurityGroupRules',
    ],
    tags: EC2_TAGS,
  },
  aws_vpc: { writes: ['ec2:ModifyVpcAttribute'], tags: EC2_TAGS },
  aws_subnet: { writes: ['ec2:ModifySubnetAttribute'], tags: EC2_TAGS },
  aws_ebs_volume: { writes: ['ec2:ModifyVolume'], tags: EC2_TAGS },
  aws_route_table: { writes: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute', 'ec2:EnableVgwRoutePropagation', 'ec2:DisableVgwRoutePropagation'], tags: EC2_TAGS },
  aws_network_acl: { writes: ['ec2:CreateNetworkAclEntry', 'ec2:ReplaceNetworkAclEntry', 'ec2:DeleteNetworkAclEntry'], tags: EC2_TAGS },
  aws_s3_bucket: { writes: [], tags: ['s3:PutBucketTagging'], readsOnArn: S3_BUCKET_READS },
  aws_s3_bucket_versioning: s3Part('s3:PutBucketVersioning'),
  aws_s3_bucket_server_side_encryption_configuration: s3Part('s3:PutEncryptionConfiguration'),
  aws_s3_bucket_policy: s3Part('s3:PutBucketPolicy', 's3:DeleteBucketPolicy'),
  aws_s3_bucket_public_access_block: s3Part('s3:PutBucketPublicAccessBlock'),
  aws_s3_bucket_ownership_controls: s3Part('s3:PutBucketOwnershipControls'),
  aws_s3_bucket_logging: s3Part('s3:PutBucketLogging'),
  aws_s3_bucket_cors_configuration: s3Part('s3:PutBucketCORS'),
  aws_s3_bucket_website_configuration: s3Part('s3:PutBucketWebsite', 's3:DeleteBucketWebsite'),
  aws_iam_role: {
    writes: [
      'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary',
      'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy',
    ],
    tags: ['iam:TagRole', 'iam:UntagRole'],
  },
  aws_iam_user: {
    writes: ['iam:UpdateUser', 'iam:PutUserPermissionsBoundary', 'iam:DeleteUserPermissionsBoundary', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy', 'iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
    tags: ['iam:TagUser', 'iam:UntagUser'],
  },
  aws_iam_group: { writes: ['iam:UpdateGroup', 'iam:PutGroupPolicy', 'iam:DeleteGroupPolicy', 'iam:AttachGroupPolicy', 'iam:DetachGroupPolicy'], tags: [] },
  aws_iam_policy: { writes: ['iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'], tags: ['iam:TagPolicy', 'iam:UntagPolicy'] },
  aws_iam_openid_connect_provider: {
    writes: ['iam:AddClientIDToOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint'],
    tags: ['iam:TagOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider'],
  },
  aws_kms_key: {
    writes: ['kms:UpdateKeyDescription', 'kms:PutKeyPolicy', 'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:EnableKey', 'kms:DisableKey'],
    tags: ['kms:TagResource', 'kms:UntagResource'],
  },
  aws_ecr_repository: { writes: ['ecr:PutImageTagMutability', 'ecr:PutImageScanningConfiguration'], tags: ['ecr:TagResource', 'ecr:UntagResource'] },
  aws_ssm_parameter: { writes: ['ssm:PutParameter'], tags: ['ssm:AddTagsToResource', 'ssm:RemoveTagsFromResource'], readsOnArn: ['ssm:GetParameter', 'ssm:GetParameters'] },
  aws_route53_zone: { writes: ['route53:UpdateHostedZoneComment', 'route53:ChangeResourceRecordSets'], tags: ['route53:ChangeTagsForResource'] },
  aws_sqs_queue: { writes: ['sqs:SetQueueAttributes'], tags: ['sqs:TagQueue', 'sqs:UntagQueue'] },
  aws_cloudwatch_event_bus: { writes: ['events:UpdateEventBus'], tags: ['events:TagResource', 'events:UntagResource'] },
  aws_cloudwatch_event_rule: { writes: ['events:PutRule'], tags: ['events:TagResource', 'events:UntagResource'] },
  aws_sns_topic: { writes: ['sns:SetTopicAttributes'], tags: ['sns:TagResource', 'sns:UntagResource'] },
  aws_sns_topic_policy: { writes: ['sns:SetTopicAttributes'], tags: [] },
  aws_cloudwatch_metric_alarm: { writes: ['cloudwatch:PutMetricAlarm', 'cloudwatch:EnableAlarmActions', 'cloudwatch:DisableAlarmActions'], tags: ['cloudwatch:TagResource', 'cloudwatch:UntagResource'] },
  aws_acm_certificate: { writes: ['acm:UpdateCertificateOptions'], tags: ['acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate'] },
  aws_cloudfront_distribution: { writes: ['cloudfront:UpdateDistribution'], tags: ['cloudfront:TagResource', 'cloudfront:UntagResource'], readsOnArn: ['cloudfront:GetDistributionConfig'] },
  aws_cloudfront_function: { writes: ['cloudfront:UpdateFunction', 'cloudfront:PublishFunction'], tags: [], readsOnArn: ['cloudfront:GetFunction'] },
  aws_cloudwatch_dashboard: { writes: ['cloudwatch:PutDashboard'], tags: [], arn: (a) => (typeof a.dashboard_arn === 'string' ? a.dashboard_arn : undefined) },
  aws_lambda_function: {
    writes: ['lambda:UpdateFunctionConfiguration', 'lambda:UpdateFunctionCode', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency'],
    tags: ['lambda:TagResource', 'lambda:UntagResource'],
  },
  aws_lambda_alias: { writes: ['lambda:UpdateAlias'], tags: [] },
  aws_lambda_function_url: { writes: ['lambda:UpdateFunctionUrlConfig'], tags: [], arn: (a) => (typeof a.function_arn === 'string' ? a.function_arn : undefined) },
  aws_launch_template: { writes: ['ec2:ModifyLaunchTemplate', 'ec2:CreateLaunchTemplateVersion'], tags: EC2_TAGS },
  aws_network_interface: { writes: ['ec2:ModifyNetworkInterfaceAttribute'], tags: EC2_TAGS },
  aws_vpc_endpoint: { writes: ['ec2:ModifyVpcEndpoint'], tags: EC2_TAGS },
  aws_ec2_managed_prefix_list: { writes: ['ec2:ModifyManagedPrefixList'], tags: EC2_TAGS },
  aws_placement_group: { writes: [], tags: EC2_TAGS },
  aws_lb: {
    writes: ['elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:SetIpAddressType'],
    tags: ELB_TAGS,
  },
  aws_lb_listener: { writes: ['elasticloadbalancing:ModifyListener'], tags: ELB_TAGS },
  aws_lb_listener_rule: { writes: ['elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'], tags: ELB_TAGS },
  aws_lb_target_group: { writes: ['elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes'], tags: ELB_TAGS },
  aws_ecs_cluster: { writes: ['ecs:UpdateCluster', 'ecs:UpdateClusterSettings'], tags: ECS_TAGS },
  aws_ecs_service: { writes: ['ecs:UpdateService'], tags: ECS_TAGS, arn: idArn },
  aws_autoscaling_group: {
    writes: [
      'autoscaling:UpdateAutoScalingGroup', 'autoscaling:SuspendProcesses', 'autoscaling:ResumeProcesses',
      'autoscaling:AttachLoadBalancerTargetGroups', 'autoscaling:DetachLoadBalancerTargetGroups',
    ],
    tags: ['autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'],
  },
  aws_dynamodb_table: { writes: ['dynamodb:UpdateTable', 'dynamodb:UpdateContinuousBackups', 'dynamodb:UpdateTimeToLive'], tags: ['dynamodb:TagResource', 'dynamodb:UntagResource'] },
  aws_db_instance: { writes: ['rds:ModifyDBInstance'], tags: RDS_TAGS },
  aws_rds_cluster: { writes: ['rds:ModifyDBCluster'], tags: RDS_TAGS },
  aws_db_subnet_group: { writes: ['rds:ModifyDBSubnetGroup'], tags: RDS_TAGS },
  aws_rds_cluster_instance: { writes: ['rds:ModifyDBInstance'], tags: RDS_TAGS },
  aws_db_parameter_group: { writes: ['rds:ModifyDBParameterGroup', 'rds:ResetDBParameterGroup'], tags: RDS_TAGS },
  aws_rds_cluster_parameter_group: { writes: ['rds:ModifyDBClusterParameterGroup', 'rds:ResetDBClusterParameterGroup'], tags: RDS_TAGS },
  aws_elasticache_replication_group: { writes: ['elasticache:ModifyReplicationGroup'], tags: ELASTICACHE_TAGS },
  aws_elasticache_subnet_group: { writes: ['elasticache:ModifyCacheSubnetGroup'], tags: ELASTICACHE_TAGS },
  aws_elasticache_parameter_group: { writes: ['elasticache:ModifyCacheParameterGroup', 'elasticache:ResetCacheParameterGroup'], tags: ELASTICACHE_TAGS },
  aws_secretsmanager_secret: { writes: ['secretsmanager:UpdateSecret'], tags: SECRET_TAGS },
  aws_secretsmanager_secret_policy: {
    writes: ['secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy'],
    tags: [],
    arn: (a) => (typeof a.secret_arn === 'string' ? a.secret_arn : undefined),
  },
  aws_route53_record: { writes: ['route53:ChangeResourceRecordSets'], tags: [], arn: zoneArn },
  aws_wafv2_web_acl: { writes: ['wafv2:UpdateWebACL'], tags: ['wafv2:TagResource', 'wafv2:UntagResource'] },
  aws_eks_cluster: { writes: ['eks:UpdateClusterConfig', 'eks:UpdateClusterVersion'], tags: EKS_TAGS },
  aws_eks_node_group: { writes: ['eks:UpdateNodegroupConfig', 'eks:UpdateNodegroupVersion'], tags: EKS_TAGS },
  aws_eks_addon: { writes: ['eks:UpdateAddon'], tags: EKS_TAGS },
  aws_eks_access_entry: { writes: ['eks:UpdateAccessEntry'], tags: EKS_TAGS, arn: (a) => (typeof a.access_entry_arn === 'string' ? a.access_entry_arn : undefined) },
};

/**
 * Reads the work needs, per service, on `*`: EC2's Describe calls do not support resource-level
 * permissions, and listing is what finds the resource. Never a read of data (objects, parameter
 * values): those stay on the scoped ARNs (`readsOnArn`).
 */
const READS_ANYWHERE: Record<string, readonly string[]> = {
  ec2: ['ec2:Describe*'],
  s3: ['s3:ListAllMyBuckets'],
  iam: ['iam:Get*', 'iam:List*'],
  kms: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListAliases', 'kms:ListKeys', 'kms:ListResourceTags'],
  ecr: ['ecr:DescribeRepositories', 'ecr:ListTagsForResource'],
  ssm: ['ssm:DescribeParameters', 'ssm:ListTagsForResource'],
  sqs: ['sqs:GetQueueAttributes', 'sqs:ListQueueTags', 'sqs:ListQueues'],
  sns: ['sns:GetTopicAttributes', 'sns:GetSubscriptionAttributes', 'sns:ListTopics', 'sns:ListSubscriptionsByTopic', 'sns:ListTagsForResource'],
  events: ['events:DescribeRule', 'events:ListRules', 'events:ListEventBuses', 'events:ListTargetsByRule', 'events:ListTagsForResource'],
  acm: ['acm:DescribeCertificate', 'acm:ListTagsForCertificate', 'acm:ListCertificates'],
  cloudfront: ['cloudfront:ListDistributions', 'cloudfront:ListOriginAccessControls', 'cloudfront:ListFunctions', 'cloudfront:DescribeFunction', 'cloudfront:ListTagsForResource'],
  cloudwatch: ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource', 'cloudwatch:GetDashboard'],
  lambda: [
    'lambda:ListFunctions', 'lambda:ListTags', 'lambda:GetFunctionConcurrency', 'lambda:GetPolicy', 'lambda:ListAliases', 'lambda:ListFunctionUrlConfigs',
    'lambda:ListFunctionEventInvokeConfigs', 'lambda:ListEventSourceMappings',
  ],
  route53: ['route53:GetHostedZone', 'route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:ListTagsForResource', 'route53:GetChange'],
  elasticloadbalancing: ['elasticloadbalancing:Describe*'],
  ecs: ['ecs:DescribeClusters', 'ecs:DescribeServices', 'ecs:ListServices', 'ecs:ListTagsForResource'],
  autoscaling: ['autoscaling:Describe*'],
  dynamodb: ['dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups', 'dynamodb:DescribeTimeToLive', 'dynamodb:ListTables', 'dynamodb:ListTagsOfResource'],
  rds: ['rds:Describe*', 'rds:ListTagsForResource'],
  elasticache: ['elasticache:Describe*', 'elasticache:ListTagsForResource'],
  secretsmanager: ['secretsmanager:DescribeSecret', 'secretsmanager:ListSecrets', 'secretsmanager:GetResourcePolicy'],
  wafv2: ['wafv2:GetWebACL', 'wafv2:ListWebACLs', 'wafv2:ListTagsForResource', 'wafv2:GetWebACLForResource', 'wafv2:ListResourcesForWebACL'],
  eks: [
    'eks:DescribeCluster', 'eks:DescribeNodegroup', 'eks:DescribeAddon', 'eks:DescribeAccessEntry', 'eks:ListClusters', 'eks:ListNodegroups', 'eks:ListAddons',
    'eks:ListAccessEntries', 'eks:ListTagsForResource',
  ],
};

export function scopableTypes(): string[] {
  return Object.keys(TYPES).sort();
}

/** The write actions (incl. tags) a scope entry allows on its ARN; tags-only entries get only the tag actions. */
export function scopeWriteActions(type: string, tagsOnly = false): string[] {
  const t = TYPES[type];
  if (!t) return [];
  return tagsOnly ? [...t.tags] : [...t.writes, ...t.tags];
}

/** AWS service prefixes (ec2, iam, …) of a scope's actions. */
export function scopeServices(scope: readonly GrantScope[]): string[] {
  return [...new Set(scope.flatMap((r) => scopeWriteActions(r.type, r.tagsOnly).map((a) => a.split(':')[0]!)))].sort();
}

/** Resolves each address to its state instance and live ARN; throws ScopeError naming the first bad one. */
export function resolveScope(requests: ReadonlyArray<string | ScopeRequest>, instances: StateInstance[]): ScopeResource[] {
  const byAddress = new Map(instances.map((i) => [i.address, i]));
  const modules = new Set(instances.map((i) => i.module).filter(Boolean));
  const out: ScopeResource[] = [];
  for (const request of requests) {
    const { address, tagsOnly, origin } = typeof request === 'string' ? { address: request, tagsOnly: false, origin: undefined } : request;
    const inst = byAddress.get(address);
    if (!inst) throw new ScopeError(notFound(address, instances, modules));
    const t = TYPES[inst.type];
    if (!t) throw new ScopeError(`${address}: resources of type ${inst.type} cannot be scoped yet (scopable: ${scopableTypes().join(', ')})`);
    if (tagsOnly && !t.tags.length) throw new ScopeError(`${address}: ${inst.type} has no tags, so a tags-only scope cannot name it`);
    const arn = t.arn ? t.arn(inst.attributes) : inst.attributes.arn;
    if (typeof arn !== 'string' || !arn.startsWith('arn:')) throw new ScopeError(notCreated(address, inst.type));
    if (out.some((r) => r.address === address)) continue;
    out.push({ address, type: inst.type, arn, ...(tagsOnly ? { tagsOnly: true } : {}), ...(origin && origin.kind !== 'address' ? { origin } : {}) });
  }
  return out;
}

/** A resource without an ARN is not created yet: creating needs type-level actions a scope cannot limit. */
export function notCreated(address: string, type: string): string {
  return `${address}: not created yet (state records no ARN for this ${type}), so only type-level actions could create it and a scope cannot limit those; request without a scope if the policy allows it`;
}

function notFound(address: string, instances: StateInstance[], modules: Set<string>): string {
  // `module.net["a"].aws_x.y`: name the missing module instance rather than the resource.
  const m = /^((?:module\.[\w-]+(?:\[[^\]]+\])?\.)*module\.[\w-]+(?:\[[^\]]+\])?)\./.exec(address);
  if (m && !modules.has(m[1]!)) return `${address}: module instance ${m[1]} does not exist in state`;
  const resource = instances.filter((i) => i.resourceAddress === address);
  if (resource.length) return `${address}: has several instances; name one of ${resource.map((i) => i.address).join(', ')}`;
  return `${address}: not in state (is it applied? \`terraform state list\` shows the addresses)`;
}

/**
 * The statements, grouped without widening: first the actions per ARN (several S3 sub-resources on
 * one bucket share it), then ARNs with the same action set share one statement; plus the reads on `*`.
 * Every (action, ARN) pair allowed is one some scoped resource needs — never a wildcard write.
 */
export function scopeStatements(resources: readonly GrantScope[]): PolicyStatement[] {
  const actionsByArn = new Map<string, Set<string>>();
  const services = new Set<string>();
  for (const r of resources) {
    const t = TYPES[r.type];
    if (!t) throw new ScopeError(`${r.address}: resources of type ${r.type} cannot be scoped yet`);
    if (!/^arn:aws[\w-]*:[\w-]+:/.test(r.arn)) throw new ScopeError(`${r.address}: '${r.arn}' is not an ARN`);
    const actions = [...scopeWriteActions(r.type, r.tagsOnly), ...(r.tagsOnly ? [] : t.readsOnArn ?? [])];
    if (!actions.length) throw new ScopeError(`${r.address}: no action of ${r.type} fits a tags-only scope`);
    const set = actionsByArn.get(r.arn) ?? new Set<string>();
    for (const a of actions) { set.add(a); services.add(a.split(':')[0]!); }
    actionsByArn.set(r.arn, set);
  }
  const groups = new Map<string, PolicyStatement>();
  for (const [arn, set] of actionsByArn) {
    const actions = [...set].sort();
    const key = actions.join(',');
    const g = groups.get(key) ?? { Effect: 'Allow' as const, Action: actions, Resource: [] };
    g.Resource.push(arn);
    groups.set(key, g);
  }
  const statements = [...groups.values()].map((g) => ({ ...g, Resource: g.Resource.sort() }));
  const reads = [...services].sort().flatMap((s) => READS_ANYWHERE[s] ?? []);
  if (reads.length) statements.push({ Effect: 'Allow', Action: reads, Resource: ['*'] });
  return statements;
}

/** AWS's limit on the packed inline session policy plus session tags. */
export const PACKED_LIMIT = 2048;

/**
 * The session policy as compact JSON, or a ScopeError when it does not fit `budget` characters.
 * Never widens (no wildcarded ARNs or actions) to make it fit: a wider grant is not what was approved.
 */
export function packSessionPolicy(statements: PolicyStatement[], budget = PACKED_LIMIT): string {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  if (text.length > budget) {
    const arns = new Set(statements.flatMap((s) => s.Resource.filter((r) => r !== '*'))).size;
    throw new ScopeError(`the scope (${arns} resources) needs a ${text.length}-character session policy, over the ${budget} AWS allows; split the request into smaller scopes`);
  }
  return text;
}
