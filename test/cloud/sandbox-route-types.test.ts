// Route types through the DescribeRouteTables family, against the sandbox through the real SDK:
// provider-shaped state matching live objects is clean; one live change per compared attribute
// class is drift on the right attribute; the writer reverts it; a fresh read is clean. A check
// of 31 route-related resources in 4 tables costs one DescribeRouteTables page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AssociateRouteTableCommand, AttachInternetGatewayCommand, CreateInternetGatewayCommand, CreateRouteCommand, CreateRouteTableCommand,
  CreateTagsCommand, DescribeRouteTablesCommand, DisassociateRouteTableCommand, EC2Client, ReplaceRouteCommand,
} from '@aws-sdk/client-ec2';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import type { Drift } from '../../server/src/model';
import { driftKey } from '../support/root-check';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';
import { ignoreCommentsOf, rootFilesOf, RootModule, withoutBrokenBlocks } from '../../server/src/app/root-module';
import { repoRoot } from '../support/lsp-client';
import { keyOf as scenarioKey } from '../sandbox/helpers';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const VPC = scenario.vpcs![0].id;
const [SUBNET_A, SUBNET_B] = scenario.subnets!.map((s) => s.id);
const ENI = 'eni-0a1b2c3d4e5f60999';

let sandbox: SandboxHandle;
let dir: string;
let ec2: EC2Client;
const ids = { igw: '', inline: '', b: '', c: '', main: '', mainAssoc: '', assocA: '', assocB: '' };
const ROUTED = ['b', 'c'] as const;
const destinations = (t: string) => Array.from({ length: 12 }, (_, n) => `10.${t === 'b' ? 60 : 70}.${n}.0/24`);

type Attrs = Record<string, unknown>;
const resource = (type: string, name: string, attributes: Attrs) => ({
  mode: 'managed', type, name, provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
});
const emptyRoute = { cidr_block: '', ipv6_cidr_block: '', destination_prefix_list_id: '', carrier_gateway_id: '', core_network_arn: '', egress_only_gateway_id: '', gateway_id: '', local_gateway_id: '', nat_gateway_id: '', network_interface_id: '', transit_gateway_id: '', vpc_endpoint_id: '', vpc_peering_connection_id: '' };
const tableState = (id: string, routes: Attrs[], tags: Record<string, string>) => ({
  id, arn: `arn:aws:ec2:us-east-1:123456789012:route-table/${id}`, owner_id: '123456789012', propagating_vgws: [], route: routes, tags, tags_all: tags, timeouts: null, vpc_id: VPC,
});

