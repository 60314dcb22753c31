// Resource Groups Tagging API (JSON 1.1): one view of the tags on every sandbox resource —
// instances, VPCs, subnets, security groups and rules, buckets, IAM roles, SQS queues, SNS topics, CloudWatch alarms, ACM certificates, EventBridge rules and buses, Lambda functions, CloudFront distributions, EKS clusters, node groups, add-ons and access entries,
// KMS keys, CloudWatch Logs log groups, Route 53 hosted zones and health checks.
import { createHash, randomUUID } from 'node:crypto';
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { json } from '../protocol/json11';
import { arns, type Bucket, type HealthCheck, type HostedZone, type KmsKey, type LogGroup, type Role, type Tags, type WorldData } from '../world';
import type { SqsQueue } from './sqs/model';
import type { SnsTopic } from './sns/topics';
import { queueArn } from './sqs/sqs';
import { busArn, ruleArn } from './events/rules';
import { topicArn } from './sns/topics';
import { dataTaggableByArn, dataTaggables } from './rds/taggables';
import type { MetricAlarm } from './cloudwatch/alarms';
import { functionArn } from './lambda/model';
import type { LambdaFunction } from './lambda/model';
import type { AcmCertificate } from './acm/certificates';
import type { CfDistribution } from './cloudfront/distributions';
import { eksTaggableByArn, eksTaggables, type EksTaggable } from './eks/tags';

interface Taggable {
  arn: string;
  /** `service:type` as ResourceTypeFilters name it (e.g. ec2:instance, s3:bucket, iam:role). */
  type: string;
  tags: () => Tags;
  write: (tags: Tags) => void;
  /** The service's own tagging permission, also required for TagResources/UntagResources. */
  tagAction: string;
  untagAction: string;
}

const invalid = (message: string): ApiError => new ApiError('InvalidParameterException', message, 400);

/** IAM is global: the Tagging API lists its resources in us-east-1 (or the default region without it). */
function listsGlobal(w: WorldData, region: string): boolean {
  return region === 'us-east-1' || (!w.regions.includes('us-east-1') && region === w.defaultRegion);
}

function bucketTaggable(b: Bucket): Taggable {
  return {
    arn: arns.bucket(b.name), type: 's3:bucket', tags: () => b.tags ?? {}, write: (t) => { b.tags = Object.keys(t).length ? t : undefined; },
    tagAction: 's3:PutBucketTagging', untagAction: 's3:PutBucketTagging',
  };
}

function functionTaggable(w: WorldData, f: LambdaFunction): Taggable {
  return { arn: functionArn(w, f.region, f.name), type: 'lambda:function', tags: () => f.tags, write: (t) => { f.tags = t; }, tagAction: 'lambda:TagResource', untagAction: 'lambda:UntagResource' };
}

function roleTaggable(r: Role): Taggable {
  return { arn: r.arn, type: 'iam:role', tags: () => r.tags, write: (t) => { r.tags = t; }, tagAction: 'iam:TagRole', untagAction: 'iam:UntagRole' };
}

function queueTaggable(w: WorldData, q: SqsQueue): Taggable {
  // SQS ARNs carry no resource type: the Tagging API filters them by the bare service name.
  return { arn: queueArn(w, q), type: 'sqs', tags: () => q.tags, write: (t) => { q.tags = t; }, tagAction: 'sqs:TagQueue', untagAction: 'sqs:UntagQueue' };
}

function topicTaggable(w: WorldData, t: SnsTopic): Taggable {
  // SNS topic ARNs carry no resource type, like SQS queue ARNs.
  return { arn: topicArn(w, t), type: 'sns', tags: () => t.tags, write: (x) => { t.tags = x; }, tagAction: 'sns:TagResource', untagAction: 'sns:UntagResource' };
}

