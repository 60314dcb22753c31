// What the Cedar policy may know about a request's scope: counts, types, services and the kinds of
// change that deserve more scrutiny (IAM, KMS, security groups, network paths). Pure.
import type { GrantScope } from '../model';
import { scopeServices } from './scope';

export interface ScopeFacts {
  /** False when the request names no resources: the credentials can do whatever the role can. */
  present: boolean;
  resources: number;
  types: string[];
  services: string[];
  touchesIam: boolean;
  touchesKms: boolean;
  touchesSecurityGroups: boolean;
  /** Routes, network ACLs, subnets, VPCs, gateways: what decides which packets get where. */
  touchesNetworkPaths: boolean;
  /** Every resource is changed in its tags only (and there is at least one). */
  tagsOnly: boolean;
  /** none | addresses | diff | plan | mixed */
  source: string;
}

const SECURITY_GROUP_TYPES = /^aws_(default_)?security_group(_rule)?$|^aws_vpc_security_group_(ingress|egress)_rule$/;
const NETWORK_PATH_TYPES = /^aws_(default_)?(route_table|network_acl)$|^aws_(route|route_table_association|network_acl_rule|network_acl_association|subnet|vpc|internet_gateway|nat_gateway|eip|vpc_peering_connection)$/;

export function scopeFacts(scope: readonly GrantScope[] | undefined): ScopeFacts {
  const list = scope ?? [];
  const types = [...new Set(list.map((r) => r.type))].sort();
  const sources = new Set(list.map((r) => r.origin?.kind ?? 'address'));
  return {
    present: list.length > 0,
    resources: list.length,
    types,
    services: scopeServices(list),
    touchesIam: types.some((t) => t.startsWith('aws_iam_')),
    touchesKms: types.some((t) => t.startsWith('aws_kms_')),
    touchesSecurityGroups: types.some((t) => SECURITY_GROUP_TYPES.test(t)),
    touchesNetworkPaths: types.some((t) => NETWORK_PATH_TYPES.test(t)),
    tagsOnly: list.length > 0 && list.every((r) => r.tagsOnly === true),
    source: !list.length ? 'none' : sources.size > 1 ? 'mixed' : sources.has('address') ? 'addresses' : [...sources][0]!,
  };
}
