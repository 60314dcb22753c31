// EC2 networking through the real SDK: route tables and internet gateways declared in a scenario,
// route, ACL, address and volume operations with AWS's error codes, and CloudTrail records of writes.
import {
  AllocateAddressCommand, AssociateAddressCommand, CreateNetworkAclEntryCommand, CreateRouteCommand, DeleteRouteCommand, DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand, DescribeRouteTablesCommand, DescribeVolumesCommand, ReleaseAddressCommand,
  DescribeInstanceTypesCommand, DescribeInstanceCreditSpecificationsCommand, RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type SandboxHandle, type Scenario } from '../../sandbox/src/index';
import { clientsFor, demoScenario, failure, keyOf, startDemo, type Clients } from './helpers';

const VPC = 'vpc-0a1b2c3d4e5f60718';
const PUBLIC_A = 'subnet-0a1b2c3d4e5f60001';
const IGW = 'igw-0a1b2c3d4e5f60e01';
const MAIN = 'rtb-0a1b2c3d4e5f60d00';
const PUBLIC = 'rtb-0a1b2c3d4e5f60d01';
const WEB = 'i-0a1b2c3d4e5f60c01';

describe('EC2 networking', () => {
  let sandbox: SandboxHandle;
  let scenario: Scenario;
  let carol: Clients;

  before(async () => {
    ({ sandbox, scenario } = await startDemo({}, (s) => {
      s.internetGateways = [{ id: IGW, vpc: VPC, tags: { Name: 'main' } }];
      s.routeTables = [
        { id: MAIN, vpc: VPC, main: true },
        { id: PUBLIC, vpc: VPC, routes: [{ destination: '0.0.0.0/0', gateway: IGW }], subnets: [PUBLIC_A], tags: { Name: 'public' } },
      ];
    }));
    carol = clientsFor(sandbox, keyOf(scenario, 'carol'));
  });
  after(() => sandbox.stop());

  it('describes the scenario route tables with their local route, routes, associations and main flag', async () => {
    const out = await carol.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [VPC] }] }));
    const byId = new Map(out.RouteTables!.map((t) => [t.RouteTableId, t]));
    assert.deepEqual([...byId.keys()].sort(), [MAIN, PUBLIC]);
    assert.equal(byId.get(MAIN)!.Associations![0]!.Main, true);
    const routes = byId.get(PUBLIC)!.Routes!.map((r) => `${r.DestinationCidrBlock} ${r.GatewayId} ${r.Origin}`);
    assert.deepEqual(routes, ['10.0.0.0/16 local CreateRouteTable', `0.0.0.0/0 ${IGW} CreateRoute`]);
    const bySubnet = await carol.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [PUBLIC_A] }] }));
    assert.deepEqual(bySubnet.RouteTables!.map((t) => t.RouteTableId), [PUBLIC]);
    const gateways = await carol.ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [IGW] }));
    assert.equal(gateways.InternetGateways![0]!.Attachments![0]!.VpcId, VPC);
  });

  it('answers route mistakes with AWS error codes and records writes in CloudTrail', async () => {
    assert.equal((await failure(carol.ec2.send(new CreateRouteCommand({ RouteTableId: PUBLIC, DestinationCidrBlock: '0.0.0.0/0', GatewayId: IGW })))).name, 'RouteAlreadyExists');
    assert.equal((await failure(carol.ec2.send(new DeleteRouteCommand({ RouteTableId: PUBLIC, DestinationCidrBlock: '10.9.0.0/16' })))).name, 'InvalidRoute.NotFound');
    assert.equal((await failure(carol.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-0000000000000000f'] })))).name, 'InvalidRouteTableID.NotFound');
    await carol.ec2.send(new CreateRouteCommand({ RouteTableId: PUBLIC, DestinationCidrBlock: '10.50.0.0/16', GatewayId: IGW }));
    const events = await carol.cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateRoute' }] }));
    const event = events.Events!.find((e) => e.Resources?.some((r) => r.ResourceName === PUBLIC));
    assert.ok(event, 'CreateRoute is recorded against the route table');
    assert.equal(JSON.parse(event!.CloudTrailEvent!).requestParameters.destinationCidrBlock, '10.50.0.0/16');
  });

  it('gives each VPC a default network ACL and refuses a duplicate entry', async () => {
    const out = await carol.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [VPC] }, { Name: 'default', Values: ['true'] }] }));
    const acl = out.NetworkAcls![0]!;
    assert.deepEqual(acl.Entries!.map((e) => `${e.Egress ? 'out' : 'in'} ${e.RuleNumber} ${e.RuleAction}`).sort(), ['in 100 allow', 'in 32767 deny', 'out 100 allow', 'out 32767 deny']);
    assert.ok(acl.Associations!.some((a) => a.SubnetId === PUBLIC_A));
    const duplicate = new CreateNetworkAclEntryCommand({ NetworkAclId: acl.NetworkAclId, RuleNumber: 100, Egress: false, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' });
    assert.equal((await failure(carol.ec2.send(duplicate))).name, 'NetworkAclEntryAlreadyExists');
  });

  it('lists instance root volumes as attached, and refuses to release an address in use', async () => {
    const volumes = await carol.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [WEB] }] }));
    assert.equal(volumes.Volumes!.length, 1);
    assert.equal(volumes.Volumes![0]!.Attachments![0]!.Device, '/dev/xvda');
    assert.equal(volumes.Volumes![0]!.State, 'in-use');
    const allocation = (await carol.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!;
    await carol.ec2.send(new AssociateAddressCommand({ AllocationId: allocation, InstanceId: WEB }));
    assert.equal((await failure(carol.ec2.send(new ReleaseAddressCommand({ AllocationId: allocation })))).name, 'InvalidIPAddress.InUse');
  });
});