function alarmTaggable(w: WorldData, a: MetricAlarm): Taggable {
  return {
    arn: `arn:aws:cloudwatch:${a.region}:${w.accountId}:alarm:${a.name}`, type: 'cloudwatch:alarm', tags: () => a.tags, write: (t) => { a.tags = t; },
    tagAction: 'cloudwatch:TagResource', untagAction: 'cloudwatch:UntagResource',
  };
}

function certificateTaggable(c: AcmCertificate): Taggable {
  return {
    arn: c.arn, type: 'acm:certificate', tags: () => c.tags, write: (t) => { c.tags = t; },
    tagAction: 'acm:AddTagsToCertificate', untagAction: 'acm:RemoveTagsFromCertificate',
  };
}

/** CloudFront is global: its distributions are listed where IAM's roles are (us-east-1). */
function distributionTaggable(d: CfDistribution): Taggable {
  return {
    arn: d.arn, type: 'cloudfront:distribution', tags: () => d.tags, write: (t) => { d.tags = t; },
    tagAction: 'cloudfront:TagResource', untagAction: 'cloudfront:UntagResource',
  };
}

function keyTaggable(w: WorldData, k: KmsKey): Taggable {
  return {
    arn: `arn:aws:kms:${k.region}:${w.accountId}:key/${k.keyId}`, type: 'kms:key', tags: () => k.tags, write: (t) => { k.tags = t; },
    tagAction: 'kms:TagResource', untagAction: 'kms:UntagResource',
  };
}

/** Without the `:*` that DescribeLogGroups appends to `arn`: the Tagging API names the group itself. */
function logGroupTaggable(w: WorldData, g: LogGroup): Taggable {
  return {
    arn: `arn:aws:logs:${g.region}:${w.accountId}:log-group:${g.name}`, type: 'logs:log-group', tags: () => g.tags, write: (t) => { g.tags = t; },
    tagAction: 'logs:TagResource', untagAction: 'logs:UntagResource',
  };
}

/** Route 53 is global: its hosted zones and health checks are listed where IAM's roles are (us-east-1). */
function zoneTaggable(z: HostedZone): Taggable {
  return {
    arn: `arn:aws:route53:::hostedzone/${z.id}`, type: 'route53:hostedzone', tags: () => z.tags, write: (t) => { z.tags = t; },
    tagAction: 'route53:ChangeTagsForResource', untagAction: 'route53:ChangeTagsForResource',
  };
}

function healthCheckTaggable(c: HealthCheck): Taggable {
  return {
    arn: `arn:aws:route53:::healthcheck/${c.id}`, type: 'route53:healthcheck', tags: () => c.tags, write: (t) => { c.tags = t; },
    tagAction: 'route53:ChangeTagsForResource', untagAction: 'route53:ChangeTagsForResource',
  };
}

function eksTaggable(t: EksTaggable): Taggable {
  return { arn: t.arn, type: t.type, tags: () => t.holder.tags, write: (x) => { t.holder.tags = x; }, tagAction: 'eks:TagResource', untagAction: 'eks:UntagResource' };
}

function* eventTaggables(w: WorldData, region: string): Generator<Taggable> {
  for (const r of Object.values(w.eventRules ?? {})) {
    if (r.region !== region) continue;
    yield { arn: ruleArn(w, r), type: 'events:rule', tags: () => r.tags ?? {}, write: (t) => { r.tags = t; }, tagAction: 'events:TagResource', untagAction: 'events:UntagResource' };
  }
  for (const b of Object.values(w.eventBuses ?? {})) {
    if (b.region !== region) continue;
    yield { arn: busArn(w, region, b.name), type: 'events:event-bus', tags: () => b.tags, write: (t) => { b.tags = t; }, tagAction: 'events:TagResource', untagAction: 'events:UntagResource' };
  }
}

