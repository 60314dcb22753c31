// aws_wafv2_web_acl and aws_wafv2_web_acl_association against the sandbox with the real SDK
// (JSON 1.1): the per-type contract (default action, a rule's statement, visibility, description
// and tags changed by hand, written back through UpdateWebACL with a fresh LockToken); what AWS
// fills in on its own (a body inspection's oversize handling, a rate-based rule's key type and
// window, the Shield Advanced mitigation rule) is not drift; a CLOUDFRONT ACL is read in us-east-1
// whatever the provider's region; associations are read with one listing per web ACL, one moved
// to another ACL is drift revert refuses, a removed one is missing; the sandbox's WAF error codes,
// CloudTrail records and the attribution of the writes.
import { after, before, test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import {
  AssociateWebACLCommand, CreateWebACLCommand, CreateWebACLCommandInput, DeleteWebACLCommand, DisassociateWebACLCommand, GetWebACLCommand, Rule,
  TagResourceCommand, UpdateWebACLCommand, WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { eventExplains } from '../../server/src/attribution/event-attributes';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import { createClients } from '../../server/src/cloud/clients';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { driftsOf, revertAll } from './type-check-helpers';
import { runCheck, writeStateFile } from '../support/check-cli';
import { assertClean, assertDriftReverted, contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let waf: WAFV2Client;
const ids = { web: '', webArn: '', edge: '', edgeArn: '', other: '', otherArn: '', lbA: '', lbB: '' };

const visibility = (metric: string) => ({ CloudWatchMetricsEnabled: true, MetricName: metric, SampledRequestsEnabled: true });
const tfVisibility = (metric: string) => [{ cloudwatch_metrics_enabled: true, metric_name: metric, sampled_requests_enabled: true }];

/** The rules as the API takes them: a geo block, a byte match on the body, a rate limit and a managed group. */
const RULES: Rule[] = [
  { Name: 'geo', Priority: 1, Action: { Block: {} }, VisibilityConfig: visibility('geo'), Statement: { GeoMatchStatement: { CountryCodes: ['KP', 'IR'] } } },
  {
    Name: 'admin-body', Priority: 2, Action: { Count: {} }, VisibilityConfig: visibility('admin-body'),
    Statement: {
      ByteMatchStatement: {
        SearchString: new TextEncoder().encode('/admin'), PositionalConstraint: 'CONTAINS', FieldToMatch: { Body: {} },
        TextTransformations: [{ Priority: 1, Type: 'URL_DECODE' }, { Priority: 0, Type: 'LOWERCASE' }],
      },
    },
  },
  { Name: 'rate', Priority: 3, Action: { Block: {} }, VisibilityConfig: visibility('rate'), Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP' } } },
  {
    Name: 'common', Priority: 4, OverrideAction: { None: {} }, VisibilityConfig: visibility('common'),
    Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
  },
];

/** Each rule as the AWS provider v5 records it in state (every unset alternative an empty list). */
const EMPTY_STATEMENT = {
  and_statement: [], byte_match_statement: [], geo_match_statement: [], ip_set_reference_statement: [], label_match_statement: [], managed_rule_group_statement: [],
  not_statement: [], or_statement: [], rate_based_statement: [], regex_match_statement: [], regex_pattern_set_reference_statement: [], rule_group_reference_statement: [],
  size_constraint_statement: [], sqli_match_statement: [], xss_match_statement: [],
};
const action = (kind: string) => [{ allow: [], block: [], captcha: [], challenge: [], count: [], [kind]: [{ custom_request_handling: [], custom_response: [] }] }];
const tfRules = () => [
  { name: 'geo', priority: 1, action: action('block'), override_action: [], rule_label: [], captcha_config: [], visibility_config: tfVisibility('geo'),
    statement: [{ ...EMPTY_STATEMENT, geo_match_statement: [{ country_codes: ['KP', 'IR'], forwarded_ip_config: [] }] }] },
  { name: 'admin-body', priority: 2, action: action('count'), override_action: [], rule_label: [], captcha_config: [], visibility_config: tfVisibility('admin-body'),
    statement: [{ ...EMPTY_STATEMENT, byte_match_statement: [{
      search_string: '/admin', positional_constraint: 'CONTAINS',
      field_to_match: [{ all_query_arguments: [], body: [{ oversize_handling: 'CONTINUE' }], cookies: [], headers: [], json_body: [], method: [], query_string: [], single_header: [], single_query_argument: [], uri_path: [] }],
      text_transformation: [{ priority: 0, type: 'LOWERCASE' }, { priority: 1, type: 'URL_DECODE' }],
    }] }] },
  { name: 'rate', priority: 3, action: action('block'), override_action: [], rule_label: [], captcha_config: [], visibility_config: tfVisibility('rate'),
    statement: [{ ...EMPTY_STATEMENT, rate_based_statement: [{ limit: 2000, aggregate_key_type: 'IP', evaluation_window_sec: 300, forwarded_ip_config: [], scope_down_statement: [], custom_key: [] }] }] },
  { name: 'common', priority: 4, action: [], override_action: [{ count: [], none: [{}] }], rule_label: [], captcha_config: [], visibility_config: tfVisibility('common'),
    statement: [{ ...EMPTY_STATEMENT, managed_rule_group_statement: [{ name: 'AWSManagedRulesCommonRuleSet', vendor_name: 'AWS', version: '', rule_action_override: [], managed_rule_group_configs: [], scope_down_statement: [] }] }] },
];

const aclState = (name: string, id: string, arn: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id, arn, name, name_prefix: '', scope: 'REGIONAL', description: 'front door', capacity: 134, lock_token: 'stale', application_integration_url: '',
  default_action: [{ allow: [{ custom_request_handling: [] }], block: [] }], visibility_config: tfVisibility(name), rule: [], token_domains: [],
  custom_response_body: [], captcha_config: [], challenge_config: [], association_config: [], data_protection_config: [], rule_json: '', tags: {}, tags_all: {},
  ...extra,
});

const state = (): StateInstance[] => [
  inst('aws_wafv2_web_acl', 'web', aclState('web', ids.web, ids.webArn, { rule: tfRules(), tags: { Team: 'edge' }, tags_all: { Team: 'edge' } })),
  inst('aws_wafv2_web_acl', 'edge', aclState('edge', ids.edge, ids.edgeArn, { scope: 'CLOUDFRONT', description: '' })),
  inst('aws_wafv2_web_acl_association', 'a', { id: `${ids.webArn},${ids.lbA}`, web_acl_arn: ids.webArn, resource_arn: ids.lbA }),
  inst('aws_wafv2_web_acl_association', 'b', { id: `${ids.webArn},${ids.lbB}`, web_acl_arn: ids.webArn, resource_arn: ids.lbB }),
];

async function createAcl(input: Omit<CreateWebACLCommandInput, 'DefaultAction' | 'VisibilityConfig'> & Partial<CreateWebACLCommandInput>, client = waf): Promise<{ id: string; arn: string }> {
  const out = await client.send(new CreateWebACLCommand({ DefaultAction: { Allow: {} }, VisibilityConfig: visibility(input.Name!), ...input }));
  return { id: out.Summary!.Id!, arn: out.Summary!.ARN! };
}

async function update(id: string, name: string, change: (acl: Record<string, unknown>) => void): Promise<void> {
  const got = await waf.send(new GetWebACLCommand({ Id: id, Name: name, Scope: 'REGIONAL' }));
  const { Name, Id, DefaultAction, Description, Rules, VisibilityConfig } = got.WebACL!;
  const input: Record<string, unknown> = { Name, Id, DefaultAction, Description, Rules, VisibilityConfig, Scope: 'REGIONAL', LockToken: got.LockToken };
  change(input);
  await waf.send(new UpdateWebACLCommand(input as never));
}

before(async () => {
  env = await startTypeSandbox(['wafv2:*', 'elasticloadbalancing:*']);
  waf = new WAFV2Client({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  const elb = new ElasticLoadBalancingV2Client({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  for (const name of ['a', 'b']) {
    const lb = await elb.send(new CreateLoadBalancerCommand({ Name: `waf-${name}`, Subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], SecurityGroups: ['sg-0a1b2c3d4e5f60a01'] }));
    ids[name === 'a' ? 'lbA' : 'lbB'] = lb.LoadBalancers![0]!.LoadBalancerArn!;
  }
  elb.destroy();
  const web = await createAcl({ Name: 'web', Scope: 'REGIONAL', Description: 'front door', Rules: RULES, Tags: [{ Key: 'Team', Value: 'edge' }] });
  ids.web = web.id;
  ids.webArn = web.arn;
  const edge = await createAcl({ Name: 'edge', Scope: 'CLOUDFRONT' });
  ids.edge = edge.id;
  ids.edgeArn = edge.arn;
  const other = await createAcl({ Name: 'other', Scope: 'REGIONAL' });
  ids.other = other.id;
  ids.otherArn = other.arn;
  for (const lb of [ids.lbA, ids.lbB]) await waf.send(new AssociateWebACLCommand({ WebACLArn: ids.webArn, ResourceArn: lb }));
});

after(async () => {
  waf?.destroy();
  await env?.sandbox.stop();
});

contractTests({
  title: 'aws_wafv2_web_acl',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_wafv2_web_acl.web default_action', change: () => update(ids.web, 'web', (a) => { a.DefaultAction = { Block: {} }; }) },
    { drift: 'aws_wafv2_web_acl.web rule', change: () => update(ids.web, 'web', (a) => {
      const rules = structuredClone(a.Rules) as Rule[];
      rules[0]!.Statement = { GeoMatchStatement: { CountryCodes: ['KP'] } };
      rules[2]!.Statement!.RateBasedStatement!.Limit = 100;
      a.Rules = rules;
    }) },
    { drift: ['aws_wafv2_web_acl.edge visibility_config', 'aws_wafv2_web_acl.edge description'], change: async () => {
      const got = await env.clients.wafv2Cloudfront.send(new GetWebACLCommand({ Id: ids.edge, Name: 'edge', Scope: 'CLOUDFRONT' }));
      const { Name, Id, DefaultAction, VisibilityConfig } = got.WebACL!;
      await env.clients.wafv2Cloudfront.send(new UpdateWebACLCommand({
        Name, Id, DefaultAction, Scope: 'CLOUDFRONT', LockToken: got.LockToken, Description: 'edited by hand', VisibilityConfig: { ...VisibilityConfig!, SampledRequestsEnabled: false },
      }));
    } },
    { drift: 'aws_wafv2_web_acl.web tags', change: () => waf.send(new TagResourceCommand({ ResourceARN: ids.webArn, Tags: [{ Key: 'Team', Value: 'hotfix' }] })) },
  ],
});

test('what AWS fills in is not drift: body oversize handling, rate-based key type and window, the Shield Advanced rule, transformation order; the provider shape without defaults reads clean', async () => {
  const shield = `ShieldMitigationRuleGroup_${env.sandbox.accountId}_5e665b1c-1e8b-4b9f-8b8e-6d3a6c1f2a3b_uniqueId`;
  await update(ids.web, 'web', (a) => {
    a.Rules = [...(a.Rules as Rule[]), {
      Name: shield, Priority: 10_000_000, OverrideAction: { None: {} }, VisibilityConfig: visibility('shield'),
      Statement: { RuleGroupReferenceStatement: { ARN: `arn:aws:wafv2:us-east-1:${env.sandbox.accountId}:regional/rulegroup/shield/abc` } },
    }];
  });
  const bare = tfRules().map((r) => structuredClone(r));
  const byte = bare[1]!.statement[0]!.byte_match_statement[0]! as Record<string, unknown>;
  byte.field_to_match = [{ body: [{}] }];
  byte.text_transformation = [{ priority: 1, type: 'URL_DECODE' }, { priority: 0, type: 'LOWERCASE' }];
  bare[2]!.statement = [{ rate_based_statement: [{ limit: 2000 }] }] as never;
  try {
    await assertClean(env.clients, [inst('aws_wafv2_web_acl', 'web', {
      id: ids.web, arn: ids.webArn, name: 'web', scope: 'REGIONAL', description: 'front door', default_action: [{ allow: [{}] }],
      visibility_config: tfVisibility('web'), rule: bare, tags: { Team: 'edge' },
    })]);
  } finally {
    await update(ids.web, 'web', (a) => { a.Rules = (a.Rules as Rule[]).filter((r) => r.Name !== shield); });
  }
});

test('a CLOUDFRONT web ACL is read from us-east-1 whatever the provider\'s region; a deleted ACL is missing', async () => {
  const clients = await createClients(resolveAwsTarget({ region: 'eu-west-1', endpoint: env.sandbox.endpoint }, {}, undefined), { credentials: env.credentials });
  const gone = await createAcl({ Name: 'gone', Scope: 'REGIONAL' });
  const lock = (await waf.send(new GetWebACLCommand({ Id: gone.id, Name: 'gone', Scope: 'REGIONAL' }))).LockToken;
  await waf.send(new DeleteWebACLCommand({ Id: gone.id, Name: 'gone', Scope: 'REGIONAL', LockToken: lock }));
  env.sandbox.resetStats();
  const snapshot = await readLive(clients, [state()[1]!]);
  assert.equal(snapshot.get('aws_wafv2_web_acl.edge')?.status, 'found');
  const byRegion = env.sandbox.statsByRegion();
  assert.equal(byRegion['us-east-1']?.['wafv2:GetWebACL'], 1);
  assert.equal(byRegion['eu-west-1']?.['wafv2:GetWebACL'], undefined);
  const missing = await readLive(env.clients, [inst('aws_wafv2_web_acl', 'gone', aclState('gone', gone.id, gone.arn))], { declared: false });
  assert.equal(missing.get('aws_wafv2_web_acl.gone')?.status, 'missing');
});

test('associations: one listing per web ACL; one moved to another ACL is drift revert refuses; a removed one is missing', async () => {
  env.sandbox.resetStats();
  const associations = state().slice(2);
  await assertClean(env.clients, associations, { declared: false });
  assert.equal(env.sandbox.stats()['wafv2:ListResourcesForWebACL'], 1, 'both associations of one ACL come from one listing');
  assert.equal(env.sandbox.stats()['wafv2:GetWebACLForResource'], undefined);

  await waf.send(new AssociateWebACLCommand({ WebACLArn: ids.otherArn, ResourceArn: ids.lbA }));
  await waf.send(new DisassociateWebACLCommand({ ResourceArn: ids.lbB }));
  try {
    const snapshot = await readLive(env.clients, associations, { declared: false });
    assert.equal(snapshot.get('aws_wafv2_web_acl_association.b')?.status, 'missing');
    const found = associations.filter((i) => snapshot.get(i.address)?.status === 'found');
    assert.deepEqual(driftsOf(RESOURCE_TYPES, found, snapshot), ['aws_wafv2_web_acl_association.a web_acl_arn']);
    const [outcome] = await revertAll(RESOURCE_TYPES, found, snapshot, env.clients);
    assert.equal(outcome?.ok, false);
    assert.match(outcome!.message, /forces|replace|new association/);
  } finally {
    for (const lb of [ids.lbA, ids.lbB]) await waf.send(new AssociateWebACLCommand({ WebACLArn: ids.webArn, ResourceArn: lb }));
  }
});

test('the sandbox answers WAFv2 with its error codes and records writes in CloudTrail; attribution knows the writes', async () => {
  const stale = (await waf.send(new GetWebACLCommand({ Id: ids.other, Name: 'other', Scope: 'REGIONAL' }))).LockToken!;
  await update(ids.other, 'other', (a) => { a.Description = 'changed'; });
  await assert.rejects(waf.send(new UpdateWebACLCommand({
    Id: ids.other, Name: 'other', Scope: 'REGIONAL', LockToken: stale, DefaultAction: { Block: {} }, VisibilityConfig: visibility('other'),
  })), { name: 'WAFOptimisticLockException' });
  await assert.rejects(waf.send(new GetWebACLCommand({ Id: '00000000-0000-0000-0000-000000000000', Name: 'nope', Scope: 'REGIONAL' })), { name: 'WAFNonexistentItemException' });
  await assert.rejects(createAcl({ Name: 'web', Scope: 'REGIONAL' }), { name: 'WAFDuplicateItemException' });
  const west = new WAFV2Client({ endpoint: env.sandbox.endpoint, region: 'eu-west-1', credentials: env.credentials });
  await assert.rejects(createAcl({ Name: 'edge2', Scope: 'CLOUDFRONT' }, west), { name: 'WAFInvalidParameterException' });
  west.destroy();
  await assert.rejects(createAcl({ Name: 'bad', Scope: 'REGIONAL', Rules: [{ ...RULES[0]!, Action: undefined, OverrideAction: { None: {} } }] }), { name: 'WAFInvalidParameterException' });
  await assert.rejects(waf.send(new AssociateWebACLCommand({ WebACLArn: ids.webArn, ResourceArn: `arn:aws:elasticloadbalancing:us-east-1:${env.sandbox.accountId}:loadbalancer/app/none/0123456789abcdef` })), { name: 'WAFNonexistentItemException' });

  const body = (await waf.send(new GetWebACLCommand({ Id: ids.web, Name: 'web', Scope: 'REGIONAL' }))).WebACL!.Rules!.find((r) => r.Name === 'admin-body')!;
  assert.equal(body.Statement?.ByteMatchStatement?.FieldToMatch?.Body?.OversizeHandling, 'CONTINUE', 'AWS fills in the oversize handling default');
  assert.equal(new TextDecoder().decode(body.Statement?.ByteMatchStatement?.SearchString), '/admin');

  const events = env.sandbox.world.events.filter((e) => e.eventSource === 'wafv2.amazonaws.com' && e.eventName === 'UpdateWebACL');
  assert.ok(events.some((e) => e.resources.some((r) => r.type === 'AWS::WAFv2::WebACL' && r.name === 'other')), 'UpdateWebACL names the web ACL');
  assert.ok(eventExplains({ eventName: 'UpdateWebACL' }, ['rule']) && !eventExplains({ eventName: 'UpdateWebACL' }, ['tags']));
  assert.ok(eventExplains({ eventName: 'TagResource' }, ['tags']) && eventExplains({ eventName: 'DeleteWebACL' }, []));
});

test('tidemark check reads the web ACL and its association from .tf and state (nested rule blocks, a reference to the ACL): clean, then a rule changed by hand is drift on rule', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-wafv2-'));
  const [web, , association] = [state()[0]!, state()[1]!, state()[2]!];
  const visibility = (metric: string) => `visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${metric}"
      sampled_requests_enabled   = true
    }`;
  try {
    writeFileSync(path.join(dir, 'main.tf'), `provider "aws" {
  region = "${env.sandbox.region}"
}

resource "aws_wafv2_web_acl" "web" {
  name        = "web"
  scope       = "REGIONAL"
  description = "front door"

  default_action {
    allow {}
  }

  rule {
    name     = "geo"
    priority = 1
    action {
      block {}
    }
    statement {
      geo_match_statement {
        country_codes = ["KP", "IR"]
      }
    }
    ${visibility('geo')}
  }

  rule {
    name     = "admin-body"
    priority = 2
    action {
      count {}
    }
    statement {
      byte_match_statement {
        search_string         = "/admin"
        positional_constraint = "CONTAINS"
        field_to_match {
          body {}
        }
        text_transformation {
          priority = 0
          type     = "LOWERCASE"
        }
        text_transformation {
          priority = 1
          type     = "URL_DECODE"
        }
      }
    }
    ${visibility('admin-body')}
  }

  rule {
    name     = "rate"
    priority = 3
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit = 2000
      }
    }
    ${visibility('rate')}
  }

  rule {
    name     = "common"
    priority = 4
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
      }
    }
    ${visibility('common')}
  }

  ${visibility('web')}

  tags = {
    Team = "edge"
  }
}

resource "aws_wafv2_web_acl_association" "a" {
  resource_arn = "${ids.lbA}"
  web_acl_arn  = aws_wafv2_web_acl.web.arn
}
`);
    writeStateFile(dir, [web, association]);
    const clean = await runCheck(env.sandbox, env.credentials, dir, ['--no-attribution']);
    assert.equal(clean.code, 0, clean.out + clean.err);
    await update(ids.web, 'web', (a) => {
      const rules = structuredClone(a.Rules) as Rule[];
      rules.find((r) => r.Name === 'geo')!.Statement = { GeoMatchStatement: { CountryCodes: ['KP'] } };
      a.Rules = rules;
    });
    const drifted = await runCheck(env.sandbox, env.credentials, dir, ['--no-attribution', '--json']);
    assert.equal(drifted.code, 2, drifted.out + drifted.err);
    const report = JSON.parse(drifted.out) as { drifts: Array<{ address: string; attributePath: string[] }> };
    assert.deepEqual(report.drifts.map((d) => `${d.address} ${d.attributePath.join('.')}`), ['aws_wafv2_web_acl.web rule'], drifted.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await update(ids.web, 'web', (a) => { a.Rules = RULES; });
  }
});

test('rule_json (the API\'s own JSON, search strings in base64) and association_config: drift on each, written back through UpdateWebACL, then clean', async () => {
  const wire = (rules: Rule[]): string => JSON.stringify(rules.map((r) => JSON.parse(JSON.stringify(r, (k, v) => (k === 'SearchString' ? Buffer.from(v as Uint8Array).toString('base64') : v)))));
  const rules = [RULES[0]!, RULES[1]!];
  const association = { RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_16' as const } } };
  const acl = await createAcl({ Name: 'json', Scope: 'REGIONAL', Rules: rules, AssociationConfig: association });
  const declared = [inst('aws_wafv2_web_acl', 'json', aclState('json', acl.id, acl.arn, {
    description: '', rule: [], rule_json: wire(rules),
    association_config: [{ request_body: [{ api_gateway: [{ default_size_inspection_limit: 'KB_16' }], cloudfront: [] }] }],
  }))];
  await assertClean(env.clients, declared);
  const got = await waf.send(new GetWebACLCommand({ Id: acl.id, Name: 'json', Scope: 'REGIONAL' }));
  await waf.send(new UpdateWebACLCommand({
    Id: acl.id, Name: 'json', Scope: 'REGIONAL', LockToken: got.LockToken, DefaultAction: { Allow: {} }, VisibilityConfig: visibility('json'),
    Rules: [{ ...rules[0]!, Action: { Count: {} } }, rules[1]!], AssociationConfig: { RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_64' } } },
  }));
  await assertDriftReverted(env.clients, declared, ['aws_wafv2_web_acl.json association_config', 'aws_wafv2_web_acl.json rule_json']);
  const after = (await waf.send(new GetWebACLCommand({ Id: acl.id, Name: 'json', Scope: 'REGIONAL' }))).WebACL!;
  assert.equal(new TextDecoder().decode(after.Rules!.find((r) => r.Name === 'admin-body')!.Statement!.ByteMatchStatement!.SearchString), '/admin', 'the search string went back as its bytes, not its base64 text');
});
