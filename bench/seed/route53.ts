// Route 53 objects created through the Route 53 API: an HTTPS health check of a unit's site, and
// the association of a shared private zone with a second VPC. The zone and both VPCs belong to the
// network team's configuration (created here untagged, so they are not unmanaged objects of this
// workspace): cross-configuration VPC association is what aws_route53_zone_association is for.
import { CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssociateVPCWithHostedZoneCommand, ChangeTagsForResourceCommand, CreateHealthCheckCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { clientFor, type SeededBlock, type Seeder, type SeedTarget } from './seeder';
import { awsName, block, label, q, tagSet } from './hcl-text';
import { tagList } from './block-text';

async function seedUnit(target: SeedTarget, suffix: string): Promise<SeededBlock[]> {
  const route53 = clientFor(Route53Client, target);
  const ec2 = clientFor(EC2Client, target);
  const n = (prefix: string) => label(prefix, suffix);
  const fqdn = `${awsName('site', suffix)}.bench.example.com`;
  const tags = tagSet(awsName('site-check', suffix));
  const check = (await route53.send(new CreateHealthCheckCommand({
    CallerReference: `bench-${suffix}`,
    HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: fqdn, Port: 443, ResourcePath: '/health', FailureThreshold: 3, RequestInterval: 30 },
  }))).HealthCheck!.Id!;
  await route53.send(new ChangeTagsForResourceCommand({ ResourceType: 'healthcheck', ResourceId: check, AddTags: tagList(tags.live) }));

  const home = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.250.0.0/16' }))).Vpc!.VpcId!;
  const second = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.251.0.0/16' }))).Vpc!.VpcId!;
  const zone = (await route53.send(new CreateHostedZoneCommand({
    Name: `${awsName('internal', suffix)}.bench.example`, CallerReference: `bench-zone-${suffix}`, VPC: { VPCId: home, VPCRegion: target.region as never },
  }))).HostedZone!.Id!.replace('/hostedzone/', '');
  await route53.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: zone, VPC: { VPCId: second, VPCRegion: target.region as never } }));

  return [
    {
      type: 'aws_route53_health_check', name: n('site'),
      hcl: block('aws_route53_health_check', n('site'), [
        '  type              = "HTTPS"', `  fqdn              = ${q(fqdn)}`, '  port              = 443', '  resource_path     = "/health"', '  failure_threshold = 3',
        '  request_interval  = 30', '', tags.hcl,
      ]),
      attributes: {
        arn: `arn:aws:route53:::healthcheck/${check}`, child_health_threshold: 0, child_healthchecks: [], cloudwatch_alarm_name: '', cloudwatch_alarm_region: '', disabled: false,
        enable_sni: true, failure_threshold: 3, fqdn, id: check, insufficient_data_health_status: '', invert_healthcheck: false, ip_address: '', measure_latency: false,
        port: 443, reference_name: '', regions: [], request_interval: 30, resource_path: '/health', routing_control_arn: '', search_string: '', type: 'HTTPS', ...tags.state,
      },
    },
    {
      type: 'aws_route53_zone_association', name: n('internal'),
      hcl: block('aws_route53_zone_association', n('internal'), [`  zone_id = ${q(zone)}`, `  vpc_id  = ${q(second)}`]),
      attributes: { id: `${zone}:${second}:${target.region}`, owning_account: target.account, vpc_id: second, vpc_region: target.region, zone_id: zone },
    },
  ];
}

export const route53Seeder: Seeder = {
  family: 'route53',
  types: ['aws_route53_health_check', 'aws_route53_zone_association'],
  global: true,
  seedUnit,
  lowerBound(byType) {
    const checks = byType.aws_route53_health_check ?? 0;
    return {
      // Up to 1,000 health checks a page (MaxItems).
      'route53:ListHealthChecks': Math.ceil(checks / 1000),
      // Their tags ride the Tagging API pages that check-bench counts once for every tagged object.
      // A zone's VPCs come only with GetHostedZone (or ListHostedZonesByVPC per VPC): one per associated zone (one each here).
      'route53:GetHostedZone': byType.aws_route53_zone_association ?? 0,
    };
  },
  readActions: ['route53:ListHealthChecks', 'route53:ListTagsForResources', 'route53:GetHostedZone', 'route53:ListHostedZones'],
};
