// The CloudFront types against the sandbox with the real SDK (REST-XML, global, signed for
// us-east-1): aws_cloudfront_distribution, aws_cloudfront_origin_access_control and
// aws_cloudfront_function. The per-type contract (provider-shaped state is clean; changes made by
// hand are drift on exactly their argument; the writers revert them under If-Match; a fresh read
// is clean); arguments left to their provider defaults, the TLS version CloudFront ignores with
// its default certificate and publish = false are not drift; code is compared against state
// through the ETag, read only when the ETag moved; one listing serves every distribution and
// default_root_object costs a call only when declared; gone objects are missing; the sandbox's
// CloudFront error codes, ETags, unsigned answer, Tagging API coverage, CloudTrail records (us-east-1,
// versioned event names) and Debian's aws CLI; the attribution of the writes; `tidemark check` end to end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudFrontClient, CreateDistributionWithTagsCommand, CreateFunctionCommand, CreateOriginAccessControlCommand, DeleteDistributionCommand, DeleteFunctionCommand,
  DescribeFunctionCommand, DistributionConfig, GetDistributionConfigCommand, GetOriginAccessControlCommand, ListTagsForResourceCommand, PublishFunctionCommand, TagResourceCommand,
  UntagResourceCommand, UpdateDistributionCommand, UpdateFunctionCommand, UpdateOriginAccessControlCommand,
} from '@aws-sdk/client-cloudfront';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventExplains } from '../../server/src/attribution/event-attributes';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { driftsOf, revertAll } from './type-check-helpers';
import { runCheck, writeStateFile } from '../support/check-cli';
import { runAwsCli } from '../attribution/aws-cli';
import { assertClean, assertDriftReverted, contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let cf: CloudFrontClient;
const ids = { oac: '', site: '', api: '', siteArn: '', apiArn: '', siteDomain: '', apiDomain: '', rewriteEtag: '', headersEtag: '' };
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0b6a3b6e-1111-2222-3333-444455556666';
const REWRITE = 'function handler(event) { return event.request; }';
const HEADERS = 'function handler(event) { var r = event.response; r.headers["x-site"] = { value: "1" }; return r; }';

/** A DistributionConfig as the provider sends it (every list with its Quantity). */
const API_BEHAVIOR = {
  PathPattern: '/api/*', TargetOriginId: 's3-site', ViewerProtocolPolicy: 'https-only' as const, CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', Compress: false,
  AllowedMethods: { Quantity: 2, Items: ['GET' as const, 'HEAD' as const], CachedMethods: { Quantity: 2, Items: ['GET' as const, 'HEAD' as const] } },
};

function distributionConfig(reference: string, o: { aliases: string[]; origin: { id: string; domain: string; path?: string; oac?: string; custom?: boolean }; policy: string; certificate?: string; geo?: string[] }): DistributionConfig {
  return {
    CallerReference: reference, Comment: `${reference} distribution`, Enabled: true, DefaultRootObject: reference === 'site' ? 'index.html' : '',
    Aliases: { Quantity: o.aliases.length, Items: o.aliases },
    Origins: {
      Quantity: 1,
      Items: [{
        Id: o.origin.id, DomainName: o.origin.domain, OriginPath: o.origin.path ?? '', OriginAccessControlId: o.origin.oac ?? '',
        ...(o.origin.custom
          ? { CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only', OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] } } }
          : { S3OriginConfig: { OriginAccessIdentity: '' } }),
      }],
    },
    DefaultCacheBehavior: {
      TargetOriginId: o.origin.id, ViewerProtocolPolicy: o.policy as 'redirect-to-https', Compress: true, CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
      AllowedMethods: { Quantity: 3, Items: ['GET', 'HEAD', 'OPTIONS'], CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] } },
    },
    CacheBehaviors: reference === 'site' ? { Quantity: 1, Items: [API_BEHAVIOR] } : { Quantity: 0 },
    PriceClass: 'PriceClass_100', HttpVersion: 'http2and3', IsIPV6Enabled: true, WebACLId: '',
    ViewerCertificate: o.certificate
      ? { ACMCertificateArn: o.certificate, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021', CloudFrontDefaultCertificate: false }
      : { CloudFrontDefaultCertificate: true, MinimumProtocolVersion: 'TLSv1' },
    Restrictions: { GeoRestriction: o.geo ? { RestrictionType: 'whitelist', Quantity: o.geo.length, Items: o.geo } : { RestrictionType: 'none', Quantity: 0 } },
  };
}

/** As the AWS provider v5 records them after apply. */
const state = (): StateInstance[] => [
  inst('aws_cloudfront_origin_access_control', 'site', {
    id: ids.oac, name: 'site-oac', description: 'Managed by Terraform', origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4', etag: 'E1',
  }),
  inst('aws_cloudfront_distribution', 'site', {
    id: ids.site, arn: ids.siteArn, domain_name: ids.siteDomain, hosted_zone_id: 'Z2FDTNDATAQYW2', enabled: true, comment: 'site distribution', default_root_object: 'index.html',
    aliases: ['www.example.com', 'example.com'], price_class: 'PriceClass_100', http_version: 'http2and3', is_ipv6_enabled: true, web_acl_id: '', retain_on_delete: false, wait_for_deployment: true,
    origin: [{
      origin_id: 's3-site', domain_name: 'site.s3.us-east-1.amazonaws.com', origin_path: '', origin_access_control_id: ids.oac, connection_attempts: 3, connection_timeout: 10,
      custom_header: [], custom_origin_config: [], origin_shield: [], s3_origin_config: [],
    }],
    default_cache_behavior: [{
      target_origin_id: 's3-site', viewer_protocol_policy: 'redirect-to-https', allowed_methods: ['OPTIONS', 'GET', 'HEAD'], cached_methods: ['HEAD', 'GET'],
      cache_policy_id: '658327ea-f89d-4fab-a63d-7e88639e58f6', compress: true, default_ttl: 0, max_ttl: 0, min_ttl: 0, forwarded_values: [], function_association: [],
    }],
    ordered_cache_behavior: [{
      path_pattern: '/api/*', target_origin_id: 's3-site', viewer_protocol_policy: 'https-only', allowed_methods: ['GET', 'HEAD'], cached_methods: ['GET', 'HEAD'],
      cache_policy_id: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', compress: false, default_ttl: 0, max_ttl: 0, min_ttl: 0, smooth_streaming: false,
    }],
    logging_config: [],
    viewer_certificate: [{ acm_certificate_arn: CERT, cloudfront_default_certificate: false, iam_certificate_id: '', minimum_protocol_version: 'TLSv1.2_2021', ssl_support_method: 'sni-only' }],
    restrictions: [{ geo_restriction: [{ restriction_type: 'whitelist', locations: ['GB', 'DE', 'US'] }] }],
    tags: { Team: 'web' }, tags_all: { Team: 'web' },
  }),
  inst('aws_cloudfront_distribution', 'api', {
    id: ids.api, arn: ids.apiArn, enabled: true, comment: 'api distribution', default_root_object: '', aliases: [], price_class: 'PriceClass_100', http_version: 'http2and3',
    is_ipv6_enabled: true, web_acl_id: '',
    origin: [{
      origin_id: 'alb', domain_name: 'api.internal.example.com', origin_path: '/v1', origin_access_control_id: '', connection_attempts: 3, connection_timeout: 10,
      custom_origin_config: [{ http_port: 80, https_port: 443, origin_protocol_policy: 'https-only', origin_ssl_protocols: ['TLSv1.2'], origin_keepalive_timeout: 5, origin_read_timeout: 30 }],
    }],
    default_cache_behavior: [{
      target_origin_id: 'alb', viewer_protocol_policy: 'https-only', allowed_methods: ['GET', 'HEAD', 'OPTIONS'], cached_methods: ['GET', 'HEAD'],
      cache_policy_id: '658327ea-f89d-4fab-a63d-7e88639e58f6', compress: true,
    }],
    ordered_cache_behavior: [], logging_config: [],
    viewer_certificate: [{ acm_certificate_arn: '', cloudfront_default_certificate: true, iam_certificate_id: '', minimum_protocol_version: 'TLSv1', ssl_support_method: '' }],
    restrictions: [{ geo_restriction: [{ restriction_type: 'none', locations: [] }] }],
    tags: {}, tags_all: {},
  }),
  inst('aws_cloudfront_function', 'rewrite', {
    id: 'rewrite', name: 'rewrite', arn: `arn:aws:cloudfront::${env.sandbox.accountId}:function/rewrite`, runtime: 'cloudfront-js-2.0', comment: 'rewrites paths', code: REWRITE,
    publish: true, etag: ids.rewriteEtag, live_stage_etag: 'ELIVE', status: 'UNASSOCIATED', key_value_store_associations: [],
  }),
  inst('aws_cloudfront_function', 'headers', {
    id: 'headers', name: 'headers', arn: `arn:aws:cloudfront::${env.sandbox.accountId}:function/headers`, runtime: 'cloudfront-js-1.0', comment: 'adds headers', code: HEADERS,
    publish: true, etag: ids.headersEtag, key_value_store_associations: [],
  }),
];

async function createFunction(name: string, runtime: 'cloudfront-js-1.0' | 'cloudfront-js-2.0', comment: string, code: string, publish: boolean): Promise<string> {
  const made = await cf.send(new CreateFunctionCommand({ Name: name, FunctionConfig: { Comment: comment, Runtime: runtime }, FunctionCode: Buffer.from(code) }));
  if (publish) await cf.send(new PublishFunctionCommand({ Name: name, IfMatch: made.ETag }));
  return made.ETag!;
}

/** Changes the DEVELOPMENT stage as the console does, optionally publishing it. */
async function updateFunction(name: string, change: { comment?: string; code?: string }, publish: boolean): Promise<void> {
  const current = await cf.send(new DescribeFunctionCommand({ Name: name, Stage: 'DEVELOPMENT' }));
  const config = current.FunctionSummary!.FunctionConfig!;
  const code = change.code ?? (name === 'rewrite' ? REWRITE : HEADERS);
  const updated = await cf.send(new UpdateFunctionCommand({
    Name: name, IfMatch: current.ETag, FunctionConfig: { Comment: change.comment ?? config.Comment!, Runtime: config.Runtime! }, FunctionCode: Buffer.from(code),
  }));
  if (publish) await cf.send(new PublishFunctionCommand({ Name: name, IfMatch: updated.ETag }));
}

/** Reads a distribution's config, changes it, writes it back under its ETag (what the console does). */
async function editDistribution(id: string, change: (c: DistributionConfig) => void): Promise<void> {
  const current = await cf.send(new GetDistributionConfigCommand({ Id: id }));
  change(current.DistributionConfig!);
  await cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: current.ETag, DistributionConfig: current.DistributionConfig }));
}