/** The workspace as `terraform apply` leaves it: configuration plus provider-shaped state. */
function writeWorkspace(): void {
  const tf: string[] = ['provider "aws" {\n  region = "us-east-1"\n}\n'];
  const resources: unknown[] = [];
  tf.push(`resource "aws_internet_gateway" "gw" {\n  vpc_id = "${VPC}"\n  tags = { Name = "gw" }\n}\n`);
  resources.push(resource('aws_internet_gateway', 'gw', { id: ids.igw, arn: `arn:aws:ec2:us-east-1:123456789012:internet-gateway/${ids.igw}`, owner_id: '123456789012', tags: { Name: 'gw' }, tags_all: { Name: 'gw' }, timeouts: null, vpc_id: VPC }));
  tf.push(`resource "aws_route_table" "inline" {\n  vpc_id = "${VPC}"\n  route {\n    cidr_block = "0.0.0.0/0"\n    gateway_id = "${ids.igw}"\n  }\n  tags = { Name = "inline" }\n}\n`);
  resources.push(resource('aws_route_table', 'inline', tableState(ids.inline, [{ ...emptyRoute, cidr_block: '0.0.0.0/0', gateway_id: ids.igw }], { Name: 'inline' })));
  for (const t of ROUTED) {
    const routes = destinations(t).map((d) => ({ ...emptyRoute, cidr_block: d, gateway_id: ids.igw }));
    tf.push(`resource "aws_route_table" "${t}" {\n  vpc_id = "${VPC}"\n  tags = { Name = "${t}" }\n}\n`);
    resources.push(resource('aws_route_table', t, tableState(ids[t], routes, { Name: t })));
    destinations(t).forEach((d, n) => {
      tf.push(`resource "aws_route" "${t}${n}" {\n  route_table_id         = "${ids[t]}"\n  destination_cidr_block = "${d}"\n  gateway_id             = "${ids.igw}"\n}\n`);
      resources.push(resource('aws_route', `${t}${n}`, {
        id: `r-${ids[t]}${1080289494 + n}`, route_table_id: ids[t], destination_cidr_block: d, destination_ipv6_cidr_block: '', destination_prefix_list_id: '',
        gateway_id: ids.igw, carrier_gateway_id: '', core_network_arn: '', egress_only_gateway_id: '', instance_id: '', instance_owner_id: '', local_gateway_id: '',
        nat_gateway_id: '', network_interface_id: '', origin: 'CreateRoute', state: 'active', timeouts: null, transit_gateway_id: '', vpc_endpoint_id: '', vpc_peering_connection_id: '',
      }));
    });
  }
  tf.push(`resource "aws_route_table_association" "a" {\n  subnet_id      = "${SUBNET_A}"\n  route_table_id = "${ids.b}"\n}\n`);
  resources.push(resource('aws_route_table_association', 'a', { id: ids.assocA, gateway_id: '', route_table_id: ids.b, subnet_id: SUBNET_A, timeouts: null }));
  tf.push(`resource "aws_route_table_association" "b" {\n  subnet_id      = "${SUBNET_B}"\n  route_table_id = "${ids.c}"\n}\n`);
  resources.push(resource('aws_route_table_association', 'b', { id: ids.assocB, gateway_id: '', route_table_id: ids.c, subnet_id: SUBNET_B, timeouts: null }));
  tf.push(`resource "aws_default_route_table" "main" {\n  default_route_table_id = "${ids.main}"\n  tags = { Name = "main" }\n}\n`);
  resources.push(resource('aws_default_route_table', 'main', { ...tableState(ids.main, [], { Name: 'main' }), default_route_table_id: ids.main }));
  tf.push(`resource "aws_main_route_table_association" "main" {\n  vpc_id         = "${VPC}"\n  route_table_id = "${ids.main}"\n}\n`);
  resources.push(resource('aws_main_route_table_association', 'main', { id: ids.mainAssoc, original_route_table_id: ids.main, route_table_id: ids.main, timeouts: null, vpc_id: VPC }));
  writeFileSync(path.join(dir, 'main.tf'), tf.join('\n'));
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify({ version: 4, terraform_version: '1.7.5', serial: 1, lineage: 'routes', outputs: {}, resources, check_results: null }, null, 2));
}

async function check(): Promise<{ module: RootModule; drifts: Drift[]; calls: Record<string, number>; resources: number }> {
  const files = withoutBrokenBlocks(rootFilesOf(dir, await new WorkspaceIndex().addFolder(dir))).files;
  const module = new RootModule({ root: dir, env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region }, credentials: scenarioKey(scenario, 'carol') });
  await module.loadConfig();
  await module.connect(files);
  const read = await module.refreshAll();
  assert.deepEqual(read.failures, []);
  const calls = module.clients!.gate.stats();
  const report = module.analyze(files, await ignoreCommentsOf(files));
  return { module, drifts: report.drifts.filter((d) => !d.suppressed), calls, resources: report.checked };
}

