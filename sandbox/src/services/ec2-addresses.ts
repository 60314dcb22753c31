// EC2 Elastic IPs, NAT gateways and key pairs (query/XML), per the EC2 API reference.
import { createHash } from 'node:crypto';
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { ec2Id } from '../ids';
import type { QueryParams } from '../protocol/query-xml';
import type { Address, KeyPair, NatGateway } from '../world';
import { items, node, type XmlNode } from '../xml';
import { authorizeWrite, filtered, queryKey } from './ec2-calls';
import { paginate, tagFilterValues, tagSet, tagSpecifications, type FilterValues } from './ec2-shapes';

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

export const addressesOf = (ctx: CallContext): Record<string, Address> => (ctx.world.addresses ??= {});
export const natGatewaysOf = (ctx: CallContext): Record<string, NatGateway> => (ctx.world.natGateways ??= {});
export const keyPairsOf = (ctx: CallContext): Record<string, KeyPair> => (ctx.world.keyPairs ??= {});

/** How long a deleted NAT gateway stays visible (state `deleted`), as on EC2. */
const DELETED_VISIBLE_MS = 60 * 60 * 1000;

function address(ctx: CallContext, id: string): Address {
  if (!/^eipalloc-[0-9a-f]{8,17}$/.test(id)) throw new ApiError('InvalidAllocationID.Malformed', `Invalid id: "${id}"`, 400);
  const a = addressesOf(ctx)[id];
  if (!a || a.region !== ctx.region) throw new ApiError('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`, 400);
  return a;
}

function addressXml(ctx: CallContext, a: Address): XmlNode[] {
  return [
    node('publicIp', a.publicIp), node('allocationId', a.allocationId), node('domain', 'vpc'), node('instanceId', a.instanceId),
    node('associationId', a.associationId), node('networkInterfaceId', a.networkInterfaceId), node('networkInterfaceOwnerId', a.networkInterfaceId ? ctx.world.accountId : undefined),
    node('privateIpAddress', a.privateIpAddress), node('publicIpv4Pool', 'amazon'), node('networkBorderGroup', ctx.region), tagSet(a.tags),
  ];
}

/** A public address from the documentation range, derived from the allocation id. */
function publicIpFor(id: string): string {
  const h = createHash('sha256').update(id).digest();
  return `198.51.${h[0]! % 256}.${1 + (h[1]! % 254)}`;
}

function natXml(g: NatGateway): XmlNode[] {
  return [
    node('natGatewayId', g.id), node('subnetId', g.subnetId), node('vpcId', g.vpcId), node('state', g.state), node('connectivityType', g.connectivityType),
    node('createTime', g.createTime), node('deleteTime', g.deleteTime),
    node('natGatewayAddressSet', [node('item', [
      node('allocationId', g.allocationId), node('networkInterfaceId', `eni-${g.id.slice(4)}`), node('privateIp', g.privateIp),
      node('publicIp', g.allocationId ? publicIpFor(g.allocationId) : undefined), node('isPrimary', true), node('status', 'succeeded'),
    ])]),
    tagSet(g.tags),
  ];
}

function keyPairXml(k: KeyPair, withPublicKey: boolean): XmlNode[] {
  return [
    node('keyPairId', k.keyPairId), node('keyName', k.keyName), node('keyFingerprint', k.fingerprint), node('keyType', k.keyType),
    node('createTime', k.createTime), node('publicKey', withPublicKey ? k.publicKey : undefined), tagSet(k.tags),
  ];
}

export const ec2AddressOperations: Record<string, Handler> = {
  AllocateAddress(ctx, p) {
    authorizeWrite(ctx, 'ec2:AllocateAddress', 'elastic-ip', 'AWS::EC2::EIP');
    const id = ec2Id('eipalloc');
    const a: Address = { allocationId: id, region: ctx.region, publicIp: publicIpFor(id), tags: tagSpecifications(p, 'elastic-ip') };
    addressesOf(ctx)[id] = a;
    ctx.trail.resources.push({ type: 'AWS::EC2::EIP', name: id });
    ctx.trail.responseElements = { allocationId: id, publicIp: a.publicIp };
    return [node('publicIp', a.publicIp), node('domain', 'vpc'), node('allocationId', id), node('publicIpv4Pool', 'amazon'), node('networkBorderGroup', ctx.region)];
  },
  DescribeAddresses(ctx, p) {
    ctx.authorize('ec2:DescribeAddresses', '*');
    const ids = p.list('AllocationId');
    const base = ids.length ? ids.map((id) => address(ctx, id)) : Object.values(addressesOf(ctx)).filter((a) => a.region === ctx.region);
    const values: FilterValues<Address> = (a, name) => {
      switch (name) {
        case 'allocation-id': return [a.allocationId];
        case 'association-id': return a.associationId ? [a.associationId] : [];
        case 'instance-id': return a.instanceId ? [a.instanceId] : [];
        case 'network-interface-id': return a.networkInterfaceId ? [a.networkInterfaceId] : [];
        case 'public-ip': return [a.publicIp];
        case 'private-ip-address': return a.privateIpAddress ? [a.privateIpAddress] : [];
        case 'domain': return ['vpc'];
        default: return tagFilterValues(a.tags, name);
      }
    };
    return [node('addressesSet', items('item', filtered(base, p, values), (a) => addressXml(ctx, a)))];
  },
  AssociateAddress(ctx, p) {
    const id = p.required('AllocationId');
    authorizeWrite(ctx, 'ec2:AssociateAddress', 'elastic-ip', 'AWS::EC2::EIP', id);
    const a = address(ctx, id);
    const instanceId = p.get('InstanceId');
    const eni = p.get('NetworkInterfaceId');
    if ((instanceId === undefined) === (eni === undefined)) throw new ApiError('InvalidParameterCombination', 'Exactly one of InstanceId and NetworkInterfaceId must be specified.', 400);
    const instance = instanceId ? ctx.world.instances[instanceId] : Object.values(ctx.world.instances).find((i) => i.networkInterfaceId === eni);
    if (instanceId && (!instance || instance.region !== ctx.region || instance.state === 'terminated')) throw new ApiError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`, 400);
    if (a.associationId && p.bool('AllowReassociation') !== true) throw new ApiError('Resource.AlreadyAssociated', `resource ${id} is already associated with associate-id ${a.associationId}`, 400);
    a.associationId = ec2Id('eipassoc');
    a.instanceId = instance?.id;
    a.networkInterfaceId = eni ?? instance?.networkInterfaceId;
    a.privateIpAddress = p.get('PrivateIpAddress') ?? instance?.privateIpAddress;
    ctx.trail.responseElements = { associationId: a.associationId };
    return [node('return', true), node('associationId', a.associationId)];
  },
  DisassociateAddress(ctx, p) {
    const assoc = p.required('AssociationId');
    const a = Object.values(addressesOf(ctx)).find((x) => x.associationId === assoc && x.region === ctx.region);
    authorizeWrite(ctx, 'ec2:DisassociateAddress', 'elastic-ip', 'AWS::EC2::EIP', a?.allocationId);
    if (!a) throw new ApiError('InvalidAssociationID.NotFound', `The association ID '${assoc}' does not exist`, 400);
    a.associationId = a.instanceId = a.networkInterfaceId = a.privateIpAddress = undefined;
    return [node('return', true)];
  },
  ReleaseAddress(ctx, p) {
    const id = p.required('AllocationId');
    authorizeWrite(ctx, 'ec2:ReleaseAddress', 'elastic-ip', 'AWS::EC2::EIP', id);
    const a = address(ctx, id);
    if (a.associationId) throw new ApiError('InvalidIPAddress.InUse', `Address ${a.publicIp} is in use.`, 400);
    if (Object.values(natGatewaysOf(ctx)).some((g) => g.allocationId === id && g.state !== 'deleted')) throw new ApiError('InvalidIPAddress.InUse', `Address ${a.publicIp} is in use.`, 400);
    delete addressesOf(ctx)[id];
    return [node('return', true)];
  },
  CreateNatGateway(ctx, p) {
    const subnetId = p.required('SubnetId');
    authorizeWrite(ctx, 'ec2:CreateNatGateway', 'natgateway', 'AWS::EC2::NatGateway');
    const subnet = ctx.world.subnets[subnetId];
    if (!subnet || subnet.region !== ctx.region) throw new ApiError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`, 400);
    const connectivityType = (p.get('ConnectivityType') ?? 'public') as 'public' | 'private';
    const allocationId = p.get('AllocationId');
    if (connectivityType === 'public' && !allocationId) throw new ApiError('MissingParameter', 'The request must contain the parameter AllocationId', 400);
    if (allocationId) address(ctx, allocationId);
    const id = ec2Id('nat');
    const g: NatGateway = {
      id, region: ctx.region, subnetId, vpcId: subnet.vpcId, connectivityType, allocationId, state: 'available', createTime: ctx.now.toISOString(),
      privateIp: p.get('PrivateIpAddress') ?? subnet.cidrBlock.replace(/\.\d+\/\d+$/, '.100'), tags: tagSpecifications(p, 'natgateway'),
    };
    natGatewaysOf(ctx)[id] = g;
    ctx.trail.resources.push({ type: 'AWS::EC2::NatGateway', name: id });
    ctx.trail.responseElements = { natGatewayId: id };
    return [node('natGateway', natXml(g))];
  },
  DescribeNatGateways(ctx, p) {
    ctx.authorize('ec2:DescribeNatGateways', '*');
    const now = ctx.now.getTime();
    const all = Object.values(natGatewaysOf(ctx)).filter((g) => g.region === ctx.region && !(g.deleteTime && now - Date.parse(g.deleteTime) > DELETED_VISIBLE_MS));
    const ids = p.list('NatGatewayId');
    const base = ids.length ? all.filter((g) => ids.includes(g.id)) : all;
    if (ids.length && base.length < ids.length) throw new ApiError('NatGatewayNotFound', `The Nat Gateway ${ids.find((i) => !base.some((g) => g.id === i))} was not found`, 400);
    const values: FilterValues<NatGateway> = (g, name) => {
      switch (name) {
        case 'nat-gateway-id': return [g.id];
        case 'subnet-id': return [g.subnetId];
        case 'vpc-id': return [g.vpcId];
        case 'state': return [g.state];
        default: return tagFilterValues(g.tags, name);
      }
    };
    const { page, nextToken } = paginate(filtered(base, p, values), p, queryKey(p), { min: 5, max: 1000 });
    return [node('natGatewaySet', items('item', page, natXml)), node('nextToken', nextToken)];
  },
  DeleteNatGateway(ctx, p) {
    const id = p.required('NatGatewayId');
    authorizeWrite(ctx, 'ec2:DeleteNatGateway', 'natgateway', 'AWS::EC2::NatGateway', id);
    const g = natGatewaysOf(ctx)[id];
    if (!g || g.region !== ctx.region || g.state === 'deleted') throw new ApiError('NatGatewayNotFound', `The Nat Gateway ${id} was not found`, 400);
    g.state = 'deleted';
    g.deleteTime = ctx.now.toISOString();
    return [node('natGatewayId', id)];
  },
  ImportKeyPair(ctx, p) {
    const name = p.required('KeyName');
    authorizeWrite(ctx, 'ec2:ImportKeyPair', 'key-pair', 'AWS::EC2::KeyPair');
    const material = Buffer.from(p.required('PublicKeyMaterial'), 'base64').toString('utf8').trim();
    if (!/^(ssh-rsa|ssh-ed25519) [A-Za-z0-9+/=]+/.test(material)) throw new ApiError('InvalidKey.Format', 'Key is not in valid OpenSSH public key format', 400);
    if (Object.values(keyPairsOf(ctx)).some((k) => k.keyName === name && k.region === ctx.region)) throw new ApiError('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`, 400);
    const digest = createHash('md5').update(Buffer.from(material.split(' ')[1]!, 'base64')).digest('hex');
    const k: KeyPair = {
      keyPairId: ec2Id('key'), region: ctx.region, keyName: name, publicKey: material, keyType: material.startsWith('ssh-ed25519') ? 'ed25519' : 'rsa',
      fingerprint: digest.match(/../g)!.join(':'), createTime: ctx.now.toISOString(), tags: tagSpecifications(p, 'key-pair'),
    };
    keyPairsOf(ctx)[k.keyPairId] = k;
    ctx.trail.resources.push({ type: 'AWS::EC2::KeyPair', name: k.keyPairId });
    return [node('keyFingerprint', k.fingerprint), node('keyName', k.keyName), node('keyPairId', k.keyPairId), tagSet(k.tags)];
  },
  DescribeKeyPairs(ctx, p) {
    ctx.authorize('ec2:DescribeKeyPairs', '*');
    const all = Object.values(keyPairsOf(ctx)).filter((k) => k.region === ctx.region);
    const names = p.list('KeyName');
    const ids = p.list('KeyPairId');
    for (const n of names) if (!all.some((k) => k.keyName === n)) throw new ApiError('InvalidKeyPair.NotFound', `The key pair '${n}' does not exist`, 400);
    for (const i of ids) if (!all.some((k) => k.keyPairId === i)) throw new ApiError('InvalidKeyPair.NotFound', `The key pair '${i}' does not exist`, 400);
    const base = all.filter((k) => (!names.length || names.includes(k.keyName)) && (!ids.length || ids.includes(k.keyPairId)));
    const values: FilterValues<KeyPair> = (k, name) => {
      switch (name) {
        case 'key-name': return [k.keyName];
        case 'key-pair-id': return [k.keyPairId];
        case 'fingerprint': return [k.fingerprint];
        default: return tagFilterValues(k.tags, name);
      }
    };
    const withPublicKey = p.bool('IncludePublicKey') === true;
    return [node('keySet', items('item', filtered(base, p, values), (k) => keyPairXml(k, withPublicKey)))];
  },
  DeleteKeyPair(ctx, p) {
    const name = p.get('KeyName');
    const id = p.get('KeyPairId');
    const k = Object.values(keyPairsOf(ctx)).find((x) => x.region === ctx.region && (x.keyName === name || x.keyPairId === id));
    authorizeWrite(ctx, 'ec2:DeleteKeyPair', 'key-pair', 'AWS::EC2::KeyPair', k?.keyPairId);
    // AWS answers success for a name that does not exist.
    if (k) delete keyPairsOf(ctx)[k.keyPairId];
    return [node('return', true), node('keyPairId', k?.keyPairId)];
  },
};