before(async () => {
  env = await startTypeSandbox(['cloudfront:*']);
  cf = new CloudFrontClient({ endpoint: env.sandbox.endpoint, region: 'us-east-1', credentials: env.credentials });
  const oac = await cf.send(new CreateOriginAccessControlCommand({ OriginAccessControlConfig: {
    Name: 'site-oac', Description: 'Managed by Terraform', OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4',
  } }));
  ids.oac = oac.OriginAccessControl!.Id!;
  const site = await cf.send(new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: {
    DistributionConfig: distributionConfig('site', {
      aliases: ['www.example.com', 'example.com'], origin: { id: 's3-site', domain: 'site.s3.us-east-1.amazonaws.com', oac: ids.oac }, policy: 'redirect-to-https', certificate: CERT, geo: ['US', 'GB', 'DE'],
    }),
    Tags: { Items: [{ Key: 'Team', Value: 'web' }] },
  } }));
  const api = await cf.send(new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: {
    DistributionConfig: distributionConfig('api', { aliases: [], origin: { id: 'alb', domain: 'api.internal.example.com', path: '/v1', custom: true }, policy: 'https-only' }),
    Tags: { Items: [] },
  } }));
  Object.assign(ids, {
    site: site.Distribution!.Id!, siteArn: site.Distribution!.ARN!, siteDomain: site.Distribution!.DomainName!, api: api.Distribution!.Id!, apiArn: api.Distribution!.ARN!, apiDomain: api.Distribution!.DomainName!,
  });
  ids.rewriteEtag = await createFunction('rewrite', 'cloudfront-js-2.0', 'rewrites paths', REWRITE, true);
  ids.headersEtag = await createFunction('headers', 'cloudfront-js-1.0', 'adds headers', HEADERS, true);
});