function* taggables(w: WorldData, region: string): Generator<Taggable> {
  const ec2 = (type: string, id: string, holder: { tags: Tags }): Taggable => ({
    arn: arns.ec2(region, w.accountId, type, id), type: `ec2:${type}`, tags: () => holder.tags,
    write: (t) => { holder.tags = t; }, tagAction: 'ec2:CreateTags', untagAction: 'ec2:DeleteTags',
  });
  for (const i of Object.values(w.instances)) if (i.region === region && i.state !== 'terminated') yield ec2('instance', i.id, i);
  for (const v of Object.values(w.vpcs)) if (v.region === region) yield ec2('vpc', v.id, v);
  for (const s of Object.values(w.subnets)) if (s.region === region) yield ec2('subnet', s.id, s);
  for (const g of Object.values(w.securityGroups)) {
    if (g.region !== region) continue;
    yield ec2('security-group', g.id, g);
    for (const id of g.ruleIds) {
      const r = w.securityGroupRules[id];
      if (r) yield ec2('security-group-rule', id, r);
    }
  }
  for (const t of Object.values(w.routeTables ?? {})) if (t.region === region) yield ec2('route-table', t.id, t);
  for (const g of Object.values(w.internetGateways ?? {})) if (g.region === region) yield ec2('internet-gateway', g.id, g);
  for (const a of Object.values(w.networkAcls ?? {})) if (a.region === region) yield ec2('network-acl', a.id, a);
  for (const [type, table] of Object.entries(gatewayTables(w))) for (const [id, g] of Object.entries(table)) if (g.region === region) yield ec2(type, id, g);
  for (const b of Object.values(w.buckets)) if (b.region === region) yield bucketTaggable(b);
  for (const q of Object.values(w.sqsQueues ?? {})) if (q.region === region) yield queueTaggable(w, q);
  const elb = (type: string, holder: { arn: string; region: string; tags: Tags }): Taggable => ({
    arn: holder.arn, type, tags: () => holder.tags, write: (t) => { holder.tags = t; }, tagAction: 'elasticloadbalancing:AddTags', untagAction: 'elasticloadbalancing:RemoveTags',
  });
  for (const lb of Object.values(w.elb?.loadBalancers ?? {})) if (lb.region === region) yield elb('elasticloadbalancing:loadbalancer', lb);
  for (const tg of Object.values(w.elb?.targetGroups ?? {})) if (tg.region === region) yield elb('elasticloadbalancing:targetgroup', tg);
  for (const secret of Object.values(w.secrets ?? {})) {
    if (secret.region !== region || secret.deletedAt) continue;
    yield { arn: secret.arn, type: 'secretsmanager:secret', tags: () => secret.tags, write: (t) => { secret.tags = t; }, tagAction: 'secretsmanager:TagResource', untagAction: 'secretsmanager:UntagResource' };
  }
  yield* eventTaggables(w, region);
  for (const t of Object.values(w.snsTopics ?? {})) if (t.region === region) yield topicTaggable(w, t);
  for (const a of Object.values(w.metricAlarms ?? {})) if (a.region === region) yield alarmTaggable(w, a);
  for (const f of Object.values(w.lambdaFunctions ?? {})) if (f.region === region) yield functionTaggable(w, f);
  for (const c of Object.values(w.acmCertificates ?? {})) if (c.region === region) yield certificateTaggable(c);
  for (const t of eksTaggables(w, region)) yield eksTaggable(t);
  yield* dataTaggables(w, region);
  for (const k of Object.values(w.kmsKeys ?? {})) if (k.region === region) yield keyTaggable(w, k);
  for (const g of Object.values(w.logGroups ?? {})) if (g.region === region) yield logGroupTaggable(w, g);
  if (listsGlobal(w, region)) for (const r of Object.values(w.roles)) yield roleTaggable(r);
  if (listsGlobal(w, region)) for (const z of Object.values(w.hostedZones ?? {})) yield zoneTaggable(z);
  if (listsGlobal(w, region)) for (const c of Object.values(w.healthChecks ?? {})) yield healthCheckTaggable(c);
  if (listsGlobal(w, region)) for (const d of Object.values(w.cloudFront?.distributions ?? {})) yield distributionTaggable(d);
}

