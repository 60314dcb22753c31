// The sandbox's in-memory world: plain, JSON-serialisable records keyed by id, so persistence is a
// single JSON.stringify and lookups by id are O(1). Services mutate it; nothing else does.
import type { SsmParameter } from './services/ssm/parameters';
import type { EventBus, EventRule, SqsQueue } from './services/sqs/model';
import type { EcrRepository } from './services/ecr/repositories';
import type { SnsSubscription, SnsTopic } from './services/sns/topics';
import type { LogMetricFilter, LogSubscriptionFilter } from './services/logs-filters';
import type { MetricAlarm } from './services/cloudwatch/alarms';
import type { Dashboard } from './services/cloudwatch/dashboards';
import type { LambdaFunction, LambdaMapping } from './services/lambda/model';
import type { AcmCertificate } from './services/acm/certificates';
import type { CloudFrontState } from './services/cloudfront/world';
import type { WafState } from './services/wafv2/web-acls';
import type { EksCluster } from './services/eks/model';
import type { ApiGatewayV2State } from './services/apigatewayv2/apis';
import type { AutoScalingGroup, ScalingPolicy, ScheduledAction } from './services/autoscaling/groups';
import type { ElbState } from './services/elbv2/load-balancers';
import type { AppScalingPolicy, ScalableTarget } from './services/appautoscaling/targets';
import type { EcsCluster, EcsService, EcsTaskDefinition } from './services/ecs/ecs';
import type { Secret } from './services/secretsmanager/secrets';
import type { RdsState } from './services/rds/model';
import type { ElastiCacheState } from './services/elasticache/elasticache';
import type { DynamoTable } from './services/dynamodb/tables';

export type Tags = Record<string, string>;

export interface User {
  name: string;
  userId: string;
  arn: string;
  path: string;
  createDate: string;
  tags: Tags;
  /** Inline policies by name; documents are JSON text as submitted. */
  inlinePolicies: Record<string, string>;
  attachedPolicies: string[];
  permissionsBoundary?: string;
}

export interface Group {
  name: string;
  groupId: string;
  arn: string;
  path: string;
  createDate: string;
  inlinePolicies: Record<string, string>;
  attachedPolicies: string[];
  /** Member user names. */
  members: string[];
}

export interface InstanceProfile {
  name: string;
  instanceProfileId: string;
  arn: string;
  path: string;
  createDate: string;
  /** Role names (IAM allows at most one). */
  roles: string[];
  tags: Tags;
}

export interface OidcProvider {
  /** Without the scheme, as IAM reports it. */
  url: string;
  arn: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: string;
  tags: Tags;
}

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  userName: string;
  status: 'Active' | 'Inactive';
  createDate: string;
}

export interface Role {
  name: string;
  roleId: string;
  arn: string;
  path: string;
  createDate: string;
  description?: string;
  trustPolicy: string;
  maxSessionDuration: number;
  tags: Tags;
  inlinePolicies: Record<string, string>;
  attachedPolicies: string[];
  permissionsBoundary?: string;
}

export interface PolicyVersion {
  versionId: string;
  document: string;
  createDate: string;
}

export interface ManagedPolicy {
  arn: string;
  name: string;
  policyId: string;
  path: string;
  description?: string;
  createDate: string;
  updateDate: string;
  defaultVersionId: string;
  versions: PolicyVersion[];
  tags: Tags;
}

/** Temporary credentials issued by STS AssumeRole. */
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  roleName: string;
  roleArn: string;
  roleId: string;
  sessionName: string;
  issuedAt: string;
  expiration: string;
  sourceIdentity?: string;
  /** Session tags (keys as given); they override role tags of the same key in aws:PrincipalTag. */
  tags: Tags;
  transitiveTagKeys: string[];
  /** ARN of the principal that called AssumeRole. */
  issuedTo: string;
  /** True when the caller was itself a role session (role chaining). */
  chained: boolean;
  /** Session policies passed to AssumeRole (inline Policy text, then PolicyArns' documents). */
  sessionPolicies: string[];
}

export interface Vpc {
  id: string;
  region: string;
  cidrBlock: string;
  state: 'available';
  isDefault: boolean;
  instanceTenancy: string;
  dhcpOptionsId: string;
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  /** Secondary IPv4 CIDR blocks (absent in older saved worlds); a disassociated block is dropped. */
  cidrAssociations?: Array<{ associationId: string; cidrBlock: string }>;
  tags: Tags;
}

