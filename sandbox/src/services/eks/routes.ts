// EKS's REST-JSON route table: method + path template → operation, as the service model's http
// traits declare them (every success is 200). CloudTrail records EKS calls under their operation
// names, with the path labels and the (camelCase) body as requestParameters.
import type { CallContext } from '../../context';
import { RestJsonRouter, type RestJsonRoute } from '../../protocol/rest-json';
import { accessEntryHandlers as e } from './access-entries';
import { addonHandlers as a } from './addons';
import { clusterHandlers as c } from './clusters';
import { nodegroupHandlers as n } from './nodegroups';
import { tagHandlers as t } from './tags';

const route = (method: string, path: string, operation: string, handler: RestJsonRoute<CallContext>['handler']): RestJsonRoute<CallContext> =>
  ({ method, path, operation, status: 200, handler });

const CLUSTER = '/clusters/{clusterName}';

export const EKS_ROUTES: readonly RestJsonRoute<CallContext>[] = [
  route('POST', '/clusters', 'CreateCluster', c.createCluster),
  route('GET', '/clusters', 'ListClusters', c.listClusters),
  route('GET', '/clusters/{name}', 'DescribeCluster', c.describeCluster),
  route('DELETE', '/clusters/{name}', 'DeleteCluster', c.deleteCluster),
  route('POST', '/clusters/{name}/update-config', 'UpdateClusterConfig', c.updateClusterConfig),
  route('POST', '/clusters/{name}/updates', 'UpdateClusterVersion', c.updateClusterVersion),
  route('POST', `${CLUSTER}/node-groups`, 'CreateNodegroup', n.createNodegroup),
  route('GET', `${CLUSTER}/node-groups`, 'ListNodegroups', n.listNodegroups),
  route('GET', `${CLUSTER}/node-groups/{nodegroupName}`, 'DescribeNodegroup', n.describeNodegroup),
  route('DELETE', `${CLUSTER}/node-groups/{nodegroupName}`, 'DeleteNodegroup', n.deleteNodegroup),
  route('POST', `${CLUSTER}/node-groups/{nodegroupName}/update-config`, 'UpdateNodegroupConfig', n.updateNodegroupConfig),
  route('POST', `${CLUSTER}/node-groups/{nodegroupName}/update-version`, 'UpdateNodegroupVersion', n.updateNodegroupVersion),
  route('POST', `${CLUSTER}/addons`, 'CreateAddon', a.createAddon),
  route('GET', `${CLUSTER}/addons`, 'ListAddons', a.listAddons),
  route('GET', `${CLUSTER}/addons/{addonName}`, 'DescribeAddon', a.describeAddon),
  route('DELETE', `${CLUSTER}/addons/{addonName}`, 'DeleteAddon', a.deleteAddon),
  route('POST', `${CLUSTER}/addons/{addonName}/update`, 'UpdateAddon', a.updateAddon),
  route('POST', `${CLUSTER}/access-entries`, 'CreateAccessEntry', e.createAccessEntry),
  route('GET', `${CLUSTER}/access-entries`, 'ListAccessEntries', e.listAccessEntries),
  route('GET', `${CLUSTER}/access-entries/{principalArn}`, 'DescribeAccessEntry', e.describeAccessEntry),
  route('POST', `${CLUSTER}/access-entries/{principalArn}`, 'UpdateAccessEntry', e.updateAccessEntry),
  route('DELETE', `${CLUSTER}/access-entries/{principalArn}`, 'DeleteAccessEntry', e.deleteAccessEntry),
  route('POST', '/tags/{resourceArn}', 'TagResource', t.tagResource),
  route('DELETE', '/tags/{resourceArn}', 'UntagResource', t.untagResource),
  route('GET', '/tags/{resourceArn}', 'ListTagsForResource', t.listTagsForResource),
];

export const eksRouter = new RestJsonRouter<CallContext>(EKS_ROUTES);

/** requestParameters as CloudTrail records an EKS call: the path labels, query and body as sent. */
export function eksTrailParameters(path: Record<string, string>, query: [string, string][], input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...path };
  for (const [k, v] of query) out[k] = v;
  return { ...out, ...input };
}
