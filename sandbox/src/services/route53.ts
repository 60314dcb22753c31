// Route 53 (REST-XML under /2013-04-01/): hosted zones with comment and tags, and their record
// sets (simple, weighted and alias records) — what aws_route53_zone and aws_route53_record read
// and write. Changes apply at once; GetChange answers INSYNC.
import { createHash } from 'node:crypto';
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import type { HostedZone, RecordSet, Tags } from '../world';
import { XmlParseError, child, childText, childrenNamed, items, localName, node, parseXml, toXml, type XmlElement, type XmlNode } from '../xml';

export const ROUTE53_NAMESPACE = 'https://route53.amazonaws.com/doc/2013-04-01/';
const VERSION = '/2013-04-01';

export interface Route53Request {
  method: string;
  /** Path after the API version, e.g. `/hostedzone/Z123/rrset`. */
  path: string;
  query: Map<string, string>;
  body: Buffer;
}

export interface Route53Result {
  status?: number;
  body: string;
}

const RECORD_TYPES = new Set(['A', 'AAAA', 'CAA', 'CNAME', 'DS', 'MX', 'NAPTR', 'NS', 'PTR', 'SOA', 'SPF', 'SRV', 'TXT']);

const zones = (ctx: CallContext): Record<string, HostedZone> => (ctx.world.hostedZones ??= {});
const zoneArn = (id: string): string => `arn:aws:route53:::hostedzone/${id}`;
/** Route 53 names are absolute and lower-case, with `*` escaped as `\052`. */
export const fqdn = (name: string): string => {
  const lower = name.toLowerCase().replace(/^\*(?=\.|$)/, '\\052');
  return lower.endsWith('.') ? lower : `${lower}.`;
};

export const invalidInput = (message: string): ApiError => new ApiError('InvalidInput', message, 400);
const noSuchZone = (id: string): ApiError => new ApiError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, 404);

/** A `ResourceTagSet` element, as the tag listing calls answer for zones and health checks alike. */
export function tagSetXml(type: string, id: string, tags: Tags): XmlNode {
  return node('ResourceTagSet', [node('ResourceType', type), node('ResourceId', id), node('Tags', items('Tag', Object.entries(tags), ([k, v]) => [node('Key', k), node('Value', v)]))]);
}

/** A resource's tags after a ChangeTagsForResource body: removals first, then additions, at most 50 in all. */
export function changedTags(root: XmlElement, current: Tags): Tags {
  const tags = { ...current };
  for (const k of childrenNamed(child(root, 'RemoveTagKeys') ?? root, 'Key')) delete tags[k.text];
  for (const t of childrenNamed(child(root, 'AddTags') ?? root, 'Tag')) {
    const key = childText(t, 'Key');
    if (!key) throw invalidInput('Tag without Key');
    tags[key] = childText(t, 'Value') ?? '';
  }
  if (Object.keys(tags).length > 50) throw new ApiError('ThrottlingException', 'A resource can have at most 50 tags.', 400);
  return tags;
}

/** Operation name from method and path (as CloudTrail and the stats name it). */
export function route53Operation(method: string, rawPath: string): { operation: string; path: string } {
  const path = rawPath.startsWith(VERSION) ? rawPath.slice(VERSION.length).replace(/\/+$/, '') : rawPath;
  const m = method.toUpperCase();
  const routes: Array<[RegExp, Record<string, string>]> = [
    [/^\/hostedzone$/, { POST: 'CreateHostedZone', GET: 'ListHostedZones' }],
    [/^\/hostedzone\/[^/]+$/, { GET: 'GetHostedZone', POST: 'UpdateHostedZoneComment', DELETE: 'DeleteHostedZone' }],
    [/^\/hostedzone\/[^/]+\/rrset$/, { POST: 'ChangeResourceRecordSets', GET: 'ListResourceRecordSets' }],
    [/^\/hostedzone\/[^/]+\/associatevpc$/, { POST: 'AssociateVPCWithHostedZone' }],
    [/^\/hostedzone\/[^/]+\/disassociatevpc$/, { POST: 'DisassociateVPCFromHostedZone' }],
    [/^\/tags\/(hostedzone|healthcheck)\/[^/]+$/, { GET: 'ListTagsForResource', POST: 'ChangeTagsForResource' }],
    [/^\/tags\/(hostedzone|healthcheck)$/, { POST: 'ListTagsForResources' }],
    [/^\/healthcheck$/, { POST: 'CreateHealthCheck', GET: 'ListHealthChecks' }],
    [/^\/healthcheck\/[^/]+$/, { GET: 'GetHealthCheck', POST: 'UpdateHealthCheck', DELETE: 'DeleteHealthCheck' }],
    [/^\/change\/[^/]+$/, { GET: 'GetChange' }],
  ];
  for (const [re, byMethod] of routes) if (re.test(path)) return { operation: byMethod[m] ?? 'UnknownOperation', path };
  return { operation: 'UnknownOperation', path };
}

