// `tidemark types`: every supported type with its read family, compared and deliberately
// uncompared attributes, and what revert can write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, TypeDescription } from '../../server/src/cli/types';
import { CliError, CliIO } from '../../server/src/cli/io';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';

function io(): CliIO & { lines: string[] } {
  const lines: string[] = [];
  return { cwd: process.cwd(), env: {}, isTTY: false, out: (t) => lines.push(t), err: (t) => lines.push(t), lines };
}

test('--json lists every registered type with its family, comparisons and revert support', async () => {
  const out = io();
  assert.equal(await run(['--json'], out), 0);
  const types = JSON.parse(out.lines.join('\n')) as TypeDescription[];
  assert.equal(types.length, RESOURCE_TYPES.size);
  const byName = new Map(types.map((t) => [t.type, t]));
  const route = byName.get('aws_route')!;
  assert.equal(route.family, 'ec2:DescribeRouteTables');
  assert.ok(route.compared.some((a) => a.name === 'gateway_id'));
  assert.ok(route.notCompared.some((a) => a.name === 'instance_id' && a.reason.length > 0));
  assert.ok(route.revert.attributes.includes('gateway_id') && !route.revert.attributes.includes('destination_cidr_block'));
  assert.equal(byName.get('aws_security_group')!.unmanagedMembers, 'ec2:DescribeSecurityGroupRules');
  assert.equal(byName.get('aws_vpc_security_group_ingress_rule')!.family, 'ec2:DescribeSecurityGroupRules');
  assert.equal(byName.get('aws_route_table_association')!.revert.supported, false);
  assert.ok(byName.get('aws_vpc_security_group_ingress_rule')!.revert.removesUnmanaged);
  for (const t of types) assert.ok(t.family.length > 0, t.type);
});

test('the text form names each type and the total; stray arguments are a clear error', async () => {
  const out = io();
  assert.equal(await run([], out), 0);
  assert.ok(out.lines.includes('aws_route_table'));
  assert.ok(out.lines.some((l) => /^  read by +ec2:DescribeRouteTables; unmanaged members via ec2:DescribeRouteTables$/.test(l)));
  assert.equal(out.lines.at(-1), `${RESOURCE_TYPES.size} resource types`);
  await assert.rejects(run(['extra'], io()), (e: unknown) => e instanceof CliError && /unexpected argument extra/.test(e.message));
});

test('--markdown prints one table row per type (the README type list is generated from it)', async () => {
  const out = io();
  assert.equal(await run(['--markdown'], out), 0);
  const rows = out.lines.filter((l) => l.startsWith('| `'));
  assert.equal(rows.length, RESOURCE_TYPES.size);
  const peering = rows.find((r) => r.startsWith('| `aws_vpc_peering_connection` |'))!;
  assert.match(peering, /\| `ec2:DescribeVpcPeeringConnections` \| .*`vpc_id` ⟳.*`requester`.* \| `accept_status`, `auto_accept` \| `requester`, `accepter`, `tags` \|$/);
  assert.equal(out.lines.at(-1), `${RESOURCE_TYPES.size} resource types; ⟳ = changing it makes Terraform replace the resource (reported, not written back).`);
});
