// Edge: one global unit is a CloudFront distribution in front of an S3 origin through an origin
// access control, with a viewer-request function and a CLOUDFRONT web ACL; webAclUnit makes the
// WAFv2 web ACL blocks (REGIONAL ones protect the load balancers of lb.ts).
import {
  CloudFrontClient, CreateDistributionWithTagsCommand, type PriceClass, CreateFunctionCommand, CreateOriginAccessControlCommand, DescribeFunctionCommand, PublishFunctionCommand,
} from '@aws-sdk/client-cloudfront';
import { CreateWebACLCommand, WAFV2Client, type CountryCode, type Rule } from '@aws-sdk/client-wafv2';
import { clientFor, tagsFor, type SeededBlock, type Seeder, type SeedTarget } from './seeder';
import { pages, pick, ref, resourceBlock, slug, tagList, TEAMS, type Body } from './block-text';

const visibility = (metric: string) => ({ CloudWatchMetricsEnabled: true, MetricName: metric, SampledRequestsEnabled: true });
const tfVisibility = (metric: string) => [{ cloudwatch_metrics_enabled: true, metric_name: metric, sampled_requests_enabled: true }];
const visibilityBlock = (metric: string) => ({ block: 'visibility_config', body: [['cloudwatch_metrics_enabled', true], ['metric_name', metric], ['sampled_requests_enabled', true]] as Body });

/** Every statement alternative the provider v5 records, empty. */
const EMPTY_STATEMENT = {
  and_statement: [], byte_match_statement: [], geo_match_statement: [], ip_set_reference_statement: [], label_match_statement: [], managed_rule_group_statement: [],
  not_statement: [], or_statement: [], rate_based_statement: [], regex_match_statement: [], regex_pattern_set_reference_statement: [], rule_group_reference_statement: [],
  size_constraint_statement: [], sqli_match_statement: [], xss_match_statement: [],
};
const blockAction = [{ allow: [], block: [{ custom_response: [] }], captcha: [], challenge: [], count: [] }];

/**
 * A web ACL allowing by default, with a geo block and a rate limit, created in `scope`
 * (CLOUDFRONT ones live in us-east-1); its block and state, and its ARN for associations.
 */
export async function webAclUnit(target: SeedTarget, scope: 'REGIONAL' | 'CLOUDFRONT', aclName: string, blockName: string, team: string, random: () => number): Promise<{ arn: string; block: SeededBlock }> {
  const waf = clientFor(WAFV2Client, scope === 'CLOUDFRONT' ? { ...target, region: 'us-east-1' } : target);
  const countries = pick<CountryCode[]>([['KP', 'IR'], ['KP'], ['IR', 'SY']], random);
  const limit = pick([1000, 2000, 5000], random);
  const rules: Rule[] = [
    { Name: 'geo', Priority: 1, Action: { Block: {} }, VisibilityConfig: visibility('geo'), Statement: { GeoMatchStatement: { CountryCodes: countries } } },
    { Name: 'rate', Priority: 2, Action: { Block: {} }, VisibilityConfig: visibility('rate'), Statement: { RateBasedStatement: { Limit: limit, AggregateKeyType: 'IP' } } },
  ];
  const tags = tagsFor(aclName, { Team: team });
  const summary = (await waf.send(new CreateWebACLCommand({
    Name: aclName, Scope: scope, Description: `${team} front door`, DefaultAction: { Allow: {} }, Rules: rules, VisibilityConfig: visibility(aclName), Tags: tagList(tags.tagsAll),
  }))).Summary!;
  const ruleBlock = (name: string, priority: number, statement: Body): Body => [
    ['name', name], ['priority', priority], { block: 'action', body: [{ block: 'block', body: [] }] }, { block: 'statement', body: statement }, visibilityBlock(name),
  ];
  return {
    arn: summary.ARN!,
    block: {
      type: 'aws_wafv2_web_acl', name: blockName,
      hcl: resourceBlock('aws_wafv2_web_acl', blockName, [
        ['name', aclName], ['scope', scope], ['description', `${team} front door`],
        { block: 'default_action', body: [{ block: 'allow', body: [] }] },
        { block: 'rule', body: ruleBlock('geo', 1, [{ block: 'geo_match_statement', body: [['country_codes', countries]] }]) },
        { block: 'rule', body: ruleBlock('rate', 2, [{ block: 'rate_based_statement', body: [['limit', limit]] }]) },
        visibilityBlock(aclName), ['tags', tags.tags],
      ]),
      attributes: {
        id: summary.Id, arn: summary.ARN, name: aclName, name_prefix: '', scope, description: `${team} front door`, capacity: 3, lock_token: summary.LockToken ?? '',
        application_integration_url: '', default_action: [{ allow: [{ custom_request_handling: [] }], block: [] }], visibility_config: tfVisibility(aclName),
        rule: [
          { name: 'geo', priority: 1, action: blockAction, override_action: [], rule_label: [], captcha_config: [], challenge_config: [], visibility_config: tfVisibility('geo'),
            statement: [{ ...EMPTY_STATEMENT, geo_match_statement: [{ country_codes: countries, forwarded_ip_config: [] }] }] },
          { name: 'rate', priority: 2, action: blockAction, override_action: [], rule_label: [], captcha_config: [], challenge_config: [], visibility_config: tfVisibility('rate'),
            statement: [{ ...EMPTY_STATEMENT, rate_based_statement: [{ limit, aggregate_key_type: 'IP', evaluation_window_sec: 300, forwarded_ip_config: [], scope_down_statement: [], custom_key: [] }] }] },
        ],
        token_domains: [], custom_response_body: [], captcha_config: [], challenge_config: [], association_config: [], data_protection_config: [], rule_json: '',
        tags: tags.tags, tags_all: tags.tagsAll,
      },
    },
  };
}

