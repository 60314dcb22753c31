// EC2 through the real SDK: describe with filters, id batches and pagination, security group rule
// changes, instance lifecycle and attributes, tags, not-found codes and access denied.
import {
  AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateTagsCommand, DeleteSecurityGroupCommand, DeleteTagsCommand, DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeTagsCommand, DescribeVpcAttributeCommand, DescribeVpcsCommand,
  ModifyInstanceAttributeCommand, ModifyVpcAttributeCommand, RevokeSecurityGroupIngressCommand, RunInstancesCommand, StartInstancesCommand, StopInstancesCommand,
  TerminateInstancesCommand, paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxHandle, Scenario } from '../../sandbox/src/index';
import { clientsFor, failure, keyOf, startDemo, type Clients } from './helpers';

const WEB = 'i-0a1b2c3d4e5f60c01';
const WORKER = 'i-0a1b2c3d4e5f60c02';
const WEB_SG = 'sg-0a1b2c3d4e5f60a01';
const DB_SG = 'sg-0a1b2c3d4e5f60a02';

describe('EC2', () => {
  let sandbox: SandboxHandle;
  let scenario: Scenario;
  let carol: Clients;
  let reader: Clients;

  before(async () => {
    ({ sandbox, scenario } = await startDemo({}, (s) => {
      // 120 extra instances so DescribeInstances pagination spans several pages.
      for (let n = 0; n < 120; n++) {
        s.instances!.push({ id: `i-0f${n.toString(16).padStart(15, '0')}`, type: 't3.nano', ami: 'ami-0c7217cdde317cfec', subnet: 'subnet-0a1b2c3d4e5f60002', tags: { Fleet: 'batch' } });
      }
    }));
    carol = clientsFor(sandbox, keyOf(scenario, 'carol'));
    reader = clientsFor(sandbox, keyOf(scenario, 'drift-reader'));
  });
  after(() => sandbox.stop());

  it('describes the demo instances by id batch with their reservation, state and tags', async () => {
    const out = await reader.ec2.send(new DescribeInstancesCommand({ InstanceIds: [WEB, WORKER] }));
    const instances = out.Reservations!.flatMap((r) => r.Instances!);
    assert.deepEqual(instances.map((i) => i.InstanceId).sort(), [WEB, WORKER]);
    const web = instances.find((i) => i.InstanceId === WEB)!;
    assert.equal(web.InstanceType, 't3.micro');
    assert.equal(web.State!.Name, 'running');
    assert.equal(web.State!.Code, 16);
    assert.equal(web.PrivateIpAddress, '10.0.1.10');
    assert.equal(web.Placement!.AvailabilityZone, 'us-east-1a');
    assert.deepEqual(web.SecurityGroups, [{ GroupId: WEB_SG, GroupName: 'tidemark-demo-web' }]);
    assert.equal(web.Tags!.find((t) => t.Key === 'Env')!.Value, 'prod');
    assert.equal(out.Reservations!.find((r) => r.Instances![0]!.InstanceId === WEB)!.ReservationId, 'r-0a1b2c3d4e5f60d01');
  });

  it('filters by tag, state and id with wildcards', async () => {
    const out = await reader.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Team', Values: ['web', 'ap*'] }, { Name: 'instance-state-name', Values: ['running'] }] }));
    assert.deepEqual(out.Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceId).sort(), [WEB, WORKER]);
    const unknown = await failure(reader.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] })));
    assert.equal(unknown.name, 'InvalidParameterValue');
  });

  it('paginates with MaxResults and NextToken until every instance is seen once', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances({ client: reader.ec2, pageSize: 50 }, {})) {
      pages++;
      seen.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 122);
    assert.equal(new Set(seen).size, 122);
    const combo = await failure(reader.ec2.send(new DescribeInstancesCommand({ InstanceIds: [WEB], MaxResults: 5 })));
    assert.equal(combo.name, 'InvalidParameterCombination');
  });

  it('answers unknown and malformed ids with EC2 not-found codes', async () => {
    const missing = await failure(reader.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })));
    assert.equal(missing.name, 'InvalidInstanceID.NotFound');
    assert.equal(missing.status, 400);
    assert.match(missing.message, /The instance ID 'i-0123456789abcdef0' does not exist/);
    const malformed = await failure(reader.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['web'] })));
    assert.equal(malformed.name, 'InvalidInstanceID.Malformed');
    const sg = await failure(reader.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })));
    assert.equal(sg.name, 'InvalidGroup.NotFound');
    const vpc = await failure(reader.ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })));
    assert.equal(vpc.name, 'InvalidVpcID.NotFound');
  });

  it('describes VPCs, VPC attributes and subnets', async () => {
    const vpcs = await reader.ec2.send(new DescribeVpcsCommand({}));
    assert.deepEqual(vpcs.Vpcs!.map((v) => [v.VpcId, v.CidrBlock]), [['vpc-0a1b2c3d4e5f60718', '10.0.0.0/16']]);
    const dns = await reader.ec2.send(new DescribeVpcAttributeCommand({ VpcId: 'vpc-0a1b2c3d4e5f60718', Attribute: 'enableDnsHostnames' }));
    assert.equal(dns.EnableDnsHostnames!.Value, true);
    const subnets = await reader.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-0a1b2c3d4e5f60718'] }] }));
    assert.deepEqual(subnets.Subnets!.map((s) => [s.SubnetId, s.CidrBlock, s.MapPublicIpOnLaunch]).sort(), [
      ['subnet-0a1b2c3d4e5f60001', '10.0.1.0/24', true], ['subnet-0a1b2c3d4e5f60002', '10.0.2.0/24', false],
    ]);
  });

  it('groups security group rules by port range and lists them one by one', async () => {
    const out = await reader.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [WEB_SG, DB_SG] }));
    const web = out.SecurityGroups!.find((g) => g.GroupId === WEB_SG)!;
    assert.deepEqual(web.IpPermissions!.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges!.map((r) => r.CidrIp)]), [['tcp', 443, 443, ['0.0.0.0/0']], ['tcp', 80, 80, ['0.0.0.0/0']]]);
    assert.deepEqual(web.IpPermissionsEgress!.map((p) => [p.IpProtocol, p.FromPort, p.IpRanges![0]!.CidrIp]), [['-1', undefined, '0.0.0.0/0']]);
    const db = out.SecurityGroups!.find((g) => g.GroupId === DB_SG)!;
    assert.equal(db.IpPermissions![0]!.UserIdGroupPairs![0]!.GroupId, WEB_SG);
    const rules = await reader.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [DB_SG] }] }));
    const ingress = rules.SecurityGroupRules!.find((r) => !r.IsEgress)!;
    assert.equal(ingress.SecurityGroupRuleId, 'sgr-0a1b2c3d4e5f60b04');
    assert.equal(ingress.ReferencedGroupInfo!.GroupId, WEB_SG);
    assert.equal(ingress.Tags!.find((t) => t.Key === 'Name')!.Value, 'db-from-web');
  });

  it('authorizes and revokes ingress, refusing duplicates and unknown rules', async () => {
    const added = await carol.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'ssh' }] }] }));
    assert.equal(added.Return, true);
    assert.match(added.SecurityGroupRules![0]!.SecurityGroupRuleId!, /^sgr-[0-9a-f]{17}$/);
    const dup = await failure(carol.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] })));
    assert.equal(dup.name, 'InvalidPermission.Duplicate');
    await carol.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }));
    const gone = await failure(carol.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] })));
    assert.equal(gone.name, 'InvalidPermission.NotFound');
  });

  it('creates and deletes a security group, refusing to delete one in use', async () => {
    const created = await carol.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'scratch', Description: 'scratch', VpcId: 'vpc-0a1b2c3d4e5f60718' }));
    await carol.ec2.send(new DeleteSecurityGroupCommand({ GroupId: created.GroupId }));
    const inUse = await failure(carol.ec2.send(new DeleteSecurityGroupCommand({ GroupId: WEB_SG })));
    assert.equal(inUse.name, 'DependencyViolation');
  });

  it('runs, stops, modifies, starts and terminates an instance', async () => {
    const run = await carol.ec2.send(new RunInstancesCommand({
      ImageId: 'ami-0c7217cdde317cfec', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: 'subnet-0a1b2c3d4e5f60001', SecurityGroupIds: [WEB_SG],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'scratch' }] }],
    }));
    const id = run.Instances![0]!.InstanceId!;
    assert.equal(run.Instances![0]!.State!.Name, 'pending');
    const running = await failure(carol.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't3.large' } })));
    assert.equal(running.name, 'IncorrectInstanceState');
    const stop = await carol.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual([stop.StoppingInstances![0]!.PreviousState!.Name, stop.StoppingInstances![0]!.CurrentState!.Name], ['running', 'stopping']);
    await carol.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't3.large' } }));
    await carol.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    const described = await reader.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const inst = described.Reservations![0]!.Instances![0]!;
    assert.deepEqual([inst.InstanceType, inst.State!.Name, inst.Tags![0]!.Value], ['t3.large', 'running', 'scratch']);
    await carol.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const after = await reader.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    assert.equal(after.Reservations![0]!.Instances![0]!.State!.Name, 'terminated');
  });

  it('creates, describes and deletes tags', async () => {
    await carol.ec2.send(new CreateTagsCommand({ Resources: [WORKER, DB_SG], Tags: [{ Key: 'Owner', Value: 'carol' }] }));
    const tags = await reader.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['Owner'] }] }));
    assert.deepEqual(tags.Tags!.map((t) => [t.ResourceId, t.ResourceType, t.Value]).sort(), [[WORKER, 'instance', 'carol'], [DB_SG, 'security-group', 'carol']]);
    await carol.ec2.send(new DeleteTagsCommand({ Resources: [WORKER, DB_SG], Tags: [{ Key: 'Owner' }] }));
    const none = await reader.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['Owner'] }] }));
    assert.deepEqual(none.Tags, []);
    const missing = await failure(carol.ec2.send(new CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })));
    assert.equal(missing.name, 'InvalidInstanceID.NotFound');
  });

  it('refuses writes the caller has no policy for with UnauthorizedOperation', async () => {
    const denied = await failure(reader.ec2.send(new StopInstancesCommand({ InstanceIds: [WEB] })));
    assert.equal(denied.name, 'UnauthorizedOperation');
    assert.equal(denied.status, 403);
    assert.match(denied.message, /user\/drift-reader is not authorized to perform: ec2:StopInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance\/i-0a1b2c3d4e5f60c01/);
    const vpc = await failure(reader.ec2.send(new ModifyVpcAttributeCommand({ VpcId: 'vpc-0a1b2c3d4e5f60718', EnableDnsHostnames: { Value: false } })));
    assert.equal(vpc.name, 'UnauthorizedOperation');
    assert.equal(sandbox.world.instances[WEB]!.state, 'running');
  });

  it('answers DryRun with DryRunOperation when allowed', async () => {
    const dry = await failure(carol.ec2.send(new StopInstancesCommand({ InstanceIds: [WEB], DryRun: true })));
    assert.equal(dry.name, 'DryRunOperation');
    assert.equal(sandbox.world.instances[WEB]!.state, 'running');
  });

  it('serves only the region in the credential scope', async () => {
    const west = clientsFor(sandbox, keyOf(scenario, 'drift-reader'), 1, 'eu-west-1');
    const out = await west.ec2.send(new DescribeInstancesCommand({}));
    assert.deepEqual(out.Reservations, []);
  });
});