/** Finds one resource by ARN without listing the world. */
function byArn(w: WorldData, region: string, arn: string): Taggable | undefined {
  const m = /^arn:aws:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$/.exec(arn);
  if (!m) return undefined;
  const [, service, arnRegion, account, rest] = m as unknown as [string, string, string, string | undefined, string];
  if (service === 's3') {
    const b = w.buckets[rest];
    return b && b.region === region ? bucketTaggable(b) : undefined;
  }
  if (service === 'route53') {
    if (!listsGlobal(w, region) || arnRegion !== '' || account !== undefined) return undefined;
    const [kind, id] = rest.split('/');
    const z = kind === 'hostedzone' && id ? w.hostedZones?.[id] : undefined;
    const c = kind === 'healthcheck' && id ? w.healthChecks?.[id] : undefined;
    return z ? zoneTaggable(z) : c ? healthCheckTaggable(c) : undefined;
  }
  if (account !== w.accountId) return undefined;
  if (service === 'kms') {
    const id = /^key\/(.+)$/.exec(rest)?.[1];
    const k = id && arnRegion === region ? w.kmsKeys?.[id] : undefined;
    return k && k.region === region ? keyTaggable(w, k) : undefined;
  }
  if (service === 'logs') {
    // The Tagging API names a group without DescribeLogGroups' `:*`; the form with it is accepted too.
    const name = /^log-group:(.+?)(?::\*)?$/.exec(rest)?.[1];
    const g = name && arnRegion === region ? w.logGroups?.[`${region}/${name}`] : undefined;
    return g ? logGroupTaggable(w, g) : undefined;
  }
  if (service === 'rds' || service === 'elasticache' || service === 'dynamodb') return dataTaggableByArn(w, region, arn);
  if (service === 'events') return arnRegion === region ? [...eventTaggables(w, region)].find((t) => t.arn === arn) : undefined;
  if (service === 'sns') {
    const t = arnRegion === region ? (w.snsTopics ?? {})[`${region}/${rest}`] : undefined;
    return t ? topicTaggable(w, t) : undefined;
  }
  if (service === 'eks') {
    const t = eksTaggableByArn(w, region, arn);
    return t ? eksTaggable(t) : undefined;
  }
  if (service === 'acm') {
    const c = arnRegion === region ? (w.acmCertificates ?? {})[arn] : undefined;
    return c ? certificateTaggable(c) : undefined;
  }
  if (service === 'cloudwatch') {
    const name = /^alarm:(.+)$/.exec(rest)?.[1];
    const a = arnRegion === region && name !== undefined ? (w.metricAlarms ?? {})[`${region}/${name}`] : undefined;
    return a ? alarmTaggable(w, a) : undefined;
  }
  if (service === 'lambda') {
    const name = /^function:([a-zA-Z0-9-_]+)$/.exec(rest)?.[1];
    const f = name && arnRegion === region ? (w.lambdaFunctions ?? {})[`${region}/${name}`] : undefined;
    return f ? functionTaggable(w, f) : undefined;
  }
  if (service === 'sqs') {
    const q = arnRegion === region ? (w.sqsQueues ?? {})[`${region}/${rest}`] : undefined;
    return q ? queueTaggable(w, q) : undefined;
  }
  if (service === 'cloudfront') {
    const d = rest.startsWith('distribution/') ? w.cloudFront?.distributions[rest.slice('distribution/'.length)] : undefined;
    return d && listsGlobal(w, region) ? distributionTaggable(d) : undefined;
  }
  if (service === 'iam') {
    const name = rest.startsWith('role/') ? rest.split('/').pop()! : undefined;
    const r = name ? w.roles[name] : undefined;
    return r && r.arn === arn && listsGlobal(w, region) ? roleTaggable(r) : undefined;
  }
  if (service !== 'ec2' || arnRegion !== region) return undefined;
  const [type, id] = rest.split('/') as [string, string | undefined];
  if (!id) return undefined;
  const table: Record<string, { tags: Tags; region?: string }> | undefined =
    ({ instance: w.instances, vpc: w.vpcs, subnet: w.subnets, 'security-group': w.securityGroups, 'security-group-rule': w.securityGroupRules, 'route-table': w.routeTables ?? {}, 'internet-gateway': w.internetGateways ?? {}, 'network-acl': w.networkAcls ?? {} } as Record<string, Record<string, { tags: Tags; region?: string }>>)[type]
    ?? gatewayTable(w, type);
  const holder = table?.[id];
  if (!holder) return undefined;
  if (type === 'security-group-rule' && w.securityGroups[(holder as unknown as { groupId: string }).groupId]?.region !== region) return undefined;
  if (holder.region !== undefined && holder.region !== region) return undefined;
  if (type === 'instance' && (holder as unknown as { state: string }).state === 'terminated') return undefined;
  return { arn, type: `ec2:${type}`, tags: () => holder.tags, write: (t) => { holder.tags = t; }, tagAction: 'ec2:CreateTags', untagAction: 'ec2:DeleteTags' };
}