after(async () => {
  cf?.destroy();
  await env?.sandbox.stop();
});

contractTests({
  title: 'the CloudFront types',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_cloudfront_distribution.site comment', change: () => editDistribution(ids.site, (c) => { c.Comment = 'hotfix by hand'; }) },
    { drift: 'aws_cloudfront_distribution.site restrictions', change: () => editDistribution(ids.site, (c) => { c.Restrictions = { GeoRestriction: { RestrictionType: 'none', Quantity: 0, Items: [] } }; }) },
    { drift: 'aws_cloudfront_distribution.site viewer_certificate', change: () => editDistribution(ids.site, (c) => { c.ViewerCertificate!.MinimumProtocolVersion = 'TLSv1.2_2019'; }) },
    { drift: 'aws_cloudfront_distribution.site tags', change: () => cf.send(new TagResourceCommand({ Resource: ids.siteArn, Tags: { Items: [{ Key: 'Team', Value: 'hotfix' }] } })) },
    { drift: 'aws_cloudfront_distribution.api origin', change: () => editDistribution(ids.api, (c) => { c.Origins!.Items![0]!.OriginPath = '/v2'; }) },
    { drift: 'aws_cloudfront_distribution.api default_cache_behavior', change: () => editDistribution(ids.api, (c) => { c.DefaultCacheBehavior!.ViewerProtocolPolicy = 'allow-all'; }) },
    { drift: 'aws_cloudfront_distribution.api enabled', change: () => editDistribution(ids.api, (c) => { c.Enabled = false; }) },
    { drift: 'aws_cloudfront_distribution.site ordered_cache_behavior', change: () => editDistribution(ids.site, (c) => { c.CacheBehaviors!.Items![0]!.ViewerProtocolPolicy = 'allow-all'; }) },
    { drift: 'aws_cloudfront_distribution.api logging_config', change: () => editDistribution(ids.api, (c) => { c.Logging = { Enabled: true, Bucket: 'logs.s3.amazonaws.com', IncludeCookies: false, Prefix: 'api/' }; }) },
    { drift: 'aws_cloudfront_origin_access_control.site signing_behavior', change: async () => {
      const current = await cf.send(new GetOriginAccessControlCommand({ Id: ids.oac }));
      await cf.send(new UpdateOriginAccessControlCommand({ Id: ids.oac, IfMatch: current.ETag, OriginAccessControlConfig: { ...current.OriginAccessControl!.OriginAccessControlConfig!, SigningBehavior: 'never' } }));
    } },
    { drift: 'aws_cloudfront_function.rewrite code', change: () => updateFunction('rewrite', { code: 'function handler(event) { return { statusCode: 403 }; }' }, true) },
    { drift: ['aws_cloudfront_function.headers comment', 'aws_cloudfront_function.headers publish'], change: () => updateFunction('headers', { comment: 'edited in the console' }, false) },
  ],
});

