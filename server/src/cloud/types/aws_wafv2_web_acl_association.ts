// aws_wafv2_web_acl_association ↔ WAFv2 ListResourcesForWebACL: one call per declared web ACL and
// resource type lists every resource it protects, so many associations of one ACL cost one call.
// Only a declared resource missing from its ACL's list costs a GetWebACLForResource, which tells an
// association moved to another ACL (drift on web_acl_arn) from none at all (missing). Both
// arguments force a new association in the provider, so nothing is written back in place.
import { GetWebACLForResourceCommand, ListResourcesForWebACLCommand, ResourceType as WafResourceType } from '@aws-sdk/client-wafv2';
import type { LiveEntry } from '../../drift/snapshot';
import { AwsCallError, describeError } from '../errors';
import { failureText, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ReadTarget, ResourceType } from './resource-type';

/** The WAFv2 resource type of a protected resource's ARN (ListResourcesForWebACL lists one type per call). */
export function wafResourceType(arn: string): WafResourceType | undefined {
  const service = arn.split(':')[2];
  if (service === 'elasticloadbalancing' && /:loadbalancer\/app\//.test(arn)) return 'APPLICATION_LOAD_BALANCER';
  if (service === 'apigateway') return 'API_GATEWAY';
  if (service === 'appsync') return 'APPSYNC';
  if (service === 'cognito-idp') return 'COGNITO_USER_POOL';
  if (service === 'apprunner') return 'APP_RUNNER_SERVICE';
  if (service === 'ec2' && /:verified-access-instance\//.test(arn)) return 'VERIFIED_ACCESS_INSTANCE';
  if (service === 'amplify') return 'AMPLIFY';
  return undefined;
}

function pair(a: Record<string, unknown>): { acl?: string; resource?: string } {
  const [idAcl, idResource] = (str(a.id) ?? '').split(',');
  return { acl: str(a.web_acl_arn) ?? str(idAcl), resource: str(a.resource_arn) ?? str(idResource) };
}

function isNotFound(error: unknown): boolean {
  const f = error instanceof AwsCallError ? error.failure : describeError(error);
  return f.code === 'WAFNonexistentItemException';
}

export const awsWafv2WebAclAssociation: ResourceType = {
  type: 'aws_wafv2_web_acl_association',
  tags: false,
  attributes: [
    { name: 'web_acl_arn', compare: 'scalar', forceNew: true, severity: 'error' },
    { name: 'resource_arn', compare: 'scalar', forceNew: true },
  ],
  revertUnsupported: 'both arguments force a new association: run terraform apply',
  idFromState: (a) => {
    const { acl, resource } = pair(a);
    return acl && resource ? `${acl},${resource}` : undefined;
  },
  importId: (live) => `${String(live.attributes.web_acl_arn ?? '')},${String(live.attributes.resource_arn ?? '')}`,
  suggestName: () => 'association',

  async read(targets, ctx) {
    const out = new Map<string, LiveEntry>();
    // One listing per (web ACL, resource type); associations are regional (CloudFront's live in the distribution).
    const groups = new Map<string, { acl: string; type: WafResourceType; targets: Array<ReadTarget & { resource: string }> }>();
    for (const t of targets) {
      const { acl, resource } = pair(t.state.attributes);
      const type = resource ? wafResourceType(resource) : undefined;
      if (!acl || !resource || !type) {
        out.set(t.address, unknownEntry(ctx, `cannot tell which WAFv2 resource type ${resource ?? '(no resource_arn)'} is`));
        continue;
      }
      const key = `${acl} ${type}`;
      const g = groups.get(key) ?? { acl, type, targets: [] };
      g.targets.push({ ...t, resource });
      groups.set(key, g);
    }
    const gate = ctx.clients.gate;
    const waf = ctx.clients.wafv2;
    await Promise.all([...groups.values()].map(async (g) => {
      let listed: Set<string> | undefined;
      try {
        const page = await gate.call('wafv2:ListResourcesForWebACL', () => waf.send(new ListResourcesForWebACLCommand({ WebACLArn: g.acl, ResourceType: g.type })));
        listed = new Set(page.ResourceArns ?? []);
      } catch (error) {
        // A gone ACL protects nothing: each resource is then asked what protects it.
        if (!isNotFound(error)) {
          for (const t of g.targets) out.set(t.address, unknownEntry(ctx, failureText(error)));
          return;
        }
      }
      await Promise.all(g.targets.map(async (t) => {
        if (listed?.has(t.resource)) {
          out.set(t.address, foundEntry(t, 'aws_wafv2_web_acl_association', ctx, { web_acl_arn: g.acl, resource_arn: t.resource }));
          return;
        }
        try {
          const other = await gate.call('wafv2:GetWebACLForResource', () => waf.send(new GetWebACLForResourceCommand({ ResourceArn: t.resource })));
          const arn = other.WebACL?.ARN;
          out.set(t.address, arn
            ? foundEntry(t, 'aws_wafv2_web_acl_association', ctx, { web_acl_arn: arn, resource_arn: t.resource })
            : missingEntry(ctx, t.id, `no web ACL protects ${t.resource}`));
        } catch (error) {
          out.set(t.address, isNotFound(error) ? missingEntry(ctx, t.id, `${t.resource} does not exist`) : unknownEntry(ctx, failureText(error)));
        }
      }));
    }));
    return out;
  },

  async revert(request) {
    return { ok: false, message: `${request.attribute} cannot be written back in place: changing it forces a new association; run terraform apply instead` };
  },
};