type GatewayTable = Record<string, { tags: Tags; region: string; state?: string }>;

const live = <T extends { state?: string; status?: string }>(table: Record<string, T> | undefined): Record<string, T> =>
  Object.fromEntries(Object.entries(table ?? {}).filter(([, o]) => o.state !== 'deleted' && o.status !== 'deleted'));

/**
 * Gateways, DHCP option sets, placement groups, flow logs, endpoints and peerings by ARN resource
 * type, keyed as their ARNs name them. One type's table at a time: a lookup by ARN builds only the
 * table it needs, not every one.
 */
const GATEWAY_TABLES: Record<string, (w: WorldData) => GatewayTable> = {
  'egress-only-internet-gateway': (w) => w.egressOnlyInternetGateways ?? {}, 'dhcp-options': (w) => w.dhcpOptions ?? {},
  'customer-gateway': (w) => live(w.customerGateways), 'vpn-gateway': (w) => live(w.vpnGateways),
  // Placement group ARNs name the group, not its id.
  'placement-group': (w) => Object.fromEntries(Object.values(w.placementGroups ?? {}).map((g) => [g.name, g])),
  'vpc-flow-log': (w) => w.flowLogs ?? {},
  'vpc-endpoint': (w) => live(w.vpcEndpoints), 'vpc-peering-connection': (w) => live(w.vpcPeeringConnections),
  'network-interface': (w) => w.networkInterfaces ?? {}, 'prefix-list': (w) => w.prefixLists ?? {}, 'launch-template': (w) => w.launchTemplates ?? {},
};

function gatewayTable(w: WorldData, type: string): GatewayTable | undefined {
  return Object.hasOwn(GATEWAY_TABLES, type) ? GATEWAY_TABLES[type]!(w) : undefined;
}

function gatewayTables(w: WorldData): Record<string, GatewayTable> {
  return Object.fromEntries(Object.entries(GATEWAY_TABLES).map(([type, of]) => [type, of(w)]));
}

function typeMatches(filter: string, type: string): boolean {
  if (filter === type) return true;
  if (!filter.includes(':')) return type.startsWith(filter + ':');
  return false;
}

/** `s` names the listing's snapshot (GetResources), when one was kept. */
function token(offset: number, key: string, snapshot?: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: key, ...(snapshot ? { s: snapshot } : {}) })).toString('base64url');
}

function readPosition(text: string | undefined, key: string): { offset: number; snapshot?: string } {
  if (!text) return { offset: 0 };
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { o: number; q: string; s?: unknown };
    if (t.q !== key || !Number.isInteger(t.o) || t.o < 0) throw new Error('mismatch');
    return { offset: t.o, snapshot: typeof t.s === 'string' ? t.s : undefined };
  } catch {
    throw new ApiError('PaginationTokenExpiredException', 'The pagination token is invalid or has expired.', 400);
  }
}

const readToken = (text: string | undefined, key: string): number => readPosition(text, key).offset;