export function renderRoute53Error(err: ApiError, requestId: string): string {
  return toXml(node('ErrorResponse', [
    node('Error', [node('Type', err.status >= 500 ? 'Receiver' : 'Sender'), node('Code', err.code), node('Message', err.message)]),
    node('RequestId', requestId),
  ], { xmlns: ROUTE53_NAMESPACE }));
}

export function body(req: Route53Request, rootName: string): XmlElement {
  let root: XmlElement;
  try {
    root = parseXml(req.body.toString('utf8'));
  } catch (err) {
    if (err instanceof XmlParseError) throw invalidInput('Could not parse the request body as XML.');
    throw err;
  }
  if (localName(root.name) !== rootName) throw invalidInput(`Expected ${rootName}.`);
  return root;
}

export const segment = (req: Route53Request, index: number): string => decodeURIComponent(req.path.split('/')[index] ?? '');

function zoneFor(ctx: CallContext, id: string, action: string): HostedZone {
  const bare = id.replace(/^\/?hostedzone\//, '');
  ctx.trail.resources.push({ type: 'AWS::Route53::HostedZone', name: bare, arn: zoneArn(bare) });
  ctx.authorize(action, zoneArn(bare));
  const z = zones(ctx)[bare];
  if (!z) throw noSuchZone(bare);
  return z;
}

const changeInfo = (ctx: CallContext): XmlNode => node('ChangeInfo', [
  node('Id', `/change/C${createHash('sha1').update(ctx.requestId).digest('hex').slice(0, 20).toUpperCase()}`),
  node('Status', 'INSYNC'), node('SubmittedAt', ctx.now.toISOString()),
]);

function zoneXml(z: HostedZone): XmlNode {
  return node('HostedZone', [
    node('Id', `/hostedzone/${z.id}`), node('Name', z.name), node('CallerReference', z.callerReference),
    node('Config', [...(z.comment !== undefined ? [node('Comment', z.comment)] : []), node('PrivateZone', z.privateZone)]),
    node('ResourceRecordSetCount', z.records.length),
  ]);
}

const nameServers = (z: HostedZone): string[] => [1, 2, 3, 4].map((i) => `ns-${(parseInt(z.id.slice(-4), 36) + i) % 2048}.awsdns-${i}${i}.sandbox.`);

function recordXml(r: RecordSet): XmlNode {
  return node('ResourceRecordSet', [
    node('Name', r.name), node('Type', r.type),
    ...(r.setIdentifier !== undefined ? [node('SetIdentifier', r.setIdentifier)] : []),
    ...(r.weight !== undefined ? [node('Weight', r.weight)] : []),
    ...(r.alias
      ? [node('AliasTarget', [node('HostedZoneId', r.alias.hostedZoneId), node('DNSName', r.alias.dnsName), node('EvaluateTargetHealth', r.alias.evaluateTargetHealth)])]
      : [node('TTL', r.ttl ?? 300), node('ResourceRecords', items('ResourceRecord', r.values, (v) => [node('Value', v)]))]),
  ]);
}

function readRecord(el: XmlElement): RecordSet {
  const name = childText(el, 'Name');
  const type = childText(el, 'Type');
  if (!name || !type || !RECORD_TYPES.has(type)) throw new ApiError('InvalidChangeBatch', `Invalid resource record set: name ${name ?? '(none)'} type ${type ?? '(none)'}`, 400);
  const alias = child(el, 'AliasTarget');
  const ttl = childText(el, 'TTL');
  const list = child(el, 'ResourceRecords');
  const values = list ? childrenNamed(list, 'ResourceRecord').map((r) => childText(r, 'Value') ?? '') : [];
  const weight = childText(el, 'Weight');
  if (alias && (ttl !== undefined || values.length)) throw new ApiError('InvalidChangeBatch', 'Alias resource record sets cannot have TTL or ResourceRecords', 400);
  if (!alias && !values.length) throw new ApiError('InvalidChangeBatch', 'A resource record set must have ResourceRecords or an AliasTarget', 400);
  return {
    name: fqdn(name), type, ...(ttl !== undefined ? { ttl: Number(ttl) } : {}), values,
    ...(childText(el, 'SetIdentifier') !== undefined ? { setIdentifier: childText(el, 'SetIdentifier') } : {}),
    ...(weight !== undefined ? { weight: Number(weight) } : {}),
    ...(alias ? { alias: { hostedZoneId: childText(alias, 'HostedZoneId') ?? '', dnsName: fqdn(childText(alias, 'DNSName') ?? ''), evaluateTargetHealth: childText(alias, 'EvaluateTargetHealth') === 'true' } } : {}),
  };
}

const sameSet = (a: RecordSet, b: RecordSet): boolean => a.name === b.name && a.type === b.type && (a.setIdentifier ?? '') === (b.setIdentifier ?? '');
export const result = (root: string, children: XmlNode[], status = 200): Route53Result => ({ status, body: toXml(node(root, children, { xmlns: ROUTE53_NAMESPACE })) });

/** A `<VPC><VPCRegion/><VPCId/></VPC>` element naming a VPC of this account (the region defaults to the caller's). */
function vpcOf(ctx: CallContext, el: XmlElement | undefined): { vpcId: string; region: string } {
  const vpcId = el ? childText(el, 'VPCId') : undefined;
  if (!vpcId) throw invalidInput('VPCId is required.');
  const region = (el ? childText(el, 'VPCRegion') : undefined) ?? ctx.region;
  const v = ctx.world.vpcs[vpcId];
  if (!v || v.region !== region) throw new ApiError('InvalidVPCId', `The VPC ID ${vpcId} in region ${region} is invalid or does not exist.`, 400);
  return { vpcId, region };
}

type Handler = (ctx: CallContext, req: Route53Request) => Route53Result;

export const route53Operations: Record<string, Handler> = {
  CreateHostedZone(ctx, req) {
    const root = body(req, 'CreateHostedZoneRequest');
    const name = childText(root, 'Name');
    const ref = childText(root, 'CallerReference');
    if (!name || !ref) throw invalidInput('Name and CallerReference are required.');
    const id = `Z${createHash('sha256').update(`${ctx.world.accountId}/${ref}`).digest('hex').slice(0, 20).toUpperCase()}`;
    ctx.trail.resources.push({ type: 'AWS::Route53::HostedZone', name: id, arn: zoneArn(id) });
    ctx.authorize('route53:CreateHostedZone', '*');
    if (Object.values(zones(ctx)).some((z) => z.callerReference === ref)) throw new ApiError('HostedZoneAlreadyExists', `A hosted zone has already been created with the specified caller reference.`, 409);
    const config = child(root, 'HostedZoneConfig');
    const zoneName = fqdn(name);
    const z: HostedZone = {
      id, name: zoneName, callerReference: ref, comment: config ? childText(config, 'Comment') : undefined,
      privateZone: Boolean(child(root, 'VPC')) || (config ? childText(config, 'PrivateZone') === 'true' : false), tags: {}, records: [],
    };
    const vpc = child(root, 'VPC');
    if (vpc) z.vpcs = [vpcOf(ctx, vpc)];
    z.records.push(
      { name: zoneName, type: 'NS', ttl: 172800, values: nameServers(z) },
      { name: zoneName, type: 'SOA', ttl: 900, values: [`${nameServers(z)[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`] },
    );
    zones(ctx)[id] = z;
    return result('CreateHostedZoneResponse', [zoneXml(z), changeInfo(ctx), node('DelegationSet', [node('NameServers', items('NameServer', nameServers(z), (n) => n))])], 201);
  },
  GetHostedZone(ctx, req) {
    const z = zoneFor(ctx, segment(req, 2), 'route53:GetHostedZone');
    // A private zone answers its VPCs instead of a delegation set.
    if (z.privateZone) return result('GetHostedZoneResponse', [zoneXml(z), node('VPCs', items('VPC', z.vpcs ?? [], (v) => [node('VPCRegion', v.region), node('VPCId', v.vpcId)]))]);
    return result('GetHostedZoneResponse', [zoneXml(z), node('DelegationSet', [node('NameServers', items('NameServer', nameServers(z), (n) => n))])]);
  },
  ListHostedZones(ctx, req) {
    ctx.authorize('route53:ListHostedZones', '*');
    const max = Math.min(100, Number(req.query.get('maxitems') ?? '100') || 100);
    const all = Object.values(zones(ctx)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const marker = req.query.get('marker');
    const start = marker ? all.findIndex((z) => z.id === marker) : 0;
    if (start < 0) throw invalidInput(`Invalid marker ${marker}`);
    const page = all.slice(start, start + max);
    const next = all[start + max];
    return result('ListHostedZonesResponse', [
      node('HostedZones', page.map(zoneXml)), ...(marker ? [node('Marker', marker)] : []), node('IsTruncated', next !== undefined),
      ...(next ? [node('NextMarker', next.id)] : []), node('MaxItems', max),
    ]);
  },
  UpdateHostedZoneComment(ctx, req) {
    const z = zoneFor(ctx, segment(req, 2), 'route53:UpdateHostedZoneComment');
    const comment = childText(body(req, 'UpdateHostedZoneCommentRequest'), 'Comment');
    z.comment = comment || undefined;
    return result('UpdateHostedZoneCommentResponse', [zoneXml(z)]);
  },
  DeleteHostedZone(ctx, req) {
    const z = zoneFor(ctx, segment(req, 2), 'route53:DeleteHostedZone');
    if (z.records.some((r) => !(r.name === z.name && (r.type === 'NS' || r.type === 'SOA')))) {
      throw new ApiError('HostedZoneNotEmpty', 'The specified hosted zone contains non-required resource record sets and so cannot be deleted.', 400);
    }
    delete zones(ctx)[z.id];
    return result('DeleteHostedZoneResponse', [changeInfo(ctx)]);
  },
  ChangeResourceRecordSets(ctx, req) {
    const z = zoneFor(ctx, segment(req, 2), 'route53:ChangeResourceRecordSets');
    const batch = child(body(req, 'ChangeResourceRecordSetsRequest'), 'ChangeBatch');
    const changes = batch ? childrenNamed(child(batch, 'Changes') ?? batch, 'Change') : [];
    if (!changes.length) throw invalidInput('ChangeBatch must contain at least one change.');
    // All or nothing: apply to a copy, commit when every change is valid.
    const next = [...z.records];
    for (const c of changes) {
      const action = childText(c, 'Action');
      const el = child(c, 'ResourceRecordSet');
      if (!el) throw new ApiError('InvalidChangeBatch', 'Change without ResourceRecordSet', 400);
      const r = readRecord(el);
      if (!r.name.endsWith(z.name)) throw new ApiError('InvalidChangeBatch', `RRSet with DNS name ${r.name} is not permitted in zone ${z.name}`, 400);
      const at = next.findIndex((x) => sameSet(x, r));
      if (action === 'CREATE') {
        if (at >= 0) throw new ApiError('InvalidChangeBatch', `[Tried to create resource record set [name='${r.name}', type='${r.type}'] but it already exists]`, 400);
        next.push(r);
      } else if (action === 'UPSERT') {
        if (at >= 0) next[at] = r;
        else next.push(r);
      } else if (action === 'DELETE') {
        if (at < 0) throw new ApiError('InvalidChangeBatch', `[Tried to delete resource record set [name='${r.name}', type='${r.type}'] but it was not found]`, 400);
        next.splice(at, 1);
      } else {
        throw invalidInput(`Invalid change action ${action ?? '(none)'}`);
      }
    }
    z.records = next;
    return result('ChangeResourceRecordSetsResponse', [changeInfo(ctx)]);
  },
  ListResourceRecordSets(ctx, req) {
    const z = zoneFor(ctx, segment(req, 2), 'route53:ListResourceRecordSets');
    const max = Math.min(300, Number(req.query.get('maxitems') ?? '300') || 300);
    const key = (r: { name: string; type: string; setIdentifier?: string }): string => `${r.name}\u0000${r.type}\u0000${r.setIdentifier ?? ''}`;
    const sorted = [...z.records].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    const fromName = req.query.get('name');
    const fromType = req.query.get('type');
    const fromId = req.query.get('identifier');
    const start = fromName === undefined ? 0 : sorted.findIndex((r) => key(r) >= key({ name: fqdn(fromName), type: fromType ?? '', setIdentifier: fromId }));
    const page = start < 0 ? [] : sorted.slice(start, start + max);
    const next = start < 0 ? undefined : sorted[start + max];
    return result('ListResourceRecordSetsResponse', [
      node('ResourceRecordSets', page.map(recordXml)), node('IsTruncated', next !== undefined),
      ...(next ? [node('NextRecordName', next.name), node('NextRecordType', next.type), ...(next.setIdentifier !== undefined ? [node('NextRecordIdentifier', next.setIdentifier)] : [])] : []),
      node('MaxItems', max),
    ]);
  },
  ListTagsForResource(ctx, req) {
    const z = zoneFor(ctx, segment(req, 3), 'route53:ListTagsForResource');
    return result('ListTagsForResourceResponse', [tagSetXml('hostedzone', z.id, z.tags)]);
  },
  ChangeTagsForResource(ctx, req) {
    const z = zoneFor(ctx, segment(req, 3), 'route53:ChangeTagsForResource');
    z.tags = changedTags(body(req, 'ChangeTagsForResourceRequest'), z.tags);
    return result('ChangeTagsForResourceResponse', []);
  },
  AssociateVPCWithHostedZone(ctx, req) {
    const z = zoneFor(ctx, segment(req, 2), 'route53:AssociateVPCWithHostedZone');
    const vpc = vpcOf(ctx, child(body(req, 'AssociateVPCWithHostedZoneRequest'), 'VPC'));
    if (!z.privateZone) throw new ApiError('PublicZoneVPCAssociation', 'Public hosted zone cannot be associated with a VPC.', 400);
    if ((z.vpcs ?? []).some((v) => v.vpcId === vpc.vpcId && v.region === vpc.region)) {
      throw new ApiError('ConflictingDomainExists', `The VPC ${vpc.vpcId} in ${vpc.region} region has already been associated with the hosted zone ${z.id} with the same domain name.`, 400);
    }
    z.vpcs = [...(z.vpcs ?? []), vpc];
    return result('AssociateVPCWithHostedZoneResponse', [changeInfo(ctx)]);
  },
  DisassociateVPCFromHostedZone(ctx, req) {
    const z = zoneFor(ctx, segment(req, 2), 'route53:DisassociateVPCFromHostedZone');
    const vpc = vpcOf(ctx, child(body(req, 'DisassociateVPCFromHostedZoneRequest'), 'VPC'));
    const list = z.vpcs ?? [];
    if (!list.some((v) => v.vpcId === vpc.vpcId && v.region === vpc.region)) throw new ApiError('VPCAssociationNotFound', `The specified VPC ${vpc.vpcId} and hosted zone ${z.id} are not currently associated.`, 404);
    if (list.length === 1) throw new ApiError('LastVPCAssociation', 'The VPC that you\'re trying to disassociate from the private hosted zone is the last VPC that is associated with the hosted zone.', 400);
    z.vpcs = list.filter((v) => !(v.vpcId === vpc.vpcId && v.region === vpc.region));
    return result('DisassociateVPCFromHostedZoneResponse', [changeInfo(ctx)]);
  },
  GetChange(ctx, req) {
    ctx.authorize('route53:GetChange', '*');
    return result('GetChangeResponse', [node('ChangeInfo', [node('Id', `/change/${segment(req, 2)}`), node('Status', 'INSYNC'), node('SubmittedAt', ctx.now.toISOString())])]);
  },
};
