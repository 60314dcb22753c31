// A gateway's single VPC attachment written back (internet and VPN gateways): detach from the live
// VPC, then attach to the declared one (none when the declaration is empty).
import type { AwsClients } from '../clients';
import { cannotRevert, revertEc2Tags, str } from './common';
import type { RevertOutcome, RevertRequest } from './resource-type';

export interface GatewayAttachCalls {
  /** What the messages call the gateway, e.g. "internet gateway". */
  noun: string;
  detach(clients: AwsClients, gatewayId: string, vpcId: string): Promise<unknown>;
  attach(clients: AwsClients, gatewayId: string, vpcId: string): Promise<unknown>;
}

/** The revert of a gateway type whose only writable attributes are `tags` and `vpc_id`. */
export function revertGatewayVpc(calls: GatewayAttachCalls) {
  return async (request: RevertRequest, clients: AwsClients): Promise<RevertOutcome> => {
    const { attribute, declared, live, id } = request;
    if (attribute === 'tags') return revertEc2Tags(clients, request);
    if (attribute !== 'vpc_id') return cannotRevert(attribute);
    const now = str(live.attributes.vpc_id);
    if (now) await calls.detach(clients, id, now);
    if (typeof declared === 'string' && declared) await calls.attach(clients, id, declared);
    return { ok: true, message: `${calls.noun} ${id} attached to ${String(declared || 'nothing')} again` };
  };
}