type Mapping = { ResourceARN: string; Tags: { Key: string; Value: string }[] };

/**
 * Listings being paged through: each one's matches as of its first page, so a later page costs its
 * own size instead of a walk over the world (a 10,000-object listing is ~50 pages). A listing
 * whose snapshot is gone (more than LISTINGS_KEPT started since) is walked again from its offset.
 */
const listings = new WeakMap<WorldData, Map<string, Mapping[]>>();
const LISTINGS_KEPT = 16;

function keepListing(w: WorldData, matches: Mapping[]): string {
  let kept = listings.get(w);
  if (!kept) listings.set(w, (kept = new Map()));
  const id = randomUUID();
  kept.set(id, matches);
  for (const oldest of kept.keys()) {
    if (kept.size <= LISTINGS_KEPT) break;
    kept.delete(oldest);
  }
  return id;
}

const hashOf = (v: unknown): string => createHash('sha256').update(JSON.stringify(v ?? null)).digest('hex').slice(0, 16);

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

function changeTags(ctx: CallContext, input: Record<string, unknown>, mode: 'tag' | 'untag'): Record<string, unknown> {
  const list = json.strings(input, 'ResourceARNList');
  if (!list || list.length < 1 || list.length > 20) throw invalid('ResourceARNList must contain between 1 and 20 ARNs.');
  const tags = mode === 'tag' ? json.map(input, 'Tags') : undefined;
  const keys = mode === 'untag' ? json.strings(input, 'TagKeys') : undefined;
  if (mode === 'tag' && (!tags || !Object.keys(tags).length)) throw invalid('Tags must contain at least one tag.');
  if (mode === 'untag' && (!keys || !keys.length)) throw invalid('TagKeys must contain at least one key.');
  for (const k of Object.keys(tags ?? {})) if (k.toLowerCase().startsWith('aws:')) throw invalid(`Tag keys starting with 'aws:' are reserved: ${k}`);
  ctx.trail.requestParameters = mode === 'tag' ? { resourceARNList: list, tags } : { resourceARNList: list, tagKeys: keys };
  ctx.authorize(mode === 'tag' ? 'tag:TagResources' : 'tag:UntagResources', '*');
  const failed: Record<string, unknown> = {};
  for (const arn of list) {
    ctx.trail.resources.push({ type: 'AWS::ResourceGroups::Resource', name: arn, arn });
    const target = byArn(ctx.world, ctx.region, arn);
    if (!target) {
      failed[arn] = { StatusCode: 404, ErrorCode: 'InvalidParameterException', ErrorMessage: `Resource ${arn} was not found.` };
      continue;
    }
    try {
      ctx.authorize(mode === 'tag' ? target.tagAction : target.untagAction, arn);
    } catch (err) {
      failed[arn] = { StatusCode: 403, ErrorCode: 'InvalidParameterException', ErrorMessage: (err as Error).message };
      continue;
    }
    const next = { ...target.tags() };
    if (tags) Object.assign(next, tags);
    for (const k of keys ?? []) delete next[k];
    if (Object.keys(next).length > 50) {
      failed[arn] = { StatusCode: 400, ErrorCode: 'InvalidParameterException', ErrorMessage: 'A resource can have at most 50 tags.' };
      continue;
    }
    target.write(next);
  }
  return { FailedResourcesMap: failed };
}

