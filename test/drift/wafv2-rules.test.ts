// The WAFv2 rule canonical form, as a table: Terraform's blocks and the API's JSON meet; what only
// looks different (defaults, list vs block, order of sets, unset markers) compares equal; what
// changes WAF behaviour does not; Terraform blocks written back come out in the API's spelling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiName, canonicalWaf, ruleAtoms, rulesFromJsonText, toApi } from '../../server/src/cloud/types/wafv2-rules';

const tf = (statement: Record<string, unknown>, extra: Record<string, unknown> = {}) => [{
  name: 'r', priority: 1, action: [{ block: [{}] }], override_action: [], statement: [statement],
  visibility_config: [{ cloudwatch_metrics_enabled: false, metric_name: 'r', sampled_requests_enabled: true }], ...extra,
}];
const api = (statement: Record<string, unknown>, extra: Record<string, unknown> = {}) => [{
  Name: 'r', Priority: 1, Action: { Block: {} }, Statement: statement, VisibilityConfig: { CloudWatchMetricsEnabled: false, MetricName: 'r', SampledRequestsEnabled: true }, ...extra,
}];
const same = (a: unknown, b: unknown): boolean => JSON.stringify(ruleAtoms(a)) === JSON.stringify(ruleAtoms(b));

const CASES: Array<{ title: string; tf: unknown; api: unknown; equal: boolean }> = [
  {
    title: 'an IP set reference with forwarded-IP settings',
    tf: tf({ ip_set_reference_statement: [{ arn: 'arn:x', ip_set_forwarded_ip_config: [{ header_name: 'X-Forwarded-For', fallback_behavior: 'MATCH', position: 'FIRST' }] }] }),
    api: api({ IPSetReferenceStatement: { ARN: 'arn:x', IPSetForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH', Position: 'FIRST' } } }),
    equal: true,
  },
  {
    title: 'AND of two statements in another order, each with text transformations as a set',
    tf: tf({ and_statement: [{ statement: [
      { geo_match_statement: [{ country_codes: ['NL', 'BE'] }] },
      { sqli_match_statement: [{ field_to_match: [{ query_string: [{}] }], text_transformation: [{ priority: 1, type: 'LOWERCASE' }, { priority: 0, type: 'NONE' }] }] },
    ] }] }),
    api: api({ AndStatement: { Statements: [
      { SqliMatchStatement: { FieldToMatch: { QueryString: {} }, TextTransformations: [{ Priority: 0, Type: 'NONE' }, { Priority: 1, Type: 'LOWERCASE' }] } },
      { GeoMatchStatement: { CountryCodes: ['BE', 'NL'] } },
    ] } }),
    equal: true,
  },
  {
    title: 'a headers match with the default body oversize handling left out on one side',
    tf: tf({ byte_match_statement: [{ search_string: 'x', positional_constraint: 'EXACTLY', field_to_match: [{ body: [{ oversize_handling: '' }] }], text_transformation: [{ priority: 0, type: 'NONE' }] }] }),
    api: api({ ByteMatchStatement: { SearchString: new TextEncoder().encode('x'), PositionalConstraint: 'EXACTLY', FieldToMatch: { Body: { OversizeHandling: 'CONTINUE' } }, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }),
    equal: true,
  },
  {
    title: 'a different positional constraint',
    tf: tf({ byte_match_statement: [{ search_string: 'x', positional_constraint: 'EXACTLY', field_to_match: [{ uri_path: [{}] }], text_transformation: [{ priority: 0, type: 'NONE' }] }] }),
    api: api({ ByteMatchStatement: { SearchString: 'x', PositionalConstraint: 'CONTAINS', FieldToMatch: { UriPath: {} }, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }),
    equal: false,
  },
  {
    title: 'a rate limit by forwarded IP against one by source IP',
    tf: tf({ rate_based_statement: [{ limit: 500, aggregate_key_type: 'FORWARDED_IP', evaluation_window_sec: 300 }] }),
    api: api({ RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } }),
    equal: false,
  },
  {
    title: 'count instead of block',
    tf: tf({ geo_match_statement: [{ country_codes: ['NL'] }] }, { action: [{ count: [{}] }] }),
    api: api({ GeoMatchStatement: { CountryCodes: ['NL'] } }),
    equal: false,
  },
  {
    title: 'a managed group with rule action overrides and labels',
    tf: tf({ managed_rule_group_statement: [{ name: 'G', vendor_name: 'AWS', version: '', rule_action_override: [{ name: 'SizeRestrictions_BODY', action_to_use: [{ count: [{}] }] }] }] }, {
      action: [], override_action: [{ none: [{}] }], rule_label: [{ name: 'a:b' }],
    }),
    api: [{ ...api({ ManagedRuleGroupStatement: { Name: 'G', VendorName: 'AWS', RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }] } })[0], Action: undefined, OverrideAction: { None: {} }, RuleLabels: [{ Name: 'a:b' }] }],
    equal: true,
  },
];

for (const c of CASES) {
  test(`rules compare ${c.equal ? 'equal' : 'different'}: ${c.title}`, () => {
    assert.equal(same(c.tf, c.api), c.equal);
  });
}

test('Terraform blocks written back come out in the API\'s spelling and shape', () => {
  assert.equal(apiName('ip_set_reference_statement'), 'IPSetReferenceStatement');
  assert.equal(apiName('cloudwatch_metrics_enabled'), 'CloudWatchMetricsEnabled');
  assert.equal(apiName('aws_managed_rules_atp_rule_set'), 'AWSManagedRulesATPRuleSet');
  const rule = toApi(tf({ or_statement: [{ statement: [
    { ip_set_reference_statement: [{ arn: 'arn:x', ip_set_forwarded_ip_config: [] }] },
    { byte_match_statement: [{ search_string: '/a', positional_constraint: 'STARTS_WITH', field_to_match: [{ uri_path: [{}] }], text_transformation: [{ priority: 0, type: 'NONE' }] }] },
  ] }] })[0]) as Record<string, any>;
  assert.deepEqual(Object.keys(rule).sort(), ['Action', 'Name', 'Priority', 'Statement', 'VisibilityConfig']);
  assert.deepEqual(rule.Action, { Block: {} });
  const [ipSet, byte] = rule.Statement.OrStatement.Statements;
  assert.deepEqual(ipSet, { IPSetReferenceStatement: { ARN: 'arn:x' } });
  assert.deepEqual(byte.ByteMatchStatement.TextTransformations, [{ Priority: 0, Type: 'NONE' }]);
  assert.deepEqual(byte.ByteMatchStatement.FieldToMatch, { UriPath: {} });
  assert.equal(new TextDecoder().decode(byte.ByteMatchStatement.SearchString), '/a');
  assert.deepEqual(rule.VisibilityConfig, { CloudWatchMetricsEnabled: false, MetricName: 'r', SampledRequestsEnabled: true });
});

test('rule_json holds the API\'s wire JSON: its base64 search strings read as their text', () => {
  const text = JSON.stringify(api({ ByteMatchStatement: { SearchString: Buffer.from('/admin').toString('base64'), PositionalConstraint: 'CONTAINS', FieldToMatch: { UriPath: {} }, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }));
  const live = api({ ByteMatchStatement: { SearchString: new TextEncoder().encode('/admin'), PositionalConstraint: 'CONTAINS', FieldToMatch: { UriPath: {} }, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } });
  assert.ok(same(rulesFromJsonText(text), live));
  assert.equal(canonicalWaf([]), undefined);
});

test('association and data protection settings written back in the API\'s spelling (request body keys are enum names)', () => {
  assert.deepEqual(toApi({ request_body: [{ api_gateway: [{ default_size_inspection_limit: 'KB_16' }], cloudfront: [] }] }), { RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_16' } } });
  assert.deepEqual(toApi({ data_protection: [{ action: 'SUBSTITUTION', field: [{ field_type: 'SINGLE_HEADER', field_keys: ['authorization'] }] }] }),
    { DataProtections: [{ Action: 'SUBSTITUTION', Field: { FieldType: 'SINGLE_HEADER', FieldKeys: ['authorization'] } }] });
});
