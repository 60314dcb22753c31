// aws_route53_zone_association against the sandbox through the real SDK (the per-type contract
// of test/support/type-suite): a private zone's second VPC, read through GetHostedZone; an
// association removed by hand reads as missing. Sandbox refusals use Route 53's error codes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssociateVPCWithHostedZoneCommand, CreateHostedZoneCommand, DisassociateVPCFromHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { inst, typeSuite } from '../support/type-suite';

let route53: Route53Client;
const ids = { zone: '', vpc: '', second: '' };

const suite = typeSuite({
  async setup(env) {
    const ec2 = env.sdk(EC2Client);
    route53 = env.sdk(Route53Client);
    ids.vpc = env.scenario.vpcs![0]!.id;
    ids.second = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
    const zone = await route53.send(new CreateHostedZoneCommand({ Name: 'internal.example', CallerReference: 'association-test', VPC: { VPCId: ids.vpc, VPCRegion: 'us-east-1' } }));
    ids.zone = zone.HostedZone!.Id!.replace('/hostedzone/', '');
    await route53.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: ids.zone, VPC: { VPCId: ids.second, VPCRegion: 'us-east-1' } }));
  },
  state: () => [
    inst('aws_route53_zone_association', 'second', { id: `${ids.zone}:${ids.second}:us-east-1`, owning_account: '123456789012', vpc_id: ids.second, vpc_region: 'us-east-1', zone_id: ids.zone }),
  ],
  changes: {},
  removals: {
    'the second VPC disassociated by hand': {
      missing: 'aws_route53_zone_association.second',
      change: () => route53.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: ids.zone, VPC: { VPCId: ids.second, VPCRegion: 'us-east-1' } })),
    },
  },
});

test('Route 53 refuses to drop the last VPC of a private zone or to associate one twice', async () => {
  const vpc = { VPCId: suite.env().scenario.vpcs![0]!.id, VPCRegion: 'us-east-1' as const };
  await assert.rejects(route53.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: ids.zone, VPC: vpc })), (e: Error) => e.name === 'ConflictingDomainExists');
  await assert.rejects(route53.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: ids.zone, VPC: vpc })), (e: Error) => e.name === 'LastVPCAssociation');
});
