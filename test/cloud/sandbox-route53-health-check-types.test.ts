// aws_route53_health_check against the sandbox through the real SDK (the per-type contract of
// test/support/type-suite): one ListHealthChecks listing and batched tag reads; changes made with
// UpdateHealthCheck are drift and written back; a deleted check reads as missing.
import { ChangeTagsForResourceCommand, CreateHealthCheckCommand, DeleteHealthCheckCommand, Route53Client, UpdateHealthCheckCommand } from '@aws-sdk/client-route-53';
import { inst, typeSuite } from '../support/type-suite';

let route53: Route53Client;
let id = '';

typeSuite({
  async setup(env) {
    route53 = env.sdk(Route53Client);
    id = (await route53.send(new CreateHealthCheckCommand({
      CallerReference: 'web-check', HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'www.example.com', Port: 443, ResourcePath: '/health', FailureThreshold: 3, RequestInterval: 30 },
    }))).HealthCheck!.Id!;
    await route53.send(new ChangeTagsForResourceCommand({ ResourceType: 'healthcheck', ResourceId: id, AddTags: [{ Key: 'Name', Value: 'web' }] }));
  },
  state: () => [
    inst('aws_route53_health_check', 'web', {
      arn: `arn:aws:route53:::healthcheck/${id}`, child_health_threshold: 0, child_healthchecks: [], cloudwatch_alarm_name: '', cloudwatch_alarm_region: '', disabled: false,
      enable_sni: true, failure_threshold: 3, fqdn: 'www.example.com', id, insufficient_data_health_status: '', invert_healthcheck: false, ip_address: '', measure_latency: false,
      port: 443, reference_name: '', regions: [], request_interval: 30, resource_path: '/health', routing_control_arn: '', search_string: '', tags: { Name: 'web' },
      tags_all: { Name: 'web' }, type: 'HTTPS',
    }),
  ],
  changes: {
    'the check disabled and pointed at another path by hand': {
      drifts: ['aws_route53_health_check.web disabled', 'aws_route53_health_check.web resource_path'],
      change: () => route53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, Disabled: true, ResourcePath: '/' })),
    },
    'the failure threshold raised and the check inverted': {
      drifts: ['aws_route53_health_check.web failure_threshold', 'aws_route53_health_check.web invert_healthcheck'],
      change: () => route53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, FailureThreshold: 10, Inverted: true })),
    },
    'tags renamed': {
      drifts: ['aws_route53_health_check.web tags'],
      change: () => route53.send(new ChangeTagsForResourceCommand({ ResourceType: 'healthcheck', ResourceId: id, AddTags: [{ Key: 'Name', Value: 'renamed' }] })),
    },
  },
  removals: {
    'the check deleted by hand': { missing: 'aws_route53_health_check.web', change: () => route53.send(new DeleteHealthCheckCommand({ HealthCheckId: id })) },
  },
});
