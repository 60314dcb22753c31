// Load balancing: one unit is an application load balancer with an HTTP listener forwarding to an
// IP target group with one registered target, a listener rule answering an old path, and a
// REGIONAL WAFv2 web ACL associated with the balancer.
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client, ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AssociateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { clientFor, tagsFor, type Seeder } from './seeder';
import { webAclUnit } from './edge';
import { backingNetwork } from './backing';
import { defaultTagsOnly, pages, pick, ref, resourceBlock, slug, tagList, TEAMS } from './block-text';

export const lbSeeder: Seeder = {
  family: 'lb',
  types: ['aws_lb', 'aws_lb_target_group', 'aws_lb_target_group_attachment', 'aws_lb_listener', 'aws_lb_listener_rule', 'aws_wafv2_web_acl', 'aws_wafv2_web_acl_association'],
  readActions: [
    'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeListeners',
    'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTags', 'wafv2:GetWebACL', 'wafv2:ListTagsForResource', 'wafv2:ListResourcesForWebACL',
    'wafv2:GetWebACLForResource',
  ],

  async seedUnit(target, suffix, random) {
    const elb = clientFor(ElasticLoadBalancingV2Client, target);
    const net = await backingNetwork(target);
    const s = slug(suffix);
    const team = pick(TEAMS, random);
    const subnets = net.subnetIds.slice(0, 2);
    const untagged = defaultTagsOnly();
    const lbName = `bench-${s}`.slice(0, 32);
    const lbTags = tagsFor(lbName, { Team: team });
    const idle = pick([60, 120, 300], random);
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: lbName, Subnets: subnets, SecurityGroups: [net.securityGroupId], Tags: tagList(lbTags.tagsAll) }))).LoadBalancers![0]!;
    const lbArn = lb.LoadBalancerArn!;
    await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: String(idle) }] }));

    const tgName = `bench-tg-${s}`.slice(0, 32);
    const tgTags = tagsFor(tgName, { Team: team });
    const port = pick([8080, 8443, 9000], random);
    const tgArn = (await elb.send(new CreateTargetGroupCommand({
      Name: tgName, Protocol: 'HTTP', Port: port, VpcId: net.vpcId, TargetType: 'ip', HealthCheckPath: '/health', HealthCheckIntervalSeconds: 15,
      HealthyThresholdCount: 3, UnhealthyThresholdCount: 3, Tags: tagList(tgTags.tagsAll),
    }))).TargetGroups![0]!.TargetGroupArn!;
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tgArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] }));
    const ip = `10.250.${Math.floor(random() * 2)}.${10 + Math.floor(random() * 240)}`;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: ip, Port: port }] }));

    const listenerArn = (await elb.send(new CreateListenerCommand({
      LoadBalancerArn: lbArn, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }], Tags: tagList(untagged.tagsAll),
    }))).Listeners![0]!.ListenerArn!;
    const ruleArn = (await elb.send(new CreateRuleCommand({
      ListenerArn: listenerArn, Priority: 10, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/old/*'] } }],
      Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '410', ContentType: 'text/plain', MessageBody: 'gone' } }], Tags: tagList(untagged.tagsAll),
    }))).Rules![0]!.RuleArn!;

    const acl = await webAclUnit(target, 'REGIONAL', `bench-${s}`, `alb_acl_${suffix}`, team, random);
    await clientFor(WAFV2Client, target).send(new AssociateWebACLCommand({ WebACLArn: acl.arn, ResourceArn: lbArn }));

    const n = { association: `alb_waf_${suffix}`, lb: `alb_${suffix}`, tg: `tg_${suffix}`, attachment: `tg_target_${suffix}`, listener: `http_${suffix}`, rule: `old_path_${suffix}` };
    return [
      {
        type: 'aws_lb', name: n.lb,
        hcl: resourceBlock('aws_lb', n.lb, [
          ['name', lbName], ['internal', false], ['load_balancer_type', 'application'], ['security_groups', [net.securityGroupId]], ['subnets', subnets],
          ['idle_timeout', idle], ['tags', lbTags.tags],
        ]),
        attributes: {
          id: lbArn, arn: lbArn, arn_suffix: lbArn.split(':loadbalancer/')[1] ?? '', name: lbName, name_prefix: '', internal: false, load_balancer_type: 'application',
          security_groups: [net.securityGroupId], subnets, subnet_mapping: subnets.map((subnet_id) => ({ subnet_id, allocation_id: '', ipv6_address: '', outpost_id: '', private_ipv4_address: '' })),
          ip_address_type: 'ipv4', enable_deletion_protection: false, idle_timeout: idle, enable_http2: true, drop_invalid_header_fields: false,
          enable_cross_zone_load_balancing: true, access_logs: [{ bucket: '', prefix: '', enabled: false }], dns_name: lb.DNSName ?? '', zone_id: lb.CanonicalHostedZoneId ?? '',
          vpc_id: net.vpcId, tags: lbTags.tags, tags_all: lbTags.tagsAll,
        },
      },
      {
        type: 'aws_lb_target_group', name: n.tg,
        hcl: resourceBlock('aws_lb_target_group', n.tg, [
          ['name', tgName], ['port', port], ['protocol', 'HTTP'], ['vpc_id', net.vpcId], ['target_type', 'ip'], ['deregistration_delay', 30],
          { block: 'health_check', body: [['path', '/health'], ['interval', 15], ['healthy_threshold', 3], ['unhealthy_threshold', 3]] }, ['tags', tgTags.tags],
        ]),
        attributes: {
          id: tgArn, arn: tgArn, arn_suffix: tgArn.split(':')[5] ?? '', name: tgName, name_prefix: '', port, protocol: 'HTTP', protocol_version: 'HTTP1', vpc_id: net.vpcId, target_type: 'ip',
          deregistration_delay: '30', slow_start: 0,
          health_check: [{ enabled: true, healthy_threshold: 3, unhealthy_threshold: 3, interval: 15, port: 'traffic-port', protocol: 'HTTP', path: '/health', matcher: '200', timeout: 5 }],
          stickiness: [{ enabled: false, type: 'lb_cookie', cookie_duration: 86400, cookie_name: '' }], load_balancing_algorithm_type: 'round_robin',
          tags: tgTags.tags, tags_all: tgTags.tagsAll,
        },
      },
      {
        type: 'aws_lb_target_group_attachment', name: n.attachment,
        hcl: resourceBlock('aws_lb_target_group_attachment', n.attachment, [['target_group_arn', ref(`aws_lb_target_group.${n.tg}.arn`)], ['target_id', ip], ['port', port]]),
        attributes: { id: `${tgArn}-20240501090000${s.replace(/[^0-9]/g, '').padStart(12, '0').slice(-12)}`, target_group_arn: tgArn, target_id: ip, port, availability_zone: '' },
        dependencies: [`aws_lb_target_group.${n.tg}`],
      },
      {
        type: 'aws_lb_listener', name: n.listener,
        hcl: resourceBlock('aws_lb_listener', n.listener, [
          ['load_balancer_arn', ref(`aws_lb.${n.lb}.arn`)], ['port', 80], ['protocol', 'HTTP'],
          { block: 'default_action', body: [['type', 'forward'], ['target_group_arn', ref(`aws_lb_target_group.${n.tg}.arn`)]] },
        ]),
        attributes: {
          id: listenerArn, arn: listenerArn, load_balancer_arn: lbArn, port: 80, protocol: 'HTTP', ssl_policy: '', certificate_arn: '', alpn_policy: null,
          default_action: [{ type: 'forward', target_group_arn: tgArn, order: 1, forward: [], redirect: [], fixed_response: [], authenticate_cognito: [], authenticate_oidc: [] }],
          tags: {}, tags_all: untagged.tagsAll,
        },
        dependencies: [`aws_lb.${n.lb}`, `aws_lb_target_group.${n.tg}`],
      },
      {
        type: 'aws_lb_listener_rule', name: n.rule,
        hcl: resourceBlock('aws_lb_listener_rule', n.rule, [
          ['listener_arn', ref(`aws_lb_listener.${n.listener}.arn`)], ['priority', 10],
          { block: 'action', body: [['type', 'fixed-response'], { block: 'fixed_response', body: [['content_type', 'text/plain'], ['message_body', 'gone'], ['status_code', '410']] }] },
          { block: 'condition', body: [{ block: 'path_pattern', body: [['values', ['/old/*']]] }] },
        ]),
        attributes: {
          id: ruleArn, arn: ruleArn, listener_arn: listenerArn, priority: 10,
          action: [{ type: 'fixed-response', order: 1, target_group_arn: '', forward: [], redirect: [], authenticate_cognito: [], authenticate_oidc: [], fixed_response: [{ content_type: 'text/plain', message_body: 'gone', status_code: '410' }] }],
          condition: [{ path_pattern: [{ values: ['/old/*'] }], host_header: [], http_header: [], http_request_method: [], query_string: [], source_ip: [] }],
          tags: {}, tags_all: untagged.tagsAll,
        },
        dependencies: [`aws_lb_listener.${n.listener}`],
      },
      acl.block,
      {
        type: 'aws_wafv2_web_acl_association', name: n.association,
        hcl: resourceBlock('aws_wafv2_web_acl_association', n.association, [['resource_arn', ref(`aws_lb.${n.lb}.arn`)], ['web_acl_arn', ref(`aws_wafv2_web_acl.${acl.block.name}.arn`)]]),
        attributes: { id: `${acl.arn},${lbArn}`, web_acl_arn: acl.arn, resource_arn: lbArn, timeouts: null },
        dependencies: [`aws_lb.${n.lb}`, `aws_wafv2_web_acl.${acl.block.name}`],
      },
    ];
  },

  lowerBound(byType) {
    return {
      // One listing of the region each, 400 a page.
      'elasticloadbalancing:DescribeLoadBalancers': pages(byType.aws_lb, 400),
      'elasticloadbalancing:DescribeTargetGroups': pages(byType.aws_lb_target_group, 400),
      // No batch read of attributes (every seeded balancer declares idle_timeout, every group deregistration_delay).
      'elasticloadbalancing:DescribeLoadBalancerAttributes': byType.aws_lb ?? 0,
      'elasticloadbalancing:DescribeTargetGroupAttributes': byType.aws_lb_target_group ?? 0,
      // Listeners are listed per balancer, rules per listener, targets per group (each seeded
      // balancer has one listener, each listener one rule, each group one target).
      'elasticloadbalancing:DescribeListeners': byType.aws_lb_listener ?? 0,
      'elasticloadbalancing:DescribeRules': byType.aws_lb_listener_rule ?? 0,
      'elasticloadbalancing:DescribeTargetHealth': byType.aws_lb_target_group_attachment ?? 0,
      // Listener and rule tags: DescribeTags, 20 ARNs of any kind a call.
      'elasticloadbalancing:DescribeTags': pages((byType.aws_lb_listener ?? 0) + (byType.aws_lb_listener_rule ?? 0), 20),
      // ListWebACLs returns names and ids only: one GetWebACL per web ACL; one listing of the
      // resources each ACL protects serves its associations (one ACL per seeded balancer).
      'wafv2:GetWebACL': byType.aws_wafv2_web_acl ?? 0,
      'wafv2:ListResourcesForWebACL': byType.aws_wafv2_web_acl_association ?? 0,
    };
  },
};