export interface Subnet {
  id: string;
  region: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  mapPublicIpOnLaunch: boolean;
  state: 'available';
  tags: Tags;
}

export interface SecurityGroupRule {
  ruleId: string;
  groupId: string;
  isEgress: boolean;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all) or a protocol number. */
  ipProtocol: string;
  /** -1 when the protocol has no ports. */
  fromPort: number;
  toPort: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroupId?: string;
  description?: string;
  tags: Tags;
}

export interface SecurityGroup {
  id: string;
  region: string;
  name: string;
  description: string;
  vpcId: string;
  tags: Tags;
  /** Rule ids in creation order; the rules live in `World.securityGroupRules`. */
  ruleIds: string[];
}

export type InstanceStateName = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

export interface Instance {
  id: string;
  region: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  state: InstanceStateName;
  stateTransitionReason: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  privateIpAddress: string;
  publicIpAddress?: string;
  securityGroupIds: string[];
  keyName?: string;
  launchTime: string;
  tags: Tags;
  monitoring: 'disabled' | 'enabled';
  ebsOptimized: boolean;
  sourceDestCheck: boolean;
  disableApiTermination: boolean;
  disableApiStop: boolean;
  instanceInitiatedShutdownBehavior: 'stop' | 'terminate';
  userData?: string;
  iamInstanceProfileArn?: string;
  rootVolumeId: string;
  networkInterfaceId: string;
  /** Instance metadata service options as requested (absent: the sandbox's launch defaults). */
  metadataOptions?: InstanceMetadataOptions;
  /** World time after which a terminated instance disappears from Describe calls. */
  terminatedAt?: string;
}

export interface InstanceMetadataOptions {
  httpTokens: 'optional' | 'required';
  httpPutResponseHopLimit: number;
  httpEndpoint: 'enabled' | 'disabled';
  instanceMetadataTags: 'enabled' | 'disabled';
}

export interface BucketEncryption {
  sseAlgorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  kmsMasterKeyId?: string;
  bucketKeyEnabled: boolean;
}

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export interface StoredObject {
  /** Base64 of the bytes, so the world stays JSON. */
  body: string;
  etag: string;
  lastModified: string;
  contentType: string;
}

export interface CorsRule {
  id?: string;
  allowedMethods: string[];
  allowedOrigins: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export interface BucketWebsite {
  indexSuffix?: string;
  errorKey?: string;
  /** RedirectAllRequestsTo */
  redirectHost?: string;
  redirectProtocol?: string;
  /** RoutingRules kept as their XML text: read back as sent. */
  routingRulesXml?: string;
}

export interface Bucket {
  name: string;
  region: string;
  creationDate: string;
  /** Undefined means no tag set (GetBucketTagging answers NoSuchTagSet). */
  tags?: Tags;
  versioning?: 'Enabled' | 'Suspended';
  encryption: BucketEncryption;
  policy?: string;
  publicAccessBlock?: PublicAccessBlock;
  /** Object Ownership; absent means AWS's default for new buckets (BucketOwnerEnforced), 'none' that the controls were deleted. */
  ownership?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | 'none';
  /** CORS rules; absent means not configured. */
  cors?: CorsRule[];
  /** Static website hosting; absent means not configured. */
  website?: BucketWebsite;
  /** Server access logging; absent means off. */
  logging?: { targetBucket: string; targetPrefix: string };
  /** Object Lock (absent: never enabled); the default retention rule is optional. */
  objectLock?: { enabled: boolean; rule?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days?: number; years?: number } };
  /** The bucket ACL's grants (absent: the owner's FULL_CONTROL only). */
  acl?: BucketGrant[];
  /** Event notifications (absent: none configured). */
  notification?: BucketNotification;
  /** Lifecycle rules as S3 received them, element by element (absent: none configured). */
  lifecycleRules?: XmlTree[];
  /** Replication: the role and the rules as S3 received them (ids filled in); absent: none configured. */
  replication?: { role: string; rules: XmlTree[] };
  objects: Record<string, StoredObject>;
}

/** An XML element kept as received (lifecycle rules): a leaf's text or its child elements. */
export interface XmlTree {
  name: string;
  value: string | XmlTree[];
}

export interface BucketGrant {
  type: 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail';
  id?: string;
  uri?: string;
  email?: string;
  permission: 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
}

export interface BucketNotificationTarget {
  kind: 'Topic' | 'Queue' | 'CloudFunction';
  id: string;
  arn: string;
  events: string[];
  prefix?: string;
  suffix?: string;
}