test('arguments left to the provider defaults, the TLS version CloudFront ignores with its default certificate, alias case and publish = false are not drift', async () => {
  await assertClean(env.clients, [
    inst('aws_cloudfront_distribution', 'api', {
      id: ids.api, enabled: true, comment: 'api distribution', aliases: [], price_class: 'PriceClass_100', http_version: 'http2and3', is_ipv6_enabled: true,
      origin: [{ origin_id: 'alb', domain_name: 'API.internal.example.com', origin_path: '/v1', custom_origin_config: [{ http_port: 80, https_port: 443, origin_protocol_policy: 'https-only', origin_ssl_protocols: ['TLSv1.2'] }] }],
      default_cache_behavior: [{ target_origin_id: 'alb', viewer_protocol_policy: 'https-only', allowed_methods: ['get', 'head', 'options'], cached_methods: ['GET', 'HEAD'], cache_policy_id: '658327ea-f89d-4fab-a63d-7e88639e58f6', compress: true }],
      viewer_certificate: [{ cloudfront_default_certificate: true, minimum_protocol_version: 'TLSv1.2_2021' }],
      restrictions: [{ geo_restriction: [{ restriction_type: 'none' }] }],
    }),
    inst('aws_cloudfront_distribution', 'site', { ...state()[1]!.attributes, aliases: ['WWW.example.com', 'example.com'] }),
    inst('aws_cloudfront_origin_access_control', 'site', { id: ids.oac, name: 'site-oac', origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4' }),
  ]);
  await updateFunction('headers', { comment: 'adds headers' }, false);
  try {
    await assertClean(env.clients, [inst('aws_cloudfront_function', 'headers', { ...state()[4]!.attributes, publish: false })], { declared: false }, 'unpublished changes are no drift when publish = false');
  } finally {
    await updateFunction('headers', {}, true);
  }
});

test('one listing serves every distribution, default_root_object and logging_config cost a call only when declared; code is read only when the ETag moved', async () => {
  env.sandbox.resetStats();
  const distributions = state().filter((i) => i.type === 'aws_cloudfront_distribution');
  const withoutRoot = distributions.map((i) => ({ ...i, attributes: Object.fromEntries(Object.entries(i.attributes).filter(([k]) => k !== 'default_root_object' && k !== 'logging_config')) }));
  await readLive(env.clients, withoutRoot);
  let stats = env.sandbox.stats();
  assert.equal(stats['cloudfront:ListDistributions'], 1);
  assert.equal(stats['cloudfront:GetDistributionConfig'], undefined, 'no per-distribution call when neither default_root_object nor logging_config is declared');
  assert.equal(env.sandbox.region, 'us-east-1', 'the demo world reads us-east-1, where the Tagging API lists CloudFront');
  assert.equal(stats['tagging:GetResources'], 1, 'one Tagging API call answers every tagged distribution');
  assert.equal(stats['cloudfront:ListTagsForResource'], 1, 'only the untagged distribution needs its own tag call');

  const described = await cf.send(new DescribeFunctionCommand({ Name: 'rewrite', Stage: 'DEVELOPMENT' }));
  const current = state().filter((i) => i.type === 'aws_cloudfront_function').map((i) => (i.name === 'rewrite' ? { ...i, attributes: { ...i.attributes, etag: described.ETag } } : { ...i, attributes: { ...i.attributes, etag: 'ESTALE' } }));
  env.sandbox.resetStats();
  const snapshot = await readLive(env.clients, current);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, current, snapshot), []);
  stats = env.sandbox.stats();
  assert.equal(stats['cloudfront:ListFunctions'], 2, 'one listing per stage');
  assert.equal(stats['cloudfront:DescribeFunction'], 2);
  assert.equal(stats['cloudfront:GetFunction'], 1, 'only the function whose ETag moved has its code read');
});

