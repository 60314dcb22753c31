// EC2 gateways, DHCP option sets, placement groups and secondary CIDR blocks through the real SDK:
// AWS's error codes for the common mistakes, tags through CreateTags and the Tagging API, and
// CloudTrail records of the writes.
import {
  AssociateVpcCidrBlockCommand, AttachVpnGatewayCommand, CreateDhcpOptionsCommand, CreatePlacementGroupCommand, CreateVpnGatewayCommand, DeleteDhcpOptionsCommand,
  AssociateDhcpOptionsCommand, DescribeDhcpOptionsCommand, DescribeEgressOnlyInternetGatewaysCommand, DescribePlacementGroupsCommand, DisassociateVpcCidrBlockCommand,
  EnableVgwRoutePropagationCommand, DescribeRouteTablesCommand, CreateEgressOnlyInternetGatewayCommand, DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoAsCarol, failure } from './helpers';

const VPC = 'vpc-0a1b2c3d4e5f60718';

describe('EC2 gateways, DHCP options, placement groups and CIDR blocks', () => {
  const demo = demoAsCarol();

  it('refuses to delete an option set in use, and to propagate routes from a detached gateway', async () => {
    const dopt = (await demo.carol.ec2.send(new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: 'domain-name', Values: ['corp.example'] }] }))).DhcpOptions!.DhcpOptionsId!;
    await demo.carol.ec2.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: dopt, VpcId: VPC }));
    assert.equal((await failure(demo.carol.ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: dopt })))).name, 'DependencyViolation');
    assert.equal((await failure(demo.carol.ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: ['dopt-0000000000000000f'] })))).name, 'InvalidDhcpOptionID.NotFound');
    const bad = new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: 'domain-nameservers', Values: ['10.0.0.2'] }] });
    assert.equal((await failure(demo.carol.ec2.send(bad))).name, 'InvalidParameterValue');

    const vgw = (await demo.carol.ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!.VpnGatewayId!;
    const table = (await demo.carol.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [VPC] }] }))).RouteTables![0]!.RouteTableId!;
    assert.equal((await failure(demo.carol.ec2.send(new EnableVgwRoutePropagationCommand({ GatewayId: vgw, RouteTableId: table })))).name, 'Gateway.NotAttached');
    await demo.carol.ec2.send(new AttachVpnGatewayCommand({ VpnGatewayId: vgw, VpcId: VPC }));
    await demo.carol.ec2.send(new EnableVgwRoutePropagationCommand({ GatewayId: vgw, RouteTableId: table }));
    const after = await demo.carol.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [table] }));
    assert.deepEqual(after.RouteTables![0]!.PropagatingVgws!.map((g) => g.GatewayId), [vgw]);

    const events = await demo.carol.cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AttachVpnGateway' }] }));
    assert.ok(events.Events!.some((e) => e.Resources?.some((r) => r.ResourceName === vgw)), 'AttachVpnGateway is recorded against the gateway');
  });

  it('names placement groups uniquely and lists gateways through the Tagging API', async () => {
    await demo.carol.ec2.send(new CreatePlacementGroupCommand({ GroupName: 'hpc', Strategy: 'partition', PartitionCount: 3 }));
    assert.equal((await failure(demo.carol.ec2.send(new CreatePlacementGroupCommand({ GroupName: 'hpc', Strategy: 'cluster' })))).name, 'InvalidPlacementGroup.Duplicate');
    assert.equal((await failure(demo.carol.ec2.send(new DescribePlacementGroupsCommand({ GroupNames: ['nope'] })))).name, 'InvalidPlacementGroup.Unknown');
    const pg = (await demo.carol.ec2.send(new DescribePlacementGroupsCommand({ GroupNames: ['hpc'] }))).PlacementGroups![0]!;
    assert.equal(pg.PartitionCount, 3);

    const eigw = (await demo.carol.ec2.send(new CreateEgressOnlyInternetGatewayCommand({
      VpcId: VPC, TagSpecifications: [{ ResourceType: 'egress-only-internet-gateway', Tags: [{ Key: 'Team', Value: 'net' }] }],
    }))).EgressOnlyInternetGateway!.EgressOnlyInternetGatewayId!;
    const listed = await demo.carol.ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({}));
    assert.deepEqual(listed.EgressOnlyInternetGateways!.map((g) => g.EgressOnlyInternetGatewayId), [eigw]);
    const tagged = await demo.carol.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['ec2:egress-only-internet-gateway'] }));
    assert.deepEqual(tagged.ResourceTagMappingList!.map((m) => m.ResourceARN), [`arn:aws:ec2:us-east-1:${demo.scenario.account}:egress-only-internet-gateway/${eigw}`]);
  });

  it('adds and removes secondary CIDR blocks; the primary one cannot be removed', async () => {
    const added = await demo.carol.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: VPC, CidrBlock: '10.2.0.0/16' }));
    const id = added.CidrBlockAssociation!.AssociationId!;
    const vpc = (await demo.carol.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'cidr-block-association.association-id', Values: [id] }] }))).Vpcs![0]!;
    assert.deepEqual(vpc.CidrBlockAssociationSet!.map((a) => a.CidrBlock), ['10.0.0.0/16', '10.2.0.0/16']);
    assert.equal((await failure(demo.carol.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: VPC, CidrBlock: '10.2.0.0/16' })))).name, 'InvalidVpc.Range');
    const primary = vpc.CidrBlockAssociationSet![0]!.AssociationId!;
    assert.equal((await failure(demo.carol.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: primary })))).name, 'OperationNotPermitted');
    await demo.carol.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: id }));
    assert.equal((await failure(demo.carol.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: id })))).name, 'InvalidVpcCidrBlockAssociationID.NotFound');
  });
});