const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

export const cloudfrontSeeder: Seeder = {
  family: 'cloudfront',
  global: true,
  types: ['aws_wafv2_web_acl', 'aws_cloudfront_origin_access_control', 'aws_cloudfront_function', 'aws_cloudfront_distribution'],
  readActions: [
    'cloudfront:ListDistributions', 'cloudfront:GetDistributionConfig', 'cloudfront:ListTagsForResource', 'cloudfront:ListOriginAccessControls',
    'cloudfront:ListFunctions', 'cloudfront:DescribeFunction', 'cloudfront:GetFunction', 'wafv2:GetWebACL', 'wafv2:ListTagsForResource',
  ],

  async seedUnit(target, suffix, random) {
    const cf = clientFor(CloudFrontClient, target);
    const s = slug(suffix);
    const team = pick(TEAMS, random);
    const acl = await webAclUnit(target, 'CLOUDFRONT', `bench-edge-${s}`, `edge_acl_${suffix}`, team, random);

    const oacName = `bench-${s}-oac`;
    const createdOac = await cf.send(new CreateOriginAccessControlCommand({
      OriginAccessControlConfig: { Name: oacName, Description: 'Managed by Terraform', OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    }));
    const oac = createdOac.OriginAccessControl!;

    const fnName = `bench-${s}-rewrite`;
    const code = `function handler(event) { var r = event.request; if (r.uri.endsWith('/')) { r.uri += 'index.html'; } return r; } // ${s}`;
    const made = await cf.send(new CreateFunctionCommand({ Name: fnName, FunctionConfig: { Comment: 'index rewrite', Runtime: 'cloudfront-js-2.0' }, FunctionCode: Buffer.from(code) }));
    await cf.send(new PublishFunctionCommand({ Name: fnName, IfMatch: made.ETag }));
    const liveStage = await cf.send(new DescribeFunctionCommand({ Name: fnName, Stage: 'LIVE' }));
    const fnArn = made.FunctionSummary?.FunctionMetadata?.FunctionARN ?? `arn:aws:cloudfront::${target.account}:function/${fnName}`;

    const bucketDomain = `bench-${s}-site.s3.us-east-1.amazonaws.com`;
    const comment = `${team} site ${s}`;
    const priceClass = pick<PriceClass>(['PriceClass_100', 'PriceClass_200', 'PriceClass_All'], random);
    const tags = tagsFor(`bench-${s}-site`, { Team: team });
    const dist = (await cf.send(new CreateDistributionWithTagsCommand({
      DistributionConfigWithTags: {
        Tags: { Items: tagList(tags.tagsAll) },
        DistributionConfig: {
          CallerReference: `bench-${s}`, Comment: comment, Enabled: true, DefaultRootObject: 'index.html', Aliases: { Quantity: 0, Items: [] },
          Origins: { Quantity: 1, Items: [{ Id: 's3-site', DomainName: bucketDomain, OriginPath: '', OriginAccessControlId: oac.Id, S3OriginConfig: { OriginAccessIdentity: '' } }] },
          DefaultCacheBehavior: {
            TargetOriginId: 's3-site', ViewerProtocolPolicy: 'redirect-to-https', Compress: true, CachePolicyId: CACHING_OPTIMIZED,
            AllowedMethods: { Quantity: 2, Items: ['GET', 'HEAD'], CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] } },
            FunctionAssociations: { Quantity: 1, Items: [{ EventType: 'viewer-request', FunctionARN: fnArn }] },
          },
          CacheBehaviors: { Quantity: 0 }, PriceClass: priceClass, HttpVersion: 'http2and3', IsIPV6Enabled: true, WebACLId: acl.arn,
          ViewerCertificate: { CloudFrontDefaultCertificate: true, MinimumProtocolVersion: 'TLSv1' },
          Restrictions: { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } },
        },
      },
    }))).Distribution!;

    const n = { oac: `site_oac_${suffix}`, fn: `site_rewrite_${suffix}`, dist: `site_${suffix}` };
    return [
      acl.block,
      {
        type: 'aws_cloudfront_origin_access_control', name: n.oac,
        hcl: resourceBlock('aws_cloudfront_origin_access_control', n.oac, [
          ['name', oacName], ['origin_access_control_origin_type', 's3'], ['signing_behavior', 'always'], ['signing_protocol', 'sigv4'],
        ]),
        attributes: { id: oac.Id, name: oacName, description: 'Managed by Terraform', origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4', etag: createdOac.ETag ?? '' },
      },
      {
        type: 'aws_cloudfront_function', name: n.fn,
        hcl: resourceBlock('aws_cloudfront_function', n.fn, [['name', fnName], ['runtime', 'cloudfront-js-2.0'], ['comment', 'index rewrite'], ['code', code], ['publish', true]]),
        attributes: {
          id: fnName, name: fnName, arn: fnArn, runtime: 'cloudfront-js-2.0', comment: 'index rewrite', code, publish: true, etag: made.ETag, live_stage_etag: liveStage.ETag ?? '',
          status: 'UNASSOCIATED', key_value_store_associations: [],
        },
      },
      {
        type: 'aws_cloudfront_distribution', name: n.dist,
        hcl: resourceBlock('aws_cloudfront_distribution', n.dist, [
          ['enabled', true], ['comment', comment], ['default_root_object', 'index.html'], ['price_class', priceClass], ['http_version', 'http2and3'], ['is_ipv6_enabled', true],
          ['web_acl_id', ref(`aws_wafv2_web_acl.${acl.block.name}.arn`)],
          { block: 'origin', body: [['origin_id', 's3-site'], ['domain_name', bucketDomain], ['origin_access_control_id', ref(`aws_cloudfront_origin_access_control.${n.oac}.id`)]] },
          { block: 'default_cache_behavior', body: [
            ['target_origin_id', 's3-site'], ['viewer_protocol_policy', 'redirect-to-https'], ['allowed_methods', ['GET', 'HEAD']], ['cached_methods', ['GET', 'HEAD']],
            ['cache_policy_id', CACHING_OPTIMIZED], ['compress', true],
            { block: 'function_association', body: [['event_type', 'viewer-request'], ['function_arn', ref(`aws_cloudfront_function.${n.fn}.arn`)]] },
          ] },
          { block: 'viewer_certificate', body: [['cloudfront_default_certificate', true]] },
          { block: 'restrictions', body: [{ block: 'geo_restriction', body: [['restriction_type', 'none']] }] },
          ['tags', tags.tags],
        ]),
        attributes: {
          id: dist.Id, arn: dist.ARN, domain_name: dist.DomainName, hosted_zone_id: 'Z2FDTNDATAQYW2', enabled: true, comment, default_root_object: 'index.html', aliases: [],
          price_class: priceClass, http_version: 'http2and3', is_ipv6_enabled: true, web_acl_id: acl.arn, retain_on_delete: false, wait_for_deployment: true, staging: false,
          origin: [{
            origin_id: 's3-site', domain_name: bucketDomain, origin_path: '', origin_access_control_id: oac.Id, connection_attempts: 3, connection_timeout: 10,
            custom_header: [], custom_origin_config: [], origin_shield: [], s3_origin_config: [],
          }],
          default_cache_behavior: [{
            target_origin_id: 's3-site', viewer_protocol_policy: 'redirect-to-https', allowed_methods: ['GET', 'HEAD'], cached_methods: ['GET', 'HEAD'],
            cache_policy_id: CACHING_OPTIMIZED, compress: true, default_ttl: 0, max_ttl: 0, min_ttl: 0, forwarded_values: [],
            function_association: [{ event_type: 'viewer-request', function_arn: fnArn }], lambda_function_association: [],
          }],
          ordered_cache_behavior: [], origin_group: [], custom_error_response: [], logging_config: [],
          viewer_certificate: [{ acm_certificate_arn: '', cloudfront_default_certificate: true, iam_certificate_id: '', minimum_protocol_version: 'TLSv1', ssl_support_method: '' }],
          restrictions: [{ geo_restriction: [{ restriction_type: 'none', locations: [] }] }],
          tags: tags.tags, tags_all: tags.tagsAll,
        },
        dependencies: [`aws_cloudfront_function.${n.fn}`, `aws_cloudfront_origin_access_control.${n.oac}`, `aws_wafv2_web_acl.${acl.block.name}`],
      },
    ];
  },

  lowerBound(byType) {
    return {
      // One listing serves every distribution (1,000 a page), every origin access control (100) and
      // each function stage (100; DEVELOPMENT and LIVE are listed separately).
      'cloudfront:ListDistributions': pages(byType.aws_cloudfront_distribution, 1000),
      'cloudfront:ListOriginAccessControls': pages(byType.aws_cloudfront_origin_access_control, 100),
      'cloudfront:ListFunctions': 2 * pages(byType.aws_cloudfront_function, 100),
      // A function's code has no batch read: its DEVELOPMENT ETag (DescribeFunction) tells whether it moved.
      'cloudfront:DescribeFunction': byType.aws_cloudfront_function ?? 0,
      // GetDistributionConfig is needed for default_root_object (every seeded distribution declares it): no batch read.
      'cloudfront:GetDistributionConfig': byType.aws_cloudfront_distribution ?? 0,
      // ListWebACLs returns names and ids only: one GetWebACL per web ACL.
      'wafv2:GetWebACL': byType.aws_wafv2_web_acl ?? 0,
    };
  },
};