test('a key value store associated by hand is drift on key_value_store_associations, written back and published', async () => {
  const current = await cf.send(new DescribeFunctionCommand({ Name: 'rewrite', Stage: 'DEVELOPMENT' }));
  const store = `arn:aws:cloudfront::${env.sandbox.accountId}:key-value-store/6f1c3e2a-0000-4000-8000-000000000001`;
  const updated = await cf.send(new UpdateFunctionCommand({
    Name: 'rewrite', IfMatch: current.ETag, FunctionCode: Buffer.from(REWRITE),
    FunctionConfig: { Comment: 'rewrites paths', Runtime: 'cloudfront-js-2.0', KeyValueStoreAssociations: { Quantity: 1, Items: [{ KeyValueStoreARN: store }] } },
  }));
  await cf.send(new PublishFunctionCommand({ Name: 'rewrite', IfMatch: updated.ETag }));
  await assertDriftReverted(env.clients, [state()[3]!], ['aws_cloudfront_function.rewrite key_value_store_associations']);
  const live = await cf.send(new DescribeFunctionCommand({ Name: 'rewrite', Stage: 'LIVE' }));
  assert.equal(live.FunctionSummary?.FunctionConfig?.KeyValueStoreAssociations, undefined, 'the revert was published to LIVE');
});

test('a custom origin sent over plain HTTP is drift on origin, written back; an origin turned from custom to S3 is refused', async () => {
  const api = state()[2]!;
  await editDistribution(ids.api, (c) => { c.Origins!.Items![0]!.CustomOriginConfig!.OriginProtocolPolicy = 'http-only'; });
  await assertDriftReverted(env.clients, [api], ['aws_cloudfront_distribution.api origin']);
  const asS3 = [inst('aws_cloudfront_distribution', 'api', { ...api.attributes, origin: [{ ...(api.attributes.origin as object[])[0], custom_origin_config: [] }] })];
  const snapshot = await readLive(env.clients, asS3);
  const outcomes = await revertAll(RESOURCE_TYPES, asS3, snapshot, env.clients);
  assert.deepEqual(outcomes.map((o) => [o.drift, o.ok]), [['aws_cloudfront_distribution.api origin', false]]);
  assert.match(outcomes[0]!.message, /between an S3 and a custom origin/);
});