const key = driftKey;

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: scenarioKey(scenario, 'carol') });
  const tag = (Name: string, ResourceType: 'route-table' | 'internet-gateway') => [{ ResourceType, Tags: [{ Key: 'Name', Value: Name }] }];
  ids.igw = (await ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: tag('gw', 'internet-gateway') }))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: ids.igw, VpcId: VPC }));
  for (const t of ['inline', 'b', 'c'] as const) {
    ids[t] = (await ec2.send(new CreateRouteTableCommand({ VpcId: VPC, TagSpecifications: tag(t, 'route-table') }))).RouteTable!.RouteTableId!;
  }
  await ec2.send(new CreateRouteCommand({ RouteTableId: ids.inline, DestinationCidrBlock: '0.0.0.0/0', GatewayId: ids.igw }));
  for (const t of ROUTED) for (const d of destinations(t)) await ec2.send(new CreateRouteCommand({ RouteTableId: ids[t], DestinationCidrBlock: d, GatewayId: ids.igw }));
  ids.assocA = (await ec2.send(new AssociateRouteTableCommand({ RouteTableId: ids.b, SubnetId: SUBNET_A }))).AssociationId!;
  ids.assocB = (await ec2.send(new AssociateRouteTableCommand({ RouteTableId: ids.c, SubnetId: SUBNET_B }))).AssociationId!;
  const main = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [VPC] }, { Name: 'association.main', Values: ['true'] }] }))).RouteTables![0]!;
  ids.main = main.RouteTableId!;
  ids.mainAssoc = main.Associations!.find((a) => a.Main)!.RouteTableAssociationId!;
  await ec2.send(new CreateTagsCommand({ Resources: [ids.main], Tags: [{ Key: 'Name', Value: 'main' }] }));
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-routes-'));
  writeWorkspace();
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('matching live route tables are clean, and 31 route resources in 4 tables cost one DescribeRouteTables page', async () => {
  const { drifts, calls, resources } = await check();
  assert.deepEqual(drifts.map(key), []);
  assert.ok(resources >= 30, `checked ${resources} resources`);
  assert.equal(calls['ec2:DescribeRouteTables'], 1, JSON.stringify(calls));
});

test('a live change per route type is drift on its attribute, the writers revert it, and a fresh read is clean', async () => {
  await ec2.send(new CreateRouteCommand({ RouteTableId: ids.inline, DestinationCidrBlock: '10.80.0.0/16', GatewayId: ids.igw }));
  await ec2.send(new ReplaceRouteCommand({ RouteTableId: ids.b, DestinationCidrBlock: '10.60.3.0/24', NetworkInterfaceId: ENI }));
  await ec2.send(new CreateRouteCommand({ RouteTableId: ids.c, DestinationCidrBlock: '0.0.0.0/0', GatewayId: ids.igw }));
  await ec2.send(new CreateTagsCommand({ Resources: [ids.igw, ids.main], Tags: [{ Key: 'Name', Value: 'renamed' }] }));
  const { module, drifts } = await check();
  assert.deepEqual(drifts.map(key).sort(), [
    'changed aws_default_route_table.main tags.Name',
    'changed aws_internet_gateway.gw tags.Name',
    'changed aws_route.b3 gateway_id',
    'changed aws_route_table.inline route',
    'unmanaged aws_route.route_0_0_0_0_0',
  ]);
  const unmanaged = drifts.find((d) => d.kind === 'unmanaged')!;
  assert.equal(unmanaged.severity, 'error', 'a default route nobody declares');
  assert.match(unmanaged.note ?? '', /0\.0\.0\.0\/0 → igw-/);
  assert.match(module.importHcl(unmanaged.liveId) ?? '', new RegExp(`id = "${ids.c}_0\\.0\\.0\\.0/0"`));
  const inline = drifts.find((d) => d.address === 'aws_route_table.inline')!;
  assert.equal(inline.severity, 'error');

  const failed: string[] = [];
  for (const drift of drifts) {
    const outcome = await module.revert(drift);
    if (!outcome.ok) failed.push(`${key(drift)}: ${outcome.message}`);
  }
  assert.deepEqual(failed, []);
  assert.deepEqual((await check()).drifts.map(key), [], 'a fresh read after the reverts is clean');
});

test('an association removed by hand is missing live, as Terraform sees it', async () => {
  await ec2.send(new DisassociateRouteTableCommand({ AssociationId: ids.assocA }));
  const { drifts } = await check();
  assert.deepEqual(drifts.map(key), ['missing-live aws_route_table_association.a']);
});
