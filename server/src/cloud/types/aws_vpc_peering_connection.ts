// aws_vpc_peering_connection and aws_vpc_peering_connection_accepter (DescribeVpcPeeringConnections
// family, by id). A connection in state deleted, expired, failed or rejected is gone, as the
// provider reads it. The `requester`/`accepter` option blocks (DNS resolution from the remote VPC)
// are optional and computed: compared when declared, written back with
// ModifyVpcPeeringConnectionOptions; the VPCs, owner and region force a new connection.
import { ModifyVpcPeeringConnectionOptionsCommand, VpcPeeringConnection, VpcPeeringConnectionVpcInfo } from '@aws-sdk/client-ec2';
import type { Known } from '../../drift/values';
import { isObject } from '../../drift/values';
import type { AttributeRule } from '../../drift/schema';
import { member } from '../families/family';
import { peeringKey, peeringsFamily } from '../families/vpc-endpoints';
import { bool, cannotRevert, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ReadContext, ReadTarget, ResourceType, RevertOutcome, RevertRequest } from './resource-type';
import type { AwsClients } from '../clients';
import type { LiveEntry } from '../../drift/snapshot';
import type { FamilyRows } from '../families/family';

const GONE = new Set(['deleted', 'expired', 'failed', 'rejected']);

/** `[{ allow_remote_vpc_dns_resolution = true }]` → its one atom; an empty block list is no atom. */
function optionAtoms(value: Known): Known {
  const blocks = (Array.isArray(value) ? value : []).flatMap((b) => (isObject(b) ? [b] : []));
  return blocks.map((b) => `dns=${String(bool(b.allow_remote_vpc_dns_resolution as Known) ?? false)}`);
}

const OPTION_RULES: AttributeRule[] = [
  { name: 'requester', compare: 'blocks', normalize: optionAtoms, phrases: (v) => optionAtoms(v) as string[] },
  { name: 'accepter', compare: 'blocks', normalize: optionAtoms, phrases: (v) => optionAtoms(v) as string[] },
];

/** Options exist only on an active connection; before that the provider records no block. */
function optionsOf(info: VpcPeeringConnectionVpcInfo | undefined): Array<Record<string, unknown>> {
  const o = info?.PeeringOptions;
  return o ? [{ allow_remote_vpc_dns_resolution: o.AllowDnsResolutionFromRemoteVpc ?? false }] : [];
}

function pickConnection(t: ReadTarget, rows: FamilyRows<VpcPeeringConnection>, ctx: ReadContext, id: string): VpcPeeringConnection | LiveEntry {
  const found = rows.lookup(peeringKey(id));
  if ('failure' in found) return unknownEntry(ctx, found.failure);
  const c = found.items.find((x) => x.VpcPeeringConnectionId === id);
  if (!c || GONE.has(String(c.Status?.Code))) return missingEntry(ctx, t.id, `VPC peering connection ${id} does not exist${c?.Status?.Code ? ` (${c.Status.Code})` : ''}`);
  return c;
}

const isEntry = (x: VpcPeeringConnection | LiveEntry): x is LiveEntry => 'status' in x && typeof x.status === 'string';

function connectionAttributes(c: VpcPeeringConnection): Record<string, unknown> {
  return {
    vpc_id: c.RequesterVpcInfo?.VpcId, peer_vpc_id: c.AccepterVpcInfo?.VpcId, peer_owner_id: c.AccepterVpcInfo?.OwnerId, peer_region: c.AccepterVpcInfo?.Region,
    accept_status: c.Status?.Code, requester: optionsOf(c.RequesterVpcInfo), accepter: optionsOf(c.AccepterVpcInfo), tags: userTags(c.Tags),
  };
}

async function revertOptions(request: RevertRequest, clients: AwsClients): Promise<{ ok: boolean; message: string }> {
  const { attribute, declared, live } = request;
  const id = str(live.attributes.vpc_peering_connection_id) ?? request.id;
  const block = (Array.isArray(declared) ? declared : []).flatMap((b) => (isObject(b) ? [b] : []))[0];
  const allow = bool((block?.allow_remote_vpc_dns_resolution ?? false) as Known) ?? false;
  const side = attribute === 'requester' ? 'RequesterPeeringConnectionOptions' : 'AccepterPeeringConnectionOptions';
  await clients.gate.call('ec2:ModifyVpcPeeringConnectionOptions', () =>
    clients.ec2.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, [side]: { AllowDnsResolutionFromRemoteVpc: allow } })));
  return { ok: true, message: `${attribute} DNS resolution from the remote VPC set to ${String(allow)}` };
}

/** Both sides write back the same way: tags, or the requester/accepter options. */
async function revertConnection(request: RevertRequest, clients: AwsClients): Promise<RevertOutcome> {
  if (request.attribute === 'tags') return revertEc2Tags(clients, request);
  if (request.attribute === 'requester' || request.attribute === 'accepter') return revertOptions(request, clients);
  return cannotRevert(request.attribute);
}

export const awsVpcPeeringConnection: ResourceType = {
  type: 'aws_vpc_peering_connection',
  tags: true,
  taggingType: 'ec2:vpc-peering-connection',
  attributes: [
    { name: 'vpc_id', compare: 'scalar', forceNew: true },
    { name: 'peer_vpc_id', compare: 'scalar', forceNew: true },
    { name: 'peer_owner_id', compare: 'scalar', forceNew: true },
    { name: 'peer_region', compare: 'scalar', forceNew: true },
    ...OPTION_RULES,
  ],
  notCompared: { accept_status: 'computed by AWS', auto_accept: 'a Terraform-side setting (acceptance is not undone)' },
  family: member(peeringsFamily, {
    keys: (t) => [peeringKey(t.id)],
    pick(t, rows, ctx) {
      const c = pickConnection(t, rows, ctx, t.id);
      return isEntry(c) ? c : foundEntry(t, 'aws_vpc_peering_connection', ctx, connectionAttributes(c));
    },
  }),
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:vpc-peering-connection\/(pcx-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  revert: revertConnection,
};

export const awsVpcPeeringConnectionAccepter: ResourceType = {
  type: 'aws_vpc_peering_connection_accepter',
  tags: true,
  attributes: [{ name: 'vpc_peering_connection_id', compare: 'scalar', forceNew: true }, ...OPTION_RULES],
  notCompared: {
    accept_status: 'computed by AWS', auto_accept: 'a Terraform-side setting', vpc_id: 'computed from the connection', peer_vpc_id: 'computed from the connection',
    peer_owner_id: 'computed from the connection', peer_region: 'computed from the connection',
  },
  family: member(peeringsFamily, {
    keys: (t) => [peeringKey(t.id)],
    pick(t, rows, ctx) {
      const c = pickConnection(t, rows, ctx, t.id);
      return isEntry(c) ? c : foundEntry(t, 'aws_vpc_peering_connection_accepter', ctx, { ...connectionAttributes(c), vpc_peering_connection_id: c.VpcPeeringConnectionId });
    },
  }),
  idFromState: (a) => str(a.vpc_peering_connection_id) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  revert: revertConnection,
};