export interface BucketNotification {
  targets: BucketNotificationTarget[];
  eventBridge: boolean;
}

/** A CloudWatch Logs log group (regional). */
export interface LogGroup {
  name: string;
  region: string;
  /** Epoch milliseconds, as Logs reports it. */
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: 'STANDARD' | 'INFREQUENT_ACCESS' | 'DELIVERY';
  tags: Tags;
  /** Metric and subscription filters by name (absent in older saved worlds). */
  metricFilters?: Record<string, LogMetricFilter>;
  subscriptionFilters?: Record<string, LogSubscriptionFilter>;
}

/** A KMS key (regional; no key material in the sandbox). */
export interface KmsKey {
  keyId: string;
  region: string;
  creationDate: string;
  description: string;
  keyUsage: string;
  keySpec: string;
  enabled: boolean;
  multiRegion: boolean;
  /** The `default` key policy, JSON text as submitted. */
  policy: string;
  rotation: boolean;
  rotationPeriodInDays: number;
  tags: Tags;
  /** When set, the key is pending deletion until this time (ISO). */
  pendingDeletion?: string;
}

export interface KmsAlias {
  /** `alias/...` */
  name: string;
  region: string;
  targetKeyId: string;
  creationDate: string;
}

/** A Route 53 record set; names are absolute, lower-case, with a trailing dot. */
export interface RecordSet {
  name: string;
  type: string;
  ttl?: number;
  values: string[];
  setIdentifier?: string;
  weight?: number;
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
}

/** A Route 53 hosted zone (global). */
export interface HostedZone {
  /** Without the `/hostedzone/` prefix. */
  id: string;
  name: string;
  callerReference: string;
  comment?: string;
  privateZone: boolean;
  /** The VPCs a private zone is associated with (absent in older saved worlds). */
  vpcs?: Array<{ vpcId: string; region: string }>;
  tags: Tags;
  records: RecordSet[];
}

/** One CloudTrail event plus the fields LookupEvents filters on. */
export interface TrailEvent {
  /** Monotonic sequence number (pagination resumes from it even after old events are trimmed). */
  seq: number;
  eventId: string;
  eventTime: string;
  eventName: string;
  eventSource: string;
  region: string;
  readOnly: boolean;
  accessKeyId?: string;
  username?: string;
  resources: { type: string; name: string }[];
  /** The full event record, serialised once, as LookupEvents returns it. */
  cloudTrailEvent: string;
}

/** One route of a route table; exactly one destination and (for origin CreateRoute) one target. */
export interface Route {
  destinationCidrBlock?: string;
  destinationIpv6CidrBlock?: string;
  destinationPrefixListId?: string;
  /** `local` for the VPC's own range, or an igw-/vgw-/vpce- id. */
  gatewayId?: string;
  natGatewayId?: string;
  networkInterfaceId?: string;
  instanceId?: string;
  vpcPeeringConnectionId?: string;
  transitGatewayId?: string;
  egressOnlyInternetGatewayId?: string;
  carrierGatewayId?: string;
  localGatewayId?: string;
  coreNetworkArn?: string;
  origin: 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';
  state: 'active' | 'blackhole';
}

export interface RouteTableAssociation {
  id: string;
  subnetId?: string;
  gatewayId?: string;
  /** The VPC's main association (no subnet: it covers every subnet without an explicit one). */
  main: boolean;
}

export interface RouteTable {
  id: string;
  region: string;
  vpcId: string;
  routes: Route[];
  associations: RouteTableAssociation[];
  propagatingVgws: string[];
  tags: Tags;
}

export interface NetworkAclEntry {
  ruleNumber: number;
  egress: boolean;
  /** Protocol number as a string (`6`, `17`, `1`, `58`) or `-1` for all. */
  protocol: string;
  ruleAction: 'allow' | 'deny';
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  portFrom?: number;
  portTo?: number;
  icmpType?: number;
  icmpCode?: number;
}

export interface NetworkAcl {
  id: string;
  region: string;
  vpcId: string;
  isDefault: boolean;
  entries: NetworkAclEntry[];
  /** Subnet id → association id: every subnet is associated with exactly one ACL of its VPC. */
  associations: Record<string, string>;
  tags: Tags;
}

/** An Elastic IP address (VPC domain). */
export interface Address {
  allocationId: string;
  region: string;
  publicIp: string;
  associationId?: string;
  instanceId?: string;
  networkInterfaceId?: string;
  privateIpAddress?: string;
  tags: Tags;
}

