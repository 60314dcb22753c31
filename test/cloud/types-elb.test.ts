// aws_lb, aws_lb_target_group, aws_lb_target_group_attachment, aws_lb_listener and
// aws_lb_listener_rule against the sandbox with the real SDK: the per-type contract; one listing
// serves every load balancer and target group, one call per balancer its listeners, one per listener
// its rules, one per group its attachments; deleted objects are missing; the sandbox's ELB error
// codes, Tagging API coverage and CloudTrail records.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddTagsCommand, CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, DeleteLoadBalancerCommand, DeregisterTargetsCommand,
  ElasticLoadBalancingV2Client, ModifyListenerCommand, ModifyLoadBalancerAttributesCommand, ModifyRuleCommand, ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand, RegisterTargetsCommand, SetRulePrioritiesCommand, SetSecurityGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { StateInstance } from '../../server/src/model';
import { contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let elb: ElasticLoadBalancingV2Client;
const ids = { lb: '', tg: '', tg2: '', listener: '', rule: '' };

const SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
const SG = 'sg-0a1b2c3d4e5f60a01';
const INSTANCE = 'i-0a1b2c3d4e5f60c01';
const VPC = 'vpc-0a1b2c3d4e5f60718';

/** As the AWS provider v5 records them after apply. */
const state = (): StateInstance[] => [
  inst('aws_lb', 'web', {
    id: ids.lb, arn: ids.lb, name: 'web', internal: false, load_balancer_type: 'application', security_groups: [SG], subnets: SUBNETS, ip_address_type: 'ipv4',
    enable_deletion_protection: false, idle_timeout: 120, enable_http2: true, drop_invalid_header_fields: false,
    access_logs: [{ bucket: '', prefix: '', enabled: false }], tags: { Team: 'web' }, tags_all: { Team: 'web' },
  }),
  inst('aws_lb_target_group', 'web', {
    id: ids.tg, arn: ids.tg, name: 'web', port: 8080, protocol: 'HTTP', vpc_id: VPC, target_type: 'instance', deregistration_delay: 30, slow_start: 0,
    health_check: [{ enabled: true, healthy_threshold: 3, unhealthy_threshold: 3, interval: 15, port: 'traffic-port', protocol: 'HTTP', path: '/health', matcher: '200', timeout: 5 }],
    stickiness: [{ enabled: false, type: 'lb_cookie', cookie_duration: 86400 }], tags: { Team: 'web' }, tags_all: { Team: 'web' },
  }),
  inst('aws_lb_target_group_attachment', 'web', { id: `${ids.tg}-20240501090000000000000001`, target_group_arn: ids.tg, target_id: INSTANCE, port: 8080 }),
  inst('aws_lb_listener', 'http', {
    id: ids.listener, arn: ids.listener, load_balancer_arn: ids.lb, port: 80, protocol: 'HTTP', ssl_policy: '', certificate_arn: '',
    default_action: [{ type: 'forward', target_group_arn: ids.tg, order: 1, forward: [], redirect: [], fixed_response: [] }], tags: {}, tags_all: {},
  }),
  inst('aws_lb_listener_rule', 'api', {
    id: ids.rule, arn: ids.rule, listener_arn: ids.listener, priority: 10,
    action: [{ type: 'fixed-response', order: 1, target_group_arn: '', forward: [], redirect: [], fixed_response: [{ content_type: 'text/plain', message_body: 'gone', status_code: '410' }] }],
    condition: [{ path_pattern: [{ values: ['/old/*'] }] }], tags: {}, tags_all: {},
  }),
];

before(async () => {
  env = await startTypeSandbox(['elasticloadbalancing:*']);
  elb = new ElasticLoadBalancingV2Client({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: SUBNETS, SecurityGroups: [SG], Tags: [{ Key: 'Team', Value: 'web' }] }));
  ids.lb = lb.LoadBalancers![0]!.LoadBalancerArn!;
  await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: ids.lb, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '120' }] }));
  const tg = await elb.send(new CreateTargetGroupCommand({
    Name: 'web', Protocol: 'HTTP', Port: 8080, VpcId: VPC, HealthCheckPath: '/health', HealthCheckIntervalSeconds: 15, HealthyThresholdCount: 3, UnhealthyThresholdCount: 3,
    Tags: [{ Key: 'Team', Value: 'web' }],
  }));
  ids.tg = tg.TargetGroups![0]!.TargetGroupArn!;
  await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: ids.tg, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] }));
  ids.tg2 = (await elb.send(new CreateTargetGroupCommand({ Name: 'canary', Protocol: 'HTTP', Port: 8081, VpcId: VPC }))).TargetGroups![0]!.TargetGroupArn!;
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: ids.tg, Targets: [{ Id: INSTANCE, Port: 8080 }] }));
  const listener = await elb.send(new CreateListenerCommand({ LoadBalancerArn: ids.lb, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: ids.tg }] }));
  ids.listener = listener.Listeners![0]!.ListenerArn!;
  const rule = await elb.send(new CreateRuleCommand({
    ListenerArn: ids.listener, Priority: 10, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/old/*'] } }],
    Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '410', ContentType: 'text/plain', MessageBody: 'gone' } }],
  }));
  ids.rule = rule.Rules![0]!.RuleArn!;
});

after(async () => {
  await env?.sandbox.stop();
});

contractTests({
  title: 'the ELB types',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_lb.web idle_timeout', change: () => elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: ids.lb, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '30' }] })) },
    { drift: 'aws_lb.web enable_deletion_protection', change: () => elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: ids.lb, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }] })) },
    { drift: 'aws_lb.web security_groups', change: () => elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: ids.lb, SecurityGroups: [SG, 'sg-0a1b2c3d4e5f60a02'] })) },
    { drift: 'aws_lb.web tags', change: () => elb.send(new AddTagsCommand({ ResourceArns: [ids.lb], Tags: [{ Key: 'Team', Value: 'hotfix' }] })) },
    { drift: 'aws_lb_target_group.web health_check', change: () => elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: ids.tg, HealthCheckIntervalSeconds: 60 })) },
    { drift: 'aws_lb_target_group.web deregistration_delay', change: () => elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: ids.tg, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '300' }] })) },
    { drift: 'aws_lb_target_group.web stickiness', change: () => elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: ids.tg, Attributes: [{ Key: 'stickiness.enabled', Value: 'true' }] })) },
    { drift: 'aws_lb_listener.http default_action', change: () => elb.send(new ModifyListenerCommand({ ListenerArn: ids.listener, DefaultActions: [{ Type: 'forward', TargetGroupArn: ids.tg2 }] })) },
    { drift: 'aws_lb_listener_rule.api priority', change: () => elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: ids.rule, Priority: 20 }] })) },
    { drift: 'aws_lb_listener_rule.api condition', change: () => elb.send(new ModifyRuleCommand({ RuleArn: ids.rule, Conditions: [{ Field: 'path-pattern', Values: ['/old/*', '/legacy/*'] }] })) },
  ],
});

test('one listing serves every balancer and target group, one call per balancer, listener and group the rest; a deregistered target and a deleted balancer are missing', async () => {
  const lb2 = (await elb.send(new CreateLoadBalancerCommand({ Name: 'gone', Subnets: SUBNETS, SecurityGroups: [SG] }))).LoadBalancers![0]!.LoadBalancerArn!;
  const l2 = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb2, Port: 80, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] }))).Listeners![0]!.ListenerArn!;
  await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb2 }));
  await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: ids.tg, Targets: [{ Id: INSTANCE, Port: 8080 }] }));
  try {
    env.sandbox.resetStats();
    const snapshot = await readLive(env.clients, [
      ...state(),
      inst('aws_lb', 'gone', { id: lb2, arn: lb2, name: 'gone' }),
      inst('aws_lb_listener', 'gone', { id: l2, arn: l2, load_balancer_arn: lb2, port: 80 }),
    ], { declared: false });
    const stats = env.sandbox.stats();
    assert.equal(stats['elasticloadbalancing:DescribeLoadBalancers'], 1);
    assert.equal(stats['elasticloadbalancing:DescribeTargetGroups'], 1);
    assert.equal(stats['elasticloadbalancing:DescribeListeners'], 2, 'one per balancer the state names');
    assert.equal(stats['elasticloadbalancing:DescribeRules'], 1);
    assert.equal(stats['elasticloadbalancing:DescribeTargetHealth'], 1);
    assert.equal(snapshot.get('aws_lb.gone')?.status, 'missing');
    assert.equal(snapshot.get('aws_lb_listener.gone')?.status, 'missing');
    assert.equal(snapshot.get('aws_lb_target_group_attachment.web')?.status, 'missing');
  } finally {
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: ids.tg, Targets: [{ Id: INSTANCE, Port: 8080 }] }));
  }
});

test('the sandbox answers ELB with AWS\'s error codes, lists balancers and target groups in the Tagging API and records writes in CloudTrail', async () => {
  await assert.rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: SUBNETS })), { name: 'DuplicateLoadBalancerNameException' });
  await assert.rejects(elb.send(new CreateListenerCommand({ LoadBalancerArn: ids.lb, Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: ids.tg }] })), { name: 'DuplicateListenerException' });
  await assert.rejects(elb.send(new CreateRuleCommand({
    ListenerArn: ids.listener, Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }], Actions: [{ Type: 'forward', TargetGroupArn: ids.tg }],
  })), { name: 'PriorityInUseException' });
  await assert.rejects(elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: `${ids.tg}0`, HealthCheckIntervalSeconds: 10 })), { name: 'TargetGroupNotFoundException' });
  const tagging = new ResourceGroupsTaggingAPIClient({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  const listed = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['elasticloadbalancing:loadbalancer', 'elasticloadbalancing:targetgroup'] }));
  const arns = (listed.ResourceTagMappingList ?? []).map((m) => m.ResourceARN);
  assert.ok(arns.includes(ids.lb) && arns.includes(ids.tg), 'balancers and target groups are in the Tagging API');
  const events = env.sandbox.world.events.filter((e) => e.eventSource === 'elasticloadbalancing.amazonaws.com' && e.eventName === 'ModifyLoadBalancerAttributes');
  assert.ok(events.some((e) => e.resources.some((r) => r.name === ids.lb)), 'ModifyLoadBalancerAttributes names the balancer');
});
