// What seeded units stand on but do not manage: per region, one VPC with three subnets in three
// zones and a security group, and one IAM role. They carry no tags, so the check's unmanaged scan
// (the provider's default tags) does not count them. A network is created once per sandbox and
// region: a remembered one is confirmed with one DescribeVpcs, since a later sandbox may listen on
// the same port.
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { clientFor, type SeedTarget } from './seeder';

export interface BackingNetwork {
  vpcId: string;
  /** Three subnets, one per zone a, b and c. */
  subnetIds: string[];
  zones: string[];
  securityGroupId: string;
}

const networks = new Map<string, Promise<BackingNetwork>>();

async function createNetwork(target: SeedTarget): Promise<BackingNetwork> {
  const ec2 = clientFor(EC2Client, target);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.250.0.0/16' }))).Vpc!.VpcId!;
  const zones = ['a', 'b', 'c'].map((z) => `${target.region}${z}`);
  const subnetIds: string[] = [];
  for (const [i, zone] of zones.entries()) {
    subnetIds.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.250.${i}.0/24`, AvailabilityZone: zone }))).Subnet!.SubnetId!);
  }
  const securityGroupId = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'bench-backing', Description: 'seeded services' }))).GroupId!;
  return { vpcId, subnetIds, zones, securityGroupId };
}

async function stillThere(target: SeedTarget, network: BackingNetwork): Promise<boolean> {
  try {
    await clientFor(EC2Client, target).send(new DescribeVpcsCommand({ VpcIds: [network.vpcId] }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'InvalidVpcID.NotFound') return false;
    throw error;
  }
}

/** The region's backing network (concurrent units share one creation). */
export async function backingNetwork(target: SeedTarget): Promise<BackingNetwork> {
  const key = `${target.endpoint} ${target.region}`;
  const known = networks.get(key);
  if (known) {
    const network = await known.catch(() => undefined);
    if (network && await stillThere(target, network)) return network;
    if (networks.get(key) !== known) return backingNetwork(target);
  }
  const created = createNetwork(target);
  networks.set(key, created);
  created.catch(() => networks.delete(key));
  return created;
}

/**
 * The ARN of the service role seeded units name (EKS clusters, node groups, access entries), made
 * if the sandbox does not have it yet (IAM is global: one for every region). One GetRole a unit.
 */
export async function backingRole(target: SeedTarget): Promise<string> {
  const iam = clientFor(IAMClient, { ...target, region: 'us-east-1' });
  const RoleName = 'bench-backing-service';
  try {
    return (await iam.send(new GetRoleCommand({ RoleName }))).Role!.Arn!;
  } catch (error) {
    if (!['NoSuchEntity', 'NoSuchEntityException'].includes(String((error as { name?: string }).name))) throw error;
  }
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['eks.amazonaws.com', 'ec2.amazonaws.com'] }, Action: 'sts:AssumeRole' }] });
  try {
    return (await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust }))).Role!.Arn!;
  } catch (error) {
    // Another unit made it in the meantime.
    if (!['EntityAlreadyExists', 'EntityAlreadyExistsException'].includes(String((error as { name?: string }).name))) throw error;
    return (await iam.send(new GetRoleCommand({ RoleName }))).Role!.Arn!;
  }
}