export interface NatGateway {
  id: string;
  region: string;
  subnetId: string;
  vpcId: string;
  connectivityType: 'public' | 'private';
  allocationId?: string;
  privateIp: string;
  state: 'available' | 'deleted';
  createTime: string;
  deleteTime?: string;
  tags: Tags;
}

export interface KeyPair {
  keyPairId: string;
  region: string;
  keyName: string;
  fingerprint: string;
  publicKey: string;
  keyType: 'rsa' | 'ed25519';
  createTime: string;
  tags: Tags;
}

export interface VolumeAttachment {
  instanceId: string;
  device: string;
  attachTime: string;
  deleteOnTermination: boolean;
}

export interface Volume {
  id: string;
  region: string;
  availabilityZone: string;
  sizeGiB: number;
  volumeType: string;
  iops?: number;
  throughput?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  snapshotId?: string;
  multiAttachEnabled: boolean;
  createTime: string;
  attachments: VolumeAttachment[];
  tags: Tags;
}

export interface InternetGateway {
  id: string;
  region: string;
  /** Attached VPC, if any (an internet gateway attaches to at most one). */
  vpcId?: string;
  tags: Tags;
}

export interface EgressOnlyInternetGateway {
  id: string;
  region: string;
  vpcId: string;
  tags: Tags;
}

/** A DHCP option set: option key (`domain-name`, `domain-name-servers`, …) → values in request order. */
export interface DhcpOptions {
  id: string;
  region: string;
  options: Record<string, string[]>;
  tags: Tags;
}

export interface CustomerGateway {
  id: string;
  region: string;
  bgpAsn: string;
  ipAddress: string;
  type: string;
  deviceName?: string;
  certificateArn?: string;
  state: 'available' | 'deleted';
  tags: Tags;
}

export interface VpnGateway {
  id: string;
  region: string;
  type: string;
  amazonSideAsn: number;
  availabilityZone?: string;
  state: 'available' | 'deleted';
  /** Attachments stay listed as `detached` after a detach, as on EC2. */
  attachments: Array<{ vpcId: string; state: 'attached' | 'detached' }>;
  tags: Tags;
}

export interface PlacementGroup {
  groupId: string;
  region: string;
  name: string;
  strategy: 'cluster' | 'partition' | 'spread';
  partitionCount?: number;
  spreadLevel?: 'host' | 'rack';
  tags: Tags;
}

/** The flow log format AWS applies when a request names none (version 2 fields). */
export const DEFAULT_FLOW_LOG_FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

export interface FlowLog {
  id: string;
  region: string;
  resourceId: string;
  trafficType?: string;
  logDestinationType: 'cloud-watch-logs' | 's3' | 'kinesis-data-firehose';
  logDestination?: string;
  logGroupName?: string;
  deliverLogsPermissionArn?: string;
  logFormat: string;
  maxAggregationInterval: number;
  creationTime: string;
  tags: Tags;
}

export interface VpcEndpoint {
  id: string;
  region: string;
  vpcId: string;
  serviceName: string;
  type: 'Gateway' | 'Interface' | 'GatewayLoadBalancer';
  policyDocument?: string;
  routeTableIds: string[];
  subnetIds: string[];
  securityGroupIds: string[];
  privateDnsEnabled: boolean;
  state: 'available' | 'deleted';
  creationTimestamp: string;
  tags: Tags;
}

export interface VpcPeeringConnection {
  id: string;
  region: string;
  requesterVpcId: string;
  accepterVpcId: string;
  accepterOwnerId: string;
  accepterRegion: string;
  /** The account that requested it, when not this one (this account is then the accepter). */
  requesterOwnerId?: string;
  status: 'pending-acceptance' | 'active' | 'deleted' | 'rejected';
  /** Peering options per side (AllowDnsResolutionFromRemoteVpc). */
  requesterAllowDns: boolean;
  accepterAllowDns: boolean;
  tags: Tags;
}

/** A network interface created on its own (an instance's primary interface lives on the instance). */
export interface NetworkInterface {
  id: string;
  region: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  description: string;
  /** Primary address first. */
  privateIps: string[];
  securityGroupIds: string[];
  sourceDestCheck: boolean;
  attachment?: { id: string; instanceId: string; deviceIndex: number; attachTime: string };
  tags: Tags;
}