export const taggingOperations: Record<string, Handler> = {
  GetResources(ctx, input) {
    ctx.authorize('tag:GetResources', '*');
    const perPage = json.int(input, 'ResourcesPerPage') ?? 100;
    if (perPage < 1 || perPage > 100) throw invalid('ResourcesPerPage must be between 1 and 100.');
    const tagsPerPage = json.int(input, 'TagsPerPage');
    if (tagsPerPage !== undefined && (tagsPerPage < 100 || tagsPerPage > 500)) throw invalid('TagsPerPage must be between 100 and 500.');
    const arnList = json.strings(input, 'ResourceARNList');
    const filters = (json.list(input, 'TagFilters') ?? []).map((f) => ({ key: json.str(f, 'Key'), values: json.strings(f, 'Values') ?? [] }));
    const types = json.strings(input, 'ResourceTypeFilters') ?? [];
    if (arnList && (filters.length || types.length)) throw invalid('You can\'t specify both ResourceARNList and TagFilters or ResourceTypeFilters in the same request.');
    if (arnList && (arnList.length < 1 || arnList.length > 100)) throw invalid('ResourceARNList must contain between 1 and 100 ARNs.');
    if (filters.length > 50) throw invalid('TagFilters can contain at most 50 keys.');
    for (const f of filters) {
      if (!f.key) throw invalid('Each TagFilter must contain a Key.');
      if (f.values.length > 20) throw invalid('Each TagFilter can contain at most 20 values.');
    }
    const key = hashOf([arnList, filters, types, perPage, ctx.region]);
    const { offset: start, snapshot } = readPosition(json.str(input, 'PaginationToken'), key);
    const kept = snapshot ? listings.get(ctx.world)?.get(snapshot) : undefined;
    if (kept) {
      const more = start + perPage < kept.length;
      if (!more) listings.get(ctx.world)!.delete(snapshot!);
      return { PaginationToken: more ? token(start + perPage, key, snapshot) : '', ResourceTagMappingList: kept.slice(start, start + perPage) };
    }
    const source: Iterable<Taggable> = arnList
      ? arnList.map((a) => byArn(ctx.world, ctx.region, a)).filter((t): t is Taggable => t !== undefined)
      : taggables(ctx.world, ctx.region);
    const matches: Mapping[] = [];
    let index = 0;
    for (const t of source) {
      if (types.length && !types.some((f) => typeMatches(f, t.type))) continue;
      const tags = t.tags();
      if (!Object.keys(tags).length) continue;
      if (!filters.every((f) => tags[f.key!] !== undefined && (f.values.length === 0 || f.values.includes(tags[f.key!]!)))) continue;
      if (index++ < start) continue;
      matches.push({ ResourceARN: t.arn, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });
    }
    const more = matches.length > perPage;
    // The rest of the listing is kept for the pages that follow (offsets stay those of the whole listing).
    const id = more ? keepListing(ctx.world, [...new Array<Mapping>(start), ...matches]) : undefined;
    return { PaginationToken: more ? token(start + perPage, key, id) : '', ResourceTagMappingList: matches.slice(0, perPage) };
  },
  GetTagKeys(ctx, input) {
    ctx.authorize('tag:GetTagKeys', '*');
    const keys = new Set<string>();
    for (const t of taggables(ctx.world, ctx.region)) for (const k of Object.keys(t.tags())) keys.add(k);
    const all = [...keys].sort();
    const key = hashOf(['keys', ctx.region]);
    const start = readToken(json.str(input, 'PaginationToken'), key);
    const page = all.slice(start, start + 500);
    return { PaginationToken: start + 500 < all.length ? token(start + 500, key) : '', TagKeys: page };
  },
  GetTagValues(ctx, input) {
    ctx.authorize('tag:GetTagValues', '*');
    const wanted = json.str(input, 'Key');
    if (!wanted) throw invalid('Key is required.');
    const values = new Set<string>();
    for (const t of taggables(ctx.world, ctx.region)) {
      const v = t.tags()[wanted];
      if (v !== undefined) values.add(v);
    }
    const all = [...values].sort();
    const key = hashOf(['values', wanted, ctx.region]);
    const start = readToken(json.str(input, 'PaginationToken'), key);
    const page = all.slice(start, start + 500);
    return { PaginationToken: start + 500 < all.length ? token(start + 500, key) : '', TagValues: page };
  },
  TagResources: (ctx, input) => changeTags(ctx, input, 'tag'),
  UntagResources: (ctx, input) => changeTags(ctx, input, 'untag'),
};
