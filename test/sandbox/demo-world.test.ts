// The demo scenario and examples/demo/terraform.tfstate describe the same world: every managed
// resource in the state exists in the sandbox with the recorded ids, ARNs, tags_all and settings.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorld } from '../../sandbox/src/seed';
import { ROOT, demoScenario } from './helpers';

interface StateResource {
  mode: string;
  type: string;
  name: string;
  provider: string;
  instances: { schema_version: number; attributes: Record<string, unknown> }[];
}

const state = JSON.parse(readFileSync(path.join(ROOT, 'examples/demo/terraform.tfstate'), 'utf8')) as { version: number; resources: StateResource[] };
const world = buildWorld(demoScenario());
const attrs = (type: string, name: string): Record<string, unknown> => {
  const r = state.resources.find((x) => x.type === type && x.name === name);
  assert.ok(r, `state has ${type}.${name}`);
  return r.instances[0]!.attributes;
};

describe('demo scenario ↔ terraform.tfstate', () => {
  it('is a v4 state of hashicorp/aws managed resources', () => {
    assert.equal(state.version, 4);
    for (const r of state.resources) {
      assert.equal(r.mode, 'managed');
      assert.equal(r.provider, 'provider["registry.terraform.io/hashicorp/aws"]');
    }
    assert.equal(state.resources.length, 17);
  });

  it('network: VPC, subnets, security groups and standalone rules', () => {
    const vpc = attrs('aws_vpc', 'main');
    const live = world.vpcs[vpc.id as string]!;
    assert.deepEqual([vpc.cidr_block, vpc.enable_dns_hostnames, vpc.enable_dns_support, vpc.tags_all], [live.cidrBlock, live.enableDnsHostnames, live.enableDnsSupport, live.tags]);
    for (const name of ['public_a', 'private_b']) {
      const s = attrs('aws_subnet', name);
      const ls = world.subnets[s.id as string]!;
      assert.deepEqual([s.cidr_block, s.availability_zone, s.map_public_ip_on_launch, s.vpc_id, s.tags_all], [ls.cidrBlock, ls.availabilityZone, ls.mapPublicIpOnLaunch, ls.vpcId, ls.tags]);
    }
    for (const name of ['web', 'db']) {
      const g = attrs('aws_security_group', name);
      const lg = world.securityGroups[g.id as string]!;
      assert.deepEqual([g.name, g.description, g.vpc_id, g.tags_all], [lg.name, lg.description, lg.vpcId, lg.tags]);
      const liveIngress = lg.ruleIds.map((id) => world.securityGroupRules[id]!).filter((r) => !r.isEgress);
      assert.equal((g.ingress as unknown[]).length, liveIngress.length, `${name} ingress count`);
    }
    for (const [type, name] of [['aws_vpc_security_group_ingress_rule', 'db_from_web'], ['aws_vpc_security_group_egress_rule', 'db_all']] as const) {
      const r = attrs(type, name);
      const lr = world.securityGroupRules[r.security_group_rule_id as string]!;
      assert.deepEqual(
        [r.security_group_id, r.ip_protocol, r.from_port ?? -1, r.to_port ?? -1, r.cidr_ipv4 ?? undefined, r.referenced_security_group_id ?? undefined, r.description, r.tags_all],
        [lr.groupId, lr.ipProtocol, lr.fromPort, lr.toPort, lr.cidrIpv4, lr.referencedGroupId, lr.description, lr.tags],
      );
    }
  });

  it('compute: instances', () => {
    for (const name of ['web', 'worker']) {
      const i = attrs('aws_instance', name);
      const li = world.instances[i.id as string]!;
      assert.deepEqual(
        [i.ami, i.instance_type, i.subnet_id, i.private_ip, i.availability_zone, i.vpc_security_group_ids, i.instance_state, i.tags_all, i.primary_network_interface_id],
        [li.imageId, li.instanceType, li.subnetId, li.privateIpAddress, li.availabilityZone, li.securityGroupIds, li.state, li.tags, li.networkInterfaceId],
      );
    }
  });

  it('storage: buckets and their configuration resources', () => {
    const assets = world.buckets['tidemark-demo-assets']!;
    assert.deepEqual(attrs('aws_s3_bucket', 'assets').tags_all, assets.tags);
    assert.deepEqual(attrs('aws_s3_bucket', 'logs').tags_all, world.buckets['tidemark-demo-logs']!.tags);
    assert.equal((attrs('aws_s3_bucket_versioning', 'assets').versioning_configuration as { status: string }[])[0]!.status, assets.versioning);
    const rule = (attrs('aws_s3_bucket_server_side_encryption_configuration', 'assets').rule as { apply_server_side_encryption_by_default: { sse_algorithm: string }[]; bucket_key_enabled: boolean }[])[0]!;
    assert.deepEqual([rule.apply_server_side_encryption_by_default[0]!.sse_algorithm, rule.bucket_key_enabled], [assets.encryption.sseAlgorithm, assets.encryption.bucketKeyEnabled]);
    const pab = attrs('aws_s3_bucket_public_access_block', 'assets');
    assert.deepEqual([pab.block_public_acls, pab.ignore_public_acls, pab.block_public_policy, pab.restrict_public_buckets], Object.values(assets.publicAccessBlock!));
    assert.deepEqual(JSON.parse(attrs('aws_s3_bucket_policy', 'assets').policy as string), JSON.parse(assets.policy!));
  });

  it('iam: the app role and its inline policy', () => {
    const role = attrs('aws_iam_role', 'app');
    const live = world.roles['app-role']!;
    assert.deepEqual([role.arn, role.unique_id, role.max_session_duration, role.description, role.tags_all], [live.arn, live.roleId, live.maxSessionDuration, live.description, live.tags]);
    assert.deepEqual(JSON.parse(role.assume_role_policy as string), JSON.parse(live.trustPolicy));
    const policy = attrs('aws_iam_role_policy', 'app_s3_read');
    assert.deepEqual(JSON.parse(policy.policy as string), JSON.parse(live.inlinePolicies[policy.name as string]!));
  });
});
