// aws_cloudfront_distribution ↔ one ListDistributions listing (1,000 a page) for every declared
// distribution: its summaries carry the config this type compares except default_root_object and
// logging_config, which one GetDistributionConfig per distribution reads, and only when the block
// declares one of them.
// Tags come from the Tagging API (100 ARNs a call) where the check reads us-east-1, else (and for
// untagged distributions, which it does not list) from one ListTagsForResource each.
//
// A distribution has more than a hundred arguments; this type compares a chosen subset (what
// decides who can reach what, and how): enabled, comment, default_root_object, price_class,
// http_version, is_ipv6_enabled, aliases, web_acl_id, logging_config, each origin's domain, id,
// path, origin access control, connection settings and custom origin settings, the key fields of
// the default and the ordered cache behaviours (the ordered ones in their order: it decides which
// path pattern wins), the viewer certificate, the geo restriction and tags. The rest is listed in
// notCompared with the reason. Arguments the provider defaults (price_class PriceClass_All,
// http_version http2, is_ipv6_enabled false, compress false, minimum_protocol_version TLSv1,
// origin_path "", connection_attempts 3, connection_timeout 10, a custom origin's keep-alive 5 and
// read timeout 30) compare against that default when undeclared;
// Optional arguments without one (comment, default_root_object, web_acl_id, aliases, cache_policy_id)
// compare against empty, as Terraform's plan does.
//
// Revert reads the config with its ETag (GetDistributionConfig), changes only the drifted argument
// and writes it back with UpdateDistribution under If-Match, as the provider does.
import {
  CacheBehavior, DefaultCacheBehavior, DistributionConfig, DistributionSummary, GetDistributionConfigCommand, ListDistributionsCommand, UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import type { LiveEntry } from '../../drift/snapshot';
import type { Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { blocksOf, firstBlock, stringsOf, type Block } from './blocks';
import { atom, cloudFrontTags, cloudFrontTagsInBulk, isCloudFrontNotFound, revertCloudFrontTags } from './cloudfront-common';
import { bool, cannotRevert, failureText, foundEntry, missingEntry, num, perTarget, str } from './common';
import type { ReadContext, ResourceType, RevertOutcome } from './resource-type';

const TYPE = 'aws_cloudfront_distribution';
const DEFAULT_MINIMUM_PROTOCOL = 'TLSv1';

const upperSorted = (v: unknown): string[] => stringsOf(v).map((m) => m.toUpperCase()).sort();

/** The provider's defaults for an origin's connection settings and a custom origin's timeouts. */
const ORIGIN_DEFAULTS = { connection_attempts: 3, connection_timeout: 10, origin_keepalive_timeout: 5, origin_read_timeout: 30 };

/** A custom origin's settings as one phrase ('' for an S3 origin), the provider's defaults filled in. */
function customOrigin(v: unknown): string {
  const c = firstBlock(v);
  if (!c) return '';
  return atom([
    ['http_port', num(c.http_port) ?? ''], ['https_port', num(c.https_port) ?? ''], ['origin_protocol_policy', str(c.origin_protocol_policy) ?? ''],
    ['origin_ssl_protocols', stringsOf(c.origin_ssl_protocols).sort()],
    ['origin_keepalive_timeout', num(c.origin_keepalive_timeout) ?? ORIGIN_DEFAULTS.origin_keepalive_timeout],
    ['origin_read_timeout', num(c.origin_read_timeout) ?? ORIGIN_DEFAULTS.origin_read_timeout],
  ]).replace(/ /g, ',');
}

/** Each origin as one atom of the fields compared (the rest of an origin is not compared: see notCompared). */
function origins(value: Known): Known {
  return blocksOf(value).map((o) => atom([
    ['origin_id', str(o.origin_id) ?? ''], ['domain_name', (str(o.domain_name) ?? '').toLowerCase()], ['origin_path', str(o.origin_path) ?? ''],
    ['origin_access_control_id', str(o.origin_access_control_id) ?? ''],
    ['connection_attempts', num(o.connection_attempts) ?? ORIGIN_DEFAULTS.connection_attempts],
    ['connection_timeout', num(o.connection_timeout) ?? ORIGIN_DEFAULTS.connection_timeout],
    ['custom_origin_config', `{${customOrigin(o.custom_origin_config)}}`],
  ])).sort();
}

function defaultCacheBehavior(value: Known): Known {
  const b = firstBlock(value);
  return b ? [atom(behaviorFields(b))] : [];
}

/** The key fields of a cache behaviour (default or ordered), in a fixed order. */
function behaviorFields(b: Block): Array<[string, unknown]> {
  return [
    ['target_origin_id', str(b.target_origin_id) ?? ''], ['viewer_protocol_policy', str(b.viewer_protocol_policy) ?? ''],
    ['allowed_methods', upperSorted(b.allowed_methods)], ['cached_methods', upperSorted(b.cached_methods)],
    ['cache_policy_id', str(b.cache_policy_id) ?? ''], ['compress', bool(b.compress) ?? false],
  ];
}

/** Ordered behaviours: each atom carries its position, so a reordering is drift as it is in CloudFront. */
function orderedCacheBehaviors(value: Known): Known {
  return blocksOf(value).map((b, i) => atom([['#', i], ['path_pattern', str(b.path_pattern) ?? ''], ...behaviorFields(b)]));
}

/** Logging is on exactly when the block is declared (the provider sends Enabled = false without it). */
function loggingConfig(value: Known): Known {
  const l = firstBlock(value);
  return l ? [atom([['bucket', str(l.bucket) ?? ''], ['include_cookies', bool(l.include_cookies) ?? false], ['prefix', str(l.prefix) ?? '']])] : [];
}

/**
 * The certificate and the TLS settings that go with it. With CloudFront's default certificate,
 * CloudFront applies TLSv1 whatever minimum_protocol_version says, so it is not compared then.
 */
function viewerCertificate(value: Known): Known {
  const c = firstBlock(value);
  if (!c) return [];
  const defaultCertificate = bool(c.cloudfront_default_certificate) ?? false;
  return [atom([
    ['acm_certificate_arn', str(c.acm_certificate_arn) ?? ''], ['iam_certificate_id', str(c.iam_certificate_id) ?? ''],
    ['cloudfront_default_certificate', defaultCertificate], ['ssl_support_method', defaultCertificate ? '' : str(c.ssl_support_method) ?? ''],
    ['minimum_protocol_version', defaultCertificate ? '' : str(c.minimum_protocol_version) ?? DEFAULT_MINIMUM_PROTOCOL],
  ])];
}

function restrictions(value: Known): Known {
  const geo = firstBlock(firstBlock(value)?.geo_restriction);
  if (!geo) return [];
  return [atom([['restriction_type', str(geo.restriction_type) ?? ''], ['locations', stringsOf(geo.locations).map((l) => l.toUpperCase()).sort()]])];
}

/** A cache behaviour's key fields in Terraform's shape. */
function behaviorOf(b: DefaultCacheBehavior | CacheBehavior): Block {
  return {
    target_origin_id: b.TargetOriginId ?? '', viewer_protocol_policy: b.ViewerProtocolPolicy ?? '',
    allowed_methods: b.AllowedMethods?.Items ?? [], cached_methods: b.AllowedMethods?.CachedMethods?.Items ?? [],
    cache_policy_id: b.CachePolicyId ?? '', compress: b.Compress ?? false,
  };
}

/** The summary (or a full config) in Terraform's shape, for the arguments compared. */
function attributesOf(d: DistributionSummary | DistributionConfig): Record<string, unknown> {
  const behavior = d.DefaultCacheBehavior;
  const cert = d.ViewerCertificate;
  const geo = d.Restrictions?.GeoRestriction;
  const ownCertificate = Boolean(cert?.ACMCertificateArn || cert?.IAMCertificateId);
  return {
    enabled: d.Enabled ?? false,
    comment: d.Comment ?? '',
    price_class: d.PriceClass ?? '',
    http_version: d.HttpVersion ?? '',
    is_ipv6_enabled: d.IsIPV6Enabled ?? false,
    web_acl_id: d.WebACLId ?? '',
    aliases: d.Aliases?.Items ?? [],
    origin: (d.Origins?.Items ?? []).map((o) => ({
      origin_id: o.Id ?? '', domain_name: o.DomainName ?? '', origin_path: o.OriginPath ?? '', origin_access_control_id: o.OriginAccessControlId ?? '',
      connection_attempts: o.ConnectionAttempts ?? ORIGIN_DEFAULTS.connection_attempts, connection_timeout: o.ConnectionTimeout ?? ORIGIN_DEFAULTS.connection_timeout,
      custom_origin_config: o.CustomOriginConfig ? [{
        http_port: o.CustomOriginConfig.HTTPPort, https_port: o.CustomOriginConfig.HTTPSPort, origin_protocol_policy: o.CustomOriginConfig.OriginProtocolPolicy ?? '',
        origin_ssl_protocols: o.CustomOriginConfig.OriginSslProtocols?.Items ?? [],
        origin_keepalive_timeout: o.CustomOriginConfig.OriginKeepaliveTimeout ?? ORIGIN_DEFAULTS.origin_keepalive_timeout,
        origin_read_timeout: o.CustomOriginConfig.OriginReadTimeout ?? ORIGIN_DEFAULTS.origin_read_timeout,
      }] : [],
    })),
    default_cache_behavior: behavior ? [behaviorOf(behavior)] : [],
    ordered_cache_behavior: (d.CacheBehaviors?.Items ?? []).map((b) => ({ path_pattern: b.PathPattern ?? '', ...behaviorOf(b) })),
    // As the provider flattens it: the support method only with a certificate of one's own.
    viewer_certificate: cert ? [{
      acm_certificate_arn: cert.ACMCertificateArn ?? '', iam_certificate_id: cert.IAMCertificateId ?? '', cloudfront_default_certificate: cert.CloudFrontDefaultCertificate ?? false,
      ssl_support_method: ownCertificate ? cert.SSLSupportMethod ?? '' : '', minimum_protocol_version: cert.MinimumProtocolVersion ?? '',
    }] : [],
    restrictions: geo ? [{ geo_restriction: [{ restriction_type: geo.RestrictionType ?? '', locations: geo.Items ?? [] }] }] : [],
  };
}

async function allDistributions(ctx: ReadContext): Promise<Map<string, DistributionSummary>> {
  const byId = new Map<string, DistributionSummary>();
  let Marker: string | undefined;
  do {
    const out = await ctx.clients.gate.call('cloudfront:ListDistributions', () => ctx.clients.cloudfront.send(new ListDistributionsCommand({ MaxItems: 1000, Marker })));
    for (const d of out.DistributionList?.Items ?? []) if (d.Id) byId.set(d.Id, d);
    Marker = out.DistributionList?.IsTruncated ? out.DistributionList.NextMarker : undefined;
  } while (Marker);
  return byId;
}

/** Sets a live behaviour's compared fields to the declared ones (the rest of it stays as it is). */
function writeBehavior(live: DefaultCacheBehavior | CacheBehavior, b: Block): void {
  const allowed = upperSorted(b.allowed_methods);
  const cached = upperSorted(b.cached_methods);
  type Methods = NonNullable<DefaultCacheBehavior['AllowedMethods']>;
  live.TargetOriginId = str(b.target_origin_id) ?? live.TargetOriginId;
  live.ViewerProtocolPolicy = (str(b.viewer_protocol_policy) ?? live.ViewerProtocolPolicy) as DefaultCacheBehavior['ViewerProtocolPolicy'];
  live.AllowedMethods = {
    Quantity: allowed.length, Items: allowed as Methods['Items'],
    CachedMethods: { Quantity: cached.length, Items: cached as NonNullable<Methods['CachedMethods']>['Items'] },
  };
  live.CachePolicyId = str(b.cache_policy_id) ?? '';
  live.Compress = bool(b.compress) ?? false;
}

/** Terraform argument → the change it makes to a full config (undefined: cannot be written in place). */
type ConfigWriter = (config: DistributionConfig, declared: Known) => string | undefined;

const scalarWriter = (set: (c: DistributionConfig, v: Known) => void): ConfigWriter => (c, v) => {
  set(c, v);
  return undefined;
};

const WRITERS: Record<string, ConfigWriter> = {
  enabled: scalarWriter((c, v) => { c.Enabled = bool(v) ?? false; }),
  comment: scalarWriter((c, v) => { c.Comment = typeof v === 'string' ? v : ''; }),
  default_root_object: scalarWriter((c, v) => { c.DefaultRootObject = typeof v === 'string' ? v : ''; }),
  price_class: scalarWriter((c, v) => { c.PriceClass = (str(v) ?? 'PriceClass_All') as DistributionConfig['PriceClass']; }),
  http_version: scalarWriter((c, v) => { c.HttpVersion = (str(v) ?? 'http2') as DistributionConfig['HttpVersion']; }),
  is_ipv6_enabled: scalarWriter((c, v) => { c.IsIPV6Enabled = bool(v) ?? false; }),
  web_acl_id: scalarWriter((c, v) => { c.WebACLId = typeof v === 'string' ? v : ''; }),
  aliases: scalarWriter((c, v) => {
    const items = stringsOf(v);
    c.Aliases = { Quantity: items.length, Items: items };
  }),
  origin(c, v) {
    const declared = blocksOf(v);
    const live = c.Origins?.Items ?? [];
    const ids = (list: string[]) => [...list].sort().join(',');
    if (ids(declared.map((o) => str(o.origin_id) ?? '')) !== ids(live.map((o) => o.Id ?? ''))) {
      return 'origins were added or removed; their full settings are not compared, so Tidemark cannot rebuild them';
    }
    for (const o of live) {
      const want = declared.find((d) => str(d.origin_id) === o.Id) as Block;
      const custom = firstBlock(want.custom_origin_config);
      if (Boolean(custom) !== Boolean(o.CustomOriginConfig)) return `origin ${o.Id} changed between an S3 and a custom origin; Tidemark does not rebuild an origin's type`;
      o.DomainName = str(want.domain_name) ?? o.DomainName;
      o.OriginPath = str(want.origin_path) ?? '';
      o.OriginAccessControlId = str(want.origin_access_control_id) ?? '';
      o.ConnectionAttempts = num(want.connection_attempts) ?? ORIGIN_DEFAULTS.connection_attempts;
      o.ConnectionTimeout = num(want.connection_timeout) ?? ORIGIN_DEFAULTS.connection_timeout;
      if (custom && o.CustomOriginConfig) {
        const protocols = stringsOf(custom.origin_ssl_protocols);
        Object.assign(o.CustomOriginConfig, {
          HTTPPort: num(custom.http_port) ?? o.CustomOriginConfig.HTTPPort, HTTPSPort: num(custom.https_port) ?? o.CustomOriginConfig.HTTPSPort,
          OriginProtocolPolicy: str(custom.origin_protocol_policy) ?? o.CustomOriginConfig.OriginProtocolPolicy,
          OriginSslProtocols: { Quantity: protocols.length, Items: protocols },
          OriginKeepaliveTimeout: num(custom.origin_keepalive_timeout) ?? ORIGIN_DEFAULTS.origin_keepalive_timeout,
          OriginReadTimeout: num(custom.origin_read_timeout) ?? ORIGIN_DEFAULTS.origin_read_timeout,
        });
      }
    }
    return undefined;
  },
  default_cache_behavior(c, v) {
    const b = firstBlock(v);
    if (!b || !c.DefaultCacheBehavior) return 'the default cache behavior is not declared';
    writeBehavior(c.DefaultCacheBehavior, b);
    return undefined;
  },
  ordered_cache_behavior(c, v) {
    const declared = blocksOf(v);
    const live = c.CacheBehaviors?.Items ?? [];
    if (declared.length !== live.length) return 'ordered cache behaviors were added or removed; their full settings are not compared, so Tidemark cannot rebuild them';
    live.forEach((behavior, i) => {
      behavior.PathPattern = str(declared[i]!.path_pattern) ?? behavior.PathPattern;
      writeBehavior(behavior, declared[i]!);
    });
    return undefined;
  },
  logging_config: scalarWriter((c, v) => {
    const l = firstBlock(v);
    c.Logging = l
      ? { Enabled: true, Bucket: str(l.bucket) ?? '', IncludeCookies: bool(l.include_cookies) ?? false, Prefix: str(l.prefix) ?? '' }
      : { Enabled: false, Bucket: '', IncludeCookies: false, Prefix: '' };
  }),
  viewer_certificate(c, v) {
    const b = firstBlock(v);
    if (!b) return 'the viewer certificate is not declared';
    // As the provider expands it: an IAM certificate, else an ACM one (each with its support
    // method), else CloudFront's default certificate.
    const method = { SSLSupportMethod: (str(b.ssl_support_method) ?? '') as 'sni-only' };
    const iam = str(b.iam_certificate_id);
    const acm = str(b.acm_certificate_arn);
    c.ViewerCertificate = {
      ...(iam ? { IAMCertificateId: iam, ...method } : acm ? { ACMCertificateArn: acm, ...method } : { CloudFrontDefaultCertificate: bool(b.cloudfront_default_certificate) ?? false }),
      MinimumProtocolVersion: (str(b.minimum_protocol_version) ?? DEFAULT_MINIMUM_PROTOCOL) as 'TLSv1',
    };
    return undefined;
  },
  restrictions(c, v) {
    const geo = firstBlock(firstBlock(v)?.geo_restriction);
    if (!geo) return 'the geo restriction is not declared';
    const locations = stringsOf(geo.locations).map((l) => l.toUpperCase()).sort();
    c.Restrictions = { GeoRestriction: { RestrictionType: (str(geo.restriction_type) ?? 'none') as 'none', Quantity: locations.length, Items: locations } };
    return undefined;
  },
};

async function writeConfig(clients: AwsClients, id: string, attribute: string, declared: Known, writer: ConfigWriter): Promise<RevertOutcome> {
  const cf = clients.cloudfront;
  const current = await clients.gate.call('cloudfront:GetDistributionConfig', () => cf.send(new GetDistributionConfigCommand({ Id: id })));
  const config = current.DistributionConfig;
  if (!config || !current.ETag) return { ok: false, message: `distribution ${id} returned no config to update` };
  const refused = writer(config, declared);
  if (refused) return cannotRevert(attribute, refused);
  await clients.gate.call('cloudfront:UpdateDistribution', () => cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: current.ETag, DistributionConfig: config })));
  return { ok: true, message: `${attribute} of distribution ${id} restored` };
}