test('ordered cache behaviors compare in their order; one the distribution lacks is drift that revert refuses', async () => {
  const site = state()[1]!;
  const behavior = (site.attributes.ordered_cache_behavior as Array<Record<string, unknown>>)[0]!;
  const second = { ...behavior, path_pattern: '/static/*', viewer_protocol_policy: 'redirect-to-https' };
  await editDistribution(ids.site, (c) => { c.CacheBehaviors = { Quantity: 2, Items: [{ ...API_BEHAVIOR, PathPattern: '/static/*', ViewerProtocolPolicy: 'redirect-to-https' }, API_BEHAVIOR] }; });
  try {
    const declared = [inst('aws_cloudfront_distribution', 'site', { ...site.attributes, ordered_cache_behavior: [behavior, second] })];
    const snapshot = await readLive(env.clients, declared);
    assert.deepEqual(driftsOf(RESOURCE_TYPES, declared, snapshot), ['aws_cloudfront_distribution.site ordered_cache_behavior'], 'the same behaviors in another order are drift: order decides which pattern wins');
    const swapped = [inst('aws_cloudfront_distribution', 'site', { ...site.attributes, ordered_cache_behavior: [second, behavior] })];
    assert.deepEqual(driftsOf(RESOURCE_TYPES, swapped, await readLive(env.clients, swapped)), []);
    const asInState = [inst('aws_cloudfront_distribution', 'site', site.attributes)];
    const outcomes = await revertAll(RESOURCE_TYPES, asInState, await readLive(env.clients, asInState), env.clients);
    assert.deepEqual(outcomes.map((o) => [o.drift, o.ok]), [['aws_cloudfront_distribution.site ordered_cache_behavior', false]]);
    assert.match(outcomes[0]!.message, /added or removed/);
  } finally {
    await editDistribution(ids.site, (c) => { c.CacheBehaviors = { Quantity: 1, Items: [API_BEHAVIOR] }; });
  }
});

test('an origin the distribution lacks is drift that revert refuses; a declared certificate the distribution lacks is drift on viewer_certificate; gone objects are missing', async () => {
  const site = state()[1]!;
  const declared = [inst('aws_cloudfront_distribution', 'site', {
    ...site.attributes,
    origin: [...(site.attributes.origin as object[]), { origin_id: 'failover', domain_name: 'failover.example.com', origin_path: '' }],
    viewer_certificate: [{ cloudfront_default_certificate: true }],
  })];
  const snapshot = await readLive(env.clients, declared);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, declared, snapshot).sort(), ['aws_cloudfront_distribution.site origin', 'aws_cloudfront_distribution.site viewer_certificate']);
  const outcomes = await revertAll(RESOURCE_TYPES, declared.map((i) => ({ ...i, attributes: { ...i.attributes, viewer_certificate: site.attributes.viewer_certificate } })), snapshot, env.clients);
  assert.equal(outcomes.length, 1);
  assert.equal(outcomes[0]!.ok, false);
  assert.match(outcomes[0]!.message, /origins were added or removed/);

  await createFunction('old', 'cloudfront-js-1.0', '', 'function handler(e) { return e.request; }', false);
  const old = await cf.send(new DescribeFunctionCommand({ Name: 'old' }));
  await cf.send(new DeleteFunctionCommand({ Name: 'old', IfMatch: old.ETag }));
  const gone = await cf.send(new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: {
    DistributionConfig: { ...distributionConfig('gone', { aliases: [], origin: { id: 'o', domain: 'o.example.com', custom: true }, policy: 'allow-all' }), Enabled: false }, Tags: { Items: [] },
  } }));
  await cf.send(new DeleteDistributionCommand({ Id: gone.Distribution!.Id, IfMatch: gone.ETag }));
  const after = await readLive(env.clients, [
    inst('aws_cloudfront_function', 'old', { name: 'old', runtime: 'cloudfront-js-1.0', code: 'x' }),
    inst('aws_cloudfront_distribution', 'gone', { id: gone.Distribution!.Id, enabled: false }),
    inst('aws_cloudfront_origin_access_control', 'gone', { id: 'E0000000000000', name: 'gone' }),
  ]);
  assert.deepEqual(['aws_cloudfront_function.old', 'aws_cloudfront_distribution.gone', 'aws_cloudfront_origin_access_control.gone'].map((a) => after.get(a)?.status), ['missing', 'missing', 'missing']);
});

