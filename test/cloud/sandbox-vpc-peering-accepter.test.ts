// aws_vpc_peering_connection_accepter against the sandbox through the real SDK. The scenario file
// declares the connections an accepter meets: one another account requested to the demo VPC, one
// between two VPCs of this account, both pending acceptance, and one this account requested from
// another. Setup accepts the first two and sets options and tags, as `terraform apply` with
// auto_accept = true does. Then the per-type contract (provider-shaped state clean; a hand-made
// change to accepter options, requester options or tags is drift on exactly that attribute, written
// back, then clean; a deleted connection reads as missing), the sandbox's refusals (only the
// accepter's account accepts; each account sets only its own side's options) and the loader's
// errors for a mistaken declaration.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import {
  AcceptVpcPeeringConnectionCommand, CreateTagsCommand, DeleteVpcPeeringConnectionCommand, DescribeVpcPeeringConnectionsCommand, EC2Client,
  EC2ServiceException, ModifyVpcPeeringConnectionOptionsCommand,
} from '@aws-sdk/client-ec2';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import { AwsClients, createClients } from '../../server/src/cloud/clients';
import type { StateInstance } from '../../server/src/model';
import { parseScenario, ScenarioError, startSandbox, type SandboxHandle } from '../../sandbox/src/index';
import { assertClean, assertDriftReverted, inst, readLive } from '../support/type-suite';
import { DEMO_SCENARIO, keyOf } from '../sandbox/helpers';

const DEMO_VPC = 'vpc-0a1b2c3d4e5f60718';
const SECOND_VPC = 'vpc-0b2c3d4e5f6071829';
const PARTNER_VPC = 'vpc-0f0e0d0c0b0a09081';
const PARTNER = '210987654321';
const FROM_PARTNER = 'pcx-0a1b2c3d4e5f60001';
const INTERNAL = 'pcx-0a1b2c3d4e5f60002';
const TO_PARTNER = 'pcx-0a1b2c3d4e5f60003';

/** The demo scenario with a second VPC and the three connections (text, so the loader checks them). */
function scenarioText(peerings: string): string {
  const demo = readFileSync(DEMO_SCENARIO, 'utf8');
  assert.match(demo, /^vpcs:\n/m);
  return `${demo.replace(/^vpcs:\n/m, `vpcs:\n  - id: ${SECOND_VPC}\n    cidrBlock: 10.1.0.0/16\n`)}\nvpcPeeringConnections:\n${peerings}`;
}

const PEERINGS = `  - id: ${FROM_PARTNER}
    vpc: ${PARTNER_VPC}
    requesterOwner: "${PARTNER}"
    peerVpc: ${DEMO_VPC}
    tags: { Name: from-partner }
  - id: ${INTERNAL}
    vpc: ${DEMO_VPC}
    peerVpc: ${SECOND_VPC}
    status: pending-acceptance
  - id: ${TO_PARTNER}
    vpc: ${DEMO_VPC}
    peerVpc: ${PARTNER_VPC}
    peerOwner: "${PARTNER}"
`;

let sandbox: SandboxHandle | undefined;
let clients: AwsClients;
let ec2: EC2Client;

before(async () => {
  const scenario = parseScenario(scenarioText(PEERINGS), 'demo-peerings.yaml');
  sandbox = await startSandbox(scenario, {});
  const credentials = keyOf(scenario, 'carol');
  clients = await createClients(resolveAwsTarget({ region: sandbox.region, endpoint: sandbox.endpoint }, {}, undefined), { credentials });
  ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials });
  // What apply does for accepters with auto_accept = true, options and tags.
  await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: FROM_PARTNER }));
  await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: INTERNAL }));
  await ec2.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: FROM_PARTNER, AccepterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: true } }));
  await ec2.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: INTERNAL, RequesterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: true } }));
  await ec2.send(new CreateTagsCommand({ Resources: [FROM_PARTNER], Tags: [{ Key: 'Side', Value: 'accepter' }] }));
});
after(async () => {
  await sandbox?.stop();
});

const dns = (allow: boolean) => [{ allow_remote_vpc_dns_resolution: allow }];

/** As the AWS provider v5 records accepters after apply (the accepter account's view). */
const state = (): StateInstance[] => [
  inst('aws_vpc_peering_connection_accepter', 'partner', {
    id: FROM_PARTNER, vpc_peering_connection_id: FROM_PARTNER, auto_accept: true, accept_status: 'active',
    vpc_id: DEMO_VPC, peer_vpc_id: PARTNER_VPC, peer_owner_id: PARTNER, peer_region: 'us-east-1',
    accepter: dns(true), requester: dns(false), tags: { Name: 'from-partner', Side: 'accepter' }, tags_all: { Name: 'from-partner', Side: 'accepter' }, timeouts: null,
  }),
  inst('aws_vpc_peering_connection_accepter', 'internal', {
    id: INTERNAL, vpc_peering_connection_id: INTERNAL, auto_accept: true, accept_status: 'active',
    vpc_id: DEMO_VPC, peer_vpc_id: SECOND_VPC, peer_owner_id: '123456789012', peer_region: 'us-east-1',
    accepter: dns(false), requester: dns(true), tags: {}, tags_all: {}, timeouts: null,
  }),
];