export const awsCloudfrontDistribution: ResourceType = {
  type: TYPE,
  taggingType: 'cloudfront:distribution',
  tags: true,
  attributes: [
    { name: 'enabled', compare: 'scalar', severity: 'error' },
    { name: 'comment', compare: 'scalar', default: '' },
    { name: 'default_root_object', compare: 'scalar', default: '' },
    { name: 'price_class', compare: 'scalar', default: 'PriceClass_All' },
    { name: 'http_version', compare: 'scalar', default: 'http2' },
    { name: 'is_ipv6_enabled', compare: 'scalar', default: false },
    { name: 'aliases', compare: 'set', default: [], normalize: (v) => (typeof v === 'string' ? v.toLowerCase() : v) },
    { name: 'web_acl_id', compare: 'scalar', default: '', severity: 'error' },
    { name: 'origin', compare: 'blocks', normalize: origins },
    { name: 'default_cache_behavior', compare: 'blocks', normalize: defaultCacheBehavior },
    { name: 'ordered_cache_behavior', compare: 'blocks', normalize: orderedCacheBehaviors, default: [] },
    { name: 'logging_config', compare: 'blocks', normalize: loggingConfig, default: [] },
    { name: 'viewer_certificate', compare: 'blocks', normalize: viewerCertificate, severity: 'error' },
    { name: 'restrictions', compare: 'blocks', normalize: restrictions },
  ],
  notCompared: {
    arn: 'computed by AWS', id: 'computed by AWS', domain_name: 'computed by AWS', hosted_zone_id: 'a constant of CloudFront',
    etag: 'the config version: it changes with every update', status: 'AWS moves it while a change deploys', last_modified_time: 'AWS sets it on every update',
    in_progress_validation_batches: 'computed by AWS', caller_reference: 'computed by the provider at create (ForceNew)',
    trusted_key_groups: 'computed by AWS from the behaviours', trusted_signers: 'computed by AWS from the behaviours',
    'origin.s3_origin_config': 'not compared yet (origin access identities are legacy; origin access controls are compared)',
    'origin.custom_header': 'not compared yet: header values are often secrets shared with the origin',
    'origin.origin_shield': 'not compared yet', 'origin.vpc_origin_config': 'not compared yet',
    'default_cache_behavior.forwarded_values': 'not compared yet: legacy cache settings (cache_policy_id is compared)',
    'default_cache_behavior.function_association': 'not compared yet', 'default_cache_behavior.lambda_function_association': 'not compared yet',
    'default_cache_behavior.min_ttl': 'not compared yet', 'default_cache_behavior.default_ttl': 'not compared yet', 'default_cache_behavior.max_ttl': 'not compared yet',
    'default_cache_behavior.origin_request_policy_id': 'not compared yet', 'default_cache_behavior.response_headers_policy_id': 'not compared yet',
    'default_cache_behavior.realtime_log_config_arn': 'not compared yet', 'default_cache_behavior.field_level_encryption_id': 'not compared yet',
    'default_cache_behavior.smooth_streaming': 'not compared yet', 'default_cache_behavior.trusted_key_groups': 'not compared yet',
    'default_cache_behavior.trusted_signers': 'not compared yet',
    'ordered_cache_behavior.*': 'beyond the fields the default cache behavior compares (and path_pattern): not compared yet',
    origin_group: 'not compared yet',
    custom_error_response: 'not compared yet: AWS fills in error_caching_min_ttl when it is left out, which the provider keeps as declared',
    continuous_deployment_policy_id: 'not compared yet', staging: 'not compared yet',
    retain_on_delete: 'a Terraform-side setting', wait_for_deployment: 'a Terraform-side setting',
  },
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:cloudfront::\d{12}:distribution\/([A-Z0-9]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => String((live.attributes.aliases as string[] | undefined)?.[0] ?? live.attributes.comment ?? live.id).replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'distribution',

  async read(targets, ctx) {
    let listed: Map<string, DistributionSummary>;
    try {
      listed = await allDistributions(ctx);
    } catch (error) {
      const reason = failureText(error);
      return new Map<string, LiveEntry>(targets.map((t) => [t.address, { status: 'unknown', reason, readAt: ctx.now }]));
    }
    const arns = targets.map((t) => listed.get(t.id)?.ARN).filter((a): a is string => Boolean(a));
    const tags = await cloudFrontTagsInBulk([...new Set(arns)], ctx);
    return perTarget(targets, ctx, async (t) => {
      const d = listed.get(t.id);
      if (!d || !d.ARN) return missingEntry(ctx, t.id, `distribution ${t.id} does not exist`);
      const attributes = attributesOf(d);
      // The arguments compared that the listing lacks: read only when declared (or when nobody said).
      if (!t.needs || t.needs.has('default_root_object') || t.needs.has('logging_config')) {
        try {
          const full = await ctx.clients.gate.call('cloudfront:GetDistributionConfig', () => ctx.clients.cloudfront.send(new GetDistributionConfigCommand({ Id: t.id })));
          const logging = full.DistributionConfig?.Logging;
          attributes.default_root_object = full.DistributionConfig?.DefaultRootObject ?? '';
          // As the provider flattens it: a block only while logging is enabled.
          attributes.logging_config = logging?.Enabled ? [{ bucket: logging.Bucket ?? '', include_cookies: logging.IncludeCookies ?? false, prefix: logging.Prefix ?? '' }] : [];
        } catch (error) {
          if (isCloudFrontNotFound(error)) return missingEntry(ctx, t.id, `distribution ${t.id} does not exist`);
          throw error;
        }
      }
      attributes.tags = await cloudFrontTags(d.ARN, ctx, tags);
      return foundEntry(t, TYPE, ctx, attributes, { arn: d.ARN });
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    if (attribute === 'tags') {
      const arn = request.live.arn;
      if (!arn) return { ok: false, message: `distribution ${id} has no ARN to tag` };
      return revertCloudFrontTags(request, arn, clients);
    }
    const writer = WRITERS[attribute];
    if (!writer) return cannotRevert(attribute, 'Tidemark does not write this argument back');
    return writeConfig(clients, id, attribute, declared, writer);
  },
};