test('the sandbox answers CloudFront with its error codes and ETags, lists distributions in the Tagging API and records writes in CloudTrail in us-east-1 with versioned event names', async () => {
  const current = await cf.send(new GetDistributionConfigCommand({ Id: ids.api }));
  await assert.rejects(cf.send(new UpdateDistributionCommand({ Id: ids.api, IfMatch: 'ESTALE', DistributionConfig: current.DistributionConfig })), { name: 'PreconditionFailed' });
  await assert.rejects(cf.send(new UpdateDistributionCommand({ Id: ids.api, DistributionConfig: current.DistributionConfig })), { name: 'InvalidIfMatchVersion' });
  await assert.rejects(cf.send(new GetDistributionConfigCommand({ Id: 'E0000000000000' })), { name: 'NoSuchDistribution' });
  await assert.rejects(cf.send(new UpdateDistributionCommand({ Id: ids.api, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, Aliases: { Quantity: 1, Items: ['api.example.com'] } } })), { name: 'InvalidViewerCertificate' });
  await assert.rejects(cf.send(new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: {
    DistributionConfig: distributionConfig('clash', { aliases: ['example.com'], origin: { id: 'o', domain: 'o.example.com', custom: true }, policy: 'allow-all', certificate: CERT }), Tags: { Items: [] },
  } })), { name: 'CNAMEAlreadyExists' });
  await assert.rejects(cf.send(new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: {
    DistributionConfig: { ...distributionConfig('bad-target', { aliases: [], origin: { id: 'o', domain: 'o.example.com', custom: true }, policy: 'allow-all' }), DefaultCacheBehavior: { ...distributionConfig('x', { aliases: [], origin: { id: 'o', domain: 'o', custom: true }, policy: 'allow-all' }).DefaultCacheBehavior!, TargetOriginId: 'nowhere' } },
    Tags: { Items: [] },
  } })), { name: 'NoSuchOrigin' });
  await assert.rejects(cf.send(new UpdateDistributionCommand({ Id: ids.api, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, Logging: { Enabled: true, Bucket: 'not-a-bucket', IncludeCookies: false, Prefix: '' } } })), { name: 'InvalidLoggingBucket' });
  await assert.rejects(cf.send(new CreateOriginAccessControlCommand({ OriginAccessControlConfig: { Name: 'site-oac', OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } })), { name: 'OriginAccessControlAlreadyExists' });
  await assert.rejects(cf.send(new CreateFunctionCommand({ Name: 'rewrite', FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-2.0' }, FunctionCode: Buffer.from('x') })), { name: 'FunctionAlreadyExists' });
  await assert.rejects(cf.send(new DescribeFunctionCommand({ Name: 'nope' })), { name: 'NoSuchFunctionExists' });
  // A function's DEVELOPMENT stage is UNPUBLISHED until published, UNASSOCIATED after, UNPUBLISHED again once changed.
  const statusOf = async () => (await cf.send(new DescribeFunctionCommand({ Name: 'probe', Stage: 'DEVELOPMENT' }))).FunctionSummary!.Status;
  const probe = await cf.send(new CreateFunctionCommand({ Name: 'probe', FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-2.0' }, FunctionCode: Buffer.from(REWRITE) }));
  assert.equal(await statusOf(), 'UNPUBLISHED');
  await cf.send(new PublishFunctionCommand({ Name: 'probe', IfMatch: probe.ETag }));
  assert.equal(await statusOf(), 'UNASSOCIATED');
  await cf.send(new UpdateFunctionCommand({ Name: 'probe', IfMatch: probe.ETag, FunctionConfig: { Comment: 'changed', Runtime: 'cloudfront-js-2.0' }, FunctionCode: Buffer.from(REWRITE) }));
  assert.equal(await statusOf(), 'UNPUBLISHED');
  // Debian's aws CLI (v2.9) speaks to it unchanged: a tag written through it is the tag the SDK reads.
  await runAwsCli(env.sandbox.endpoint, 'us-east-1', env.credentials, ['cloudfront', 'tag-resource', '--resource', ids.apiArn, '--tags', 'Items=[{Key=Owner,Value=cli}]']);
  assert.deepEqual((await cf.send(new ListTagsForResourceCommand({ Resource: ids.apiArn }))).Tags?.Items, [{ Key: 'Owner', Value: 'cli' }]);
  await cf.send(new UntagResourceCommand({ Resource: ids.apiArn, TagKeys: { Items: ['Owner'] } }));
  // Unsigned: CloudFront's front end answers in its own XML error document.
  const unsigned = await fetch(`${env.sandbox.endpoint}/2020-05-31/distribution`);
  assert.equal(unsigned.status, 403);
  assert.match(await unsigned.text(), /<ErrorResponse xmlns="http:\/\/cloudfront\.amazonaws\.com\/doc\/2020-05-31\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/);

  const world = env.sandbox.world;
  const region = world.regions.includes('us-east-1') ? 'us-east-1' : world.defaultRegion;
  const tagging = new ResourceGroupsTaggingAPIClient({ endpoint: env.sandbox.endpoint, region, credentials: env.credentials });
  try {
    const listed = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['cloudfront:distribution'] }));
    assert.ok((listed.ResourceTagMappingList ?? []).some((m) => m.ResourceARN === ids.siteArn && m.Tags?.some((t) => t.Key === 'Team')));
  } finally {
    tagging.destroy();
  }

  const events = world.events.filter((e) => e.eventSource === 'cloudfront.amazonaws.com' && e.eventName === 'UpdateDistribution2020_05_31');
  assert.ok(events.length > 0 && events.every((e) => e.region === 'us-east-1'), 'UpdateDistribution is recorded in us-east-1 under its versioned name');
  assert.ok(events.some((e) => e.resources.some((r) => r.name === ids.api)), 'the event names the distribution');
  assert.ok(eventExplains({ eventName: 'UpdateDistribution2020_05_31' }, ['comment']));
  assert.ok(eventExplains({ eventName: 'PublishFunction2020_05_31' }, ['publish']) && !eventExplains({ eventName: 'PublishFunction2020_05_31' }, ['code']));
  assert.ok(eventExplains({ eventName: 'TagResource2020_05_31' }, ['tags']) && !eventExplains({ eventName: 'TagResource2020_05_31' }, ['comment']));
  assert.ok(eventExplains({ eventName: 'DeleteDistribution2020_05_31' }, []));
});

test('tidemark check reads the CloudFront types from .tf and state (blocks, references, file() code): clean, then a changed comment is drift at its line', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-cloudfront-'));
  const [oac, site, , rewrite] = state();
  try {
    writeFileSync(path.join(dir, 'rewrite.js'), REWRITE);
    writeFileSync(path.join(dir, 'main.tf'), `provider "aws" {
  region = "${env.sandbox.region}"
}

resource "aws_cloudfront_origin_access_control" "site" {
  name                              = "site-oac"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_distribution" "site" {
  enabled             = true
  comment             = "site distribution"
  default_root_object = "index.html"
  aliases             = ["www.example.com", "example.com"]
  price_class         = "PriceClass_100"
  http_version        = "http2and3"
  is_ipv6_enabled     = true

  origin {
    origin_id                = "s3-site"
    domain_name              = "site.s3.us-east-1.amazonaws.com"
    origin_access_control_id = aws_cloudfront_origin_access_control.site.id
  }

  default_cache_behavior {
    target_origin_id       = "s3-site"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD", "OPTIONS"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    compress               = true
  }

  ordered_cache_behavior {
    path_pattern           = "/api/*"
    target_origin_id       = "s3-site"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  }

  viewer_certificate {
    acm_certificate_arn      = "${CERT}"
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  restrictions {
    geo_restriction {
      restriction_type = "whitelist"
      locations        = ["US", "GB", "DE"]
    }
  }

  tags = {
    Team = "web"
  }
}

resource "aws_cloudfront_function" "rewrite" {
  name    = "rewrite"
  runtime = "cloudfront-js-2.0"
  comment = "rewrites paths"
  code    = file("\${path.module}/rewrite.js")
}
`);
    const described = await cf.send(new DescribeFunctionCommand({ Name: 'rewrite', Stage: 'DEVELOPMENT' }));
    writeStateFile(dir, [oac!, site!, { ...rewrite!, attributes: { ...rewrite!.attributes, etag: described.ETag } }]);
    const clean = await runCheck(env.sandbox, env.credentials, dir, ['--no-attribution']);
    assert.equal(clean.code, 0, clean.out + clean.err);
    await editDistribution(ids.site, (c) => { c.Comment = 'edited in the console'; });
    const drifted = await runCheck(env.sandbox, env.credentials, dir, ['--no-attribution', '--json']);
    assert.equal(drifted.code, 2, drifted.out + drifted.err);
    const report = JSON.parse(drifted.out) as { drifts: Array<{ address: string; attributePath: string[]; range: { start: { line: number } } }> };
    assert.deepEqual(report.drifts.map((d) => `${d.address} ${d.attributePath.join('.')}`), ['aws_cloudfront_distribution.site comment'], drifted.out);
    const commentLine = readFileSync(path.join(dir, 'main.tf'), 'utf8').split('\n').findIndex((l) => l.includes('comment             = "site distribution"'));
    assert.equal(report.drifts[0]!.range.start.line, commentLine, 'the drift points at the comment argument');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await editDistribution(ids.site, (c) => { c.Comment = 'site distribution'; });
  }
});