const modify = (id: string, side: 'Accepter' | 'Requester', allow: boolean) =>
  ec2.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, [`${side}PeeringConnectionOptions`]: { AllowDnsResolutionFromRemoteVpc: allow } }));

test('the scenario declares connections pending acceptance, one requested by another account', async () => {
  const out = await ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [TO_PARTNER, FROM_PARTNER] }));
  const byId = new Map((out.VpcPeeringConnections ?? []).map((c) => [c.VpcPeeringConnectionId, c]));
  assert.equal(byId.get(TO_PARTNER)?.Status?.Code, 'pending-acceptance');
  assert.equal(byId.get(TO_PARTNER)?.AccepterVpcInfo?.OwnerId, PARTNER);
  assert.equal(byId.get(FROM_PARTNER)?.RequesterVpcInfo?.OwnerId, PARTNER);
  assert.equal(byId.get(FROM_PARTNER)?.AccepterVpcInfo?.OwnerId, '123456789012');
});

test('provider-shaped accepter state matches the live connections', async () => {
  await assertClean(clients, state());
});

test('accepter DNS resolution turned off by hand: drift on accepter, reverted, then clean', async () => {
  await modify(FROM_PARTNER, 'Accepter', false);
  await assertDriftReverted(clients, state(), ['aws_vpc_peering_connection_accepter.partner accepter']);
});

test('requester options of a same-account connection changed by hand: drift on requester, reverted, then clean', async () => {
  await modify(INTERNAL, 'Requester', false);
  await assertDriftReverted(clients, state(), ['aws_vpc_peering_connection_accepter.internal requester']);
});

test('a tag changed by hand on the accepted connection: drift on tags, reverted, then clean', async () => {
  await ec2.send(new CreateTagsCommand({ Resources: [FROM_PARTNER], Tags: [{ Key: 'Side', Value: 'someone-else' }] }));
  await assertDriftReverted(clients, state(), ['aws_vpc_peering_connection_accepter.partner tags']);
});

async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof EC2ServiceException, String(error));
    return `${error.name}: ${error.message}`;
  }
  return 'no error';
}

test('only the accepter account accepts, and each account sets only its own side', async () => {
  assert.equal(await failure(ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: TO_PARTNER }))), `OperationNotPermitted: User 123456789012 cannot accept peering ${TO_PARTNER}`);
  assert.equal(await failure(modify(FROM_PARTNER, 'Requester', true)), 'OperationNotPermitted: User 123456789012 does not have permission to modify the requester side peering options');
  assert.equal(await failure(modify(TO_PARTNER, 'Accepter', true)), 'OperationNotPermitted: User 123456789012 does not have permission to modify the accepter side peering options');
});

test('the connection deleted by hand: the accepter reads as missing', async () => {
  await ec2.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: FROM_PARTNER }));
  const entry = (await readLive(clients, state())).get('aws_vpc_peering_connection_accepter.partner');
  assert.equal(entry?.status, 'missing', JSON.stringify(entry));
});

test('a mistaken peering declaration is reported with its file, line and field', () => {
  const cases: Array<[string, RegExp]> = [
    [`  - id: ${FROM_PARTNER}\n    vpc: ${PARTNER_VPC}\n    peerVpc: ${DEMO_VPC}\n`, /^bad\.yaml:\d+: vpcPeeringConnections\[0\]\.vpc: VPC 'vpc-0f0e0d0c0b0a09081' is not declared under vpcs \(set requesterOwner/],
    [`  - id: ${FROM_PARTNER}\n    vpc: ${PARTNER_VPC}\n    requesterOwner: "${PARTNER}"\n    peerOwner: "${PARTNER}"\n    peerVpc: ${DEMO_VPC}\n`, /vpcPeeringConnections\[0\]\.peerOwner: one side must be in this account/],
    [`  - id: ${INTERNAL}\n    vpc: ${DEMO_VPC}\n    peerVpc: ${SECOND_VPC}\n    accepterAllowDns: true\n`, /vpcPeeringConnections\[0\]\.status: peering options exist only on an active connection/],
    [`  - id: ${INTERNAL}\n    vpc: ${DEMO_VPC}\n    peerVpc: ${SECOND_VPC}\n  - id: ${INTERNAL}\n    vpc: ${SECOND_VPC}\n    peerVpc: ${DEMO_VPC}\n`, /vpcPeeringConnections\[1\]\.id: /],
    [`  - id: ${INTERNAL}\n    vpc: ${DEMO_VPC}\n    peerVpc: ${SECOND_VPC}\n    status: accepted\n`, /vpcPeeringConnections\[0\]\.status: /],
  ];
  for (const [peerings, expected] of cases) {
    assert.throws(() => parseScenario(scenarioText(peerings), 'bad.yaml'), (e: unknown) => e instanceof ScenarioError && expected.test(e.message), peerings);
  }
});