export interface ManagedPrefixList {
  id: string;
  region: string;
  name: string;
  addressFamily: 'IPv4' | 'IPv6';
  maxEntries: number;
  version: number;
  entries: Array<{ cidr: string; description?: string }>;
  tags: Tags;
}

/** Launch template data as the request named it: a tree of the `LaunchTemplateData.*` parameters. */
export type LaunchTemplateData = { [key: string]: string | LaunchTemplateData | LaunchTemplateData[] | string[] };

export interface LaunchTemplate {
  id: string;
  region: string;
  name: string;
  defaultVersion: number;
  versions: Array<{ number: number; description?: string; createTime: string; data: LaunchTemplateData }>;
  createTime: string;
  tags: Tags;
}

/** A Route 53 health check: its configuration as the API names it (global, like hosted zones). */
export interface HealthCheck {
  id: string;
  callerReference: string;
  version: number;
  config: {
    type: string;
    ipAddress?: string;
    port?: number;
    resourcePath?: string;
    fqdn?: string;
    searchString?: string;
    requestInterval: number;
    failureThreshold: number;
    measureLatency: boolean;
    inverted: boolean;
    disabled: boolean;
    healthThreshold?: number;
    childHealthChecks: string[];
    enableSni: boolean;
    regions: string[];
    alarm?: { region: string; name: string };
    insufficientDataHealthStatus?: string;
    routingControlArn?: string;
  };
  tags: Tags;
}