describe('EC2 answers what Terraform\'s provider asks on refresh and create', () => {
  let sandbox: SandboxHandle;
  let carol: Clients;
  before(async () => {
    let scenario: Scenario;
    ({ sandbox, scenario } = await startDemo());
    carol = clientsFor(sandbox, keyOf(scenario, 'carol'));
  });
  after(() => sandbox.stop());

  it('describes instance types and burstable credit specifications', async () => {
    const types = await carol.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro'] }));
    assert.equal(types.InstanceTypes![0]!.VCpuInfo!.DefaultVCpus, 2);
    assert.equal(types.InstanceTypes![0]!.MemoryInfo!.SizeInMiB, 1024);
    assert.equal((await failure(carol.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t9.huge' as never] })))).name, 'InvalidInstanceType');
    const credits = await carol.ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [WEB] }));
    assert.deepEqual(credits.InstanceCreditSpecifications!.map((c) => `${c.InstanceId} ${c.CpuCredits}`), [`${WEB} unlimited`]);
  });

  it('RunInstances honours the subnet, private IP and groups given on NetworkInterface.1', async () => {
    const out = await carol.ec2.send(new RunInstancesCommand({
      ImageId: 'ami-0c7217cdde317cfec', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: 'subnet-0a1b2c3d4e5f60002', PrivateIpAddress: '10.0.2.77', Groups: ['sg-0a1b2c3d4e5f60a02'] }],
    }));
    const i = out.Instances![0]!;
    assert.equal(i.SubnetId, 'subnet-0a1b2c3d4e5f60002');
    assert.equal(i.PrivateIpAddress, '10.0.2.77');
    assert.deepEqual(i.SecurityGroups!.map((g) => g.GroupId), ['sg-0a1b2c3d4e5f60a02']);
  });
});

it('a scenario route with two targets is an error naming the route', async () => {
  const s = demoScenario();
  s.internetGateways = [{ id: IGW, vpc: VPC }];
  s.routeTables = [{ id: PUBLIC, vpc: VPC, routes: [{ destination: '0.0.0.0/0', gateway: IGW, natGateway: 'nat-0a1b2c3d4e5f60f01' }] }];
  await assert.rejects(startSandbox(s), /routeTables\[0\]\.routes\[0\].*exactly one target|exactly one target.*routeTables/);
});