export interface WorldData {
  accountId: string;
  defaultRegion: string;
  regions: string[];
  users: Record<string, User>;
  accessKeys: Record<string, AccessKey>;
  roles: Record<string, Role>;
  policies: Record<string, ManagedPolicy>;
  sessions: Record<string, Session>;
  vpcs: Record<string, Vpc>;
  subnets: Record<string, Subnet>;
  securityGroups: Record<string, SecurityGroup>;
  securityGroupRules: Record<string, SecurityGroupRule>;
  instances: Record<string, Instance>;
  buckets: Record<string, Bucket>;
  /** The account's S3 public access block (S3 Control); absent when the account has none. */
  accountPublicAccessBlock?: PublicAccessBlock;
  /** Instance profiles by name, OIDC providers by ARN (absent in older saved worlds). */
  instanceProfiles?: Record<string, InstanceProfile>;
  oidcProviders?: Record<string, OidcProvider>;
  /** IAM groups by name (absent in worlds saved before groups existed). */
  groups?: Record<string, Group>;
  /** Log groups by `region/name` (absent in worlds saved before Logs existed). */
  logGroups?: Record<string, LogGroup>;
  /** Absent in state files written before route tables existed (created on first use). */
  routeTables?: Record<string, RouteTable>;
  internetGateways?: Record<string, InternetGateway>;
  networkAcls?: Record<string, NetworkAcl>;
  addresses?: Record<string, Address>;
  natGateways?: Record<string, NatGateway>;
  keyPairs?: Record<string, KeyPair>;
  volumes?: Record<string, Volume>;
  /** KMS keys by key id, aliases by `region/alias/name` (absent in older saved worlds). */
  kmsKeys?: Record<string, KmsKey>;
  kmsAliases?: Record<string, KmsAlias>;
  /** Route 53 hosted zones by id (absent in older saved worlds). */
  hostedZones?: Record<string, HostedZone>;
  /** SSM parameters by `region/name` (absent in older saved worlds). */
  ssmParameters?: Record<string, SsmParameter>;
  /** SQS queues by `region/name` and EventBridge rules by `region/name` (absent in older saved worlds). */
  sqsQueues?: Record<string, SqsQueue>;
  eventRules?: Record<string, EventRule>;
  eventBuses?: Record<string, EventBus>;
  /** SNS topics by `region/name`, subscriptions by ARN (absent in older saved worlds). */
  snsTopics?: Record<string, SnsTopic>;
  snsSubscriptions?: Record<string, SnsSubscription>;
  /** CloudWatch metric alarms and dashboards by `region/name` (absent in older saved worlds). */
  metricAlarms?: Record<string, MetricAlarm>;
  dashboards?: Record<string, Dashboard>;
  /** Lambda functions by `region/name` (with their aliases, policies, URLs and invoke configs), event source mappings by UUID (absent in older saved worlds). */
  lambdaFunctions?: Record<string, LambdaFunction>;
  lambdaMappings?: Record<string, LambdaMapping>;
  /** ACM certificates by ARN (absent in older saved worlds). */
  acmCertificates?: Record<string, AcmCertificate>;
  /** CloudFront's global objects: distributions, origin access controls, functions (absent in older saved worlds). */
  cloudFront?: CloudFrontState;
  /** WAFv2 web ACLs and their associations (absent in older saved worlds). */
  wafv2?: WafState;
  /** EKS clusters by `region/name`, with their node groups, add-ons and access entries (absent in older saved worlds). */
  eksClusters?: Record<string, EksCluster>;
  /** API Gateway v2 APIs with their stages, routes and integrations (absent in older saved worlds). */
  apigatewayv2?: ApiGatewayV2State;
  /** ECR repositories by `region/name` (absent in older saved worlds). */
  ecrRepositories?: Record<string, EcrRepository>;
  /** Auto Scaling groups by `region/name`, their policies and scheduled actions by `region/group/name` (absent in older saved worlds). */
  autoScalingGroups?: Record<string, AutoScalingGroup>;
  scalingPolicies?: Record<string, ScalingPolicy>;
  scheduledActions?: Record<string, ScheduledAction>;
  /** Elastic Load Balancing v2: load balancers, target groups, listeners and rules (absent in older saved worlds). */
  elb?: ElbState;
  /** Application Auto Scaling targets and policies (absent in older saved worlds). */
  scalableTargets?: Record<string, ScalableTarget>;
  appScalingPolicies?: Record<string, AppScalingPolicy>;
  /** ECS clusters by `region/name`, services by `region/cluster/name`, task definitions by `region/family:revision` (absent in older saved worlds). */
  ecsClusters?: Record<string, EcsCluster>;
  ecsServices?: Record<string, EcsService>;
  ecsTaskDefinitions?: Record<string, EcsTaskDefinition>;
  /** Secrets Manager secrets by ARN, metadata and resource policy only (absent in older saved worlds). */
  secrets?: Record<string, Secret>;
  /** VPC gateways, DHCP option sets and placement groups by id (absent in older saved worlds). */
  egressOnlyInternetGateways?: Record<string, EgressOnlyInternetGateway>;
  dhcpOptions?: Record<string, DhcpOptions>;
  customerGateways?: Record<string, CustomerGateway>;
  vpnGateways?: Record<string, VpnGateway>;
  placementGroups?: Record<string, PlacementGroup>;
  /** Flow logs, VPC endpoints and peering connections by id (absent in older saved worlds). */
  flowLogs?: Record<string, FlowLog>;
  vpcEndpoints?: Record<string, VpcEndpoint>;
  vpcPeeringConnections?: Record<string, VpcPeeringConnection>;
  /** Network interfaces created on their own and managed prefix lists by id (absent in older saved worlds). */
  networkInterfaces?: Record<string, NetworkInterface>;
  prefixLists?: Record<string, ManagedPrefixList>;
  /** Launch templates by id (absent in older saved worlds). */
  launchTemplates?: Record<string, LaunchTemplate>;
  /** Route 53 health checks by id (absent in older saved worlds). */
  healthChecks?: Record<string, HealthCheck>;
  /** RDS, ElastiCache and DynamoDB tables by `region/name` (absent in older saved worlds). */
  rds?: RdsState;
  elasticache?: ElastiCacheState;
  dynamodbTables?: Record<string, DynamoTable>;
  /** Append-only, oldest first. */
  events: TrailEvent[];
  nextEventSeq: number;
}

export function emptyWorld(accountId: string, defaultRegion: string, regions: string[]): WorldData {
  return {
    accountId, defaultRegion, regions,
    users: {}, accessKeys: {}, roles: {}, policies: {}, sessions: {},
    vpcs: {}, subnets: {}, securityGroups: {}, securityGroupRules: {}, instances: {}, buckets: {},
    events: [], nextEventSeq: 1,
  };
}

export const arns = {
  user: (account: string, name: string, path = '/'): string => `arn:aws:iam::${account}:user${path}${name}`,
  role: (account: string, name: string, path = '/'): string => `arn:aws:iam::${account}:role${path}${name}`,
  policy: (account: string, name: string, path = '/'): string => `arn:aws:iam::${account}:policy${path}${name}`,
  group: (account: string, name: string, path = '/'): string => `arn:aws:iam::${account}:group${path}${name}`,
  assumedRole: (account: string, role: string, session: string): string => `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
  ec2: (region: string, account: string, type: string, id: string): string => `arn:aws:ec2:${region}:${account}:${type}/${id}`,
  bucket: (name: string): string => `arn:aws:s3:::${name}`,
};
