// aws_cloudfront_origin_access_control ↔ one ListOriginAccessControls listing (100 a page) for
// every declared one: its summaries carry every argument. The provider defaults description to
// "Managed by Terraform". Revert reads the object with its ETag (GetOriginAccessControl) and writes
// the whole config back with the drifted argument set (UpdateOriginAccessControl under If-Match),
// as the provider's update does. Origin access controls carry no tags.
import {
  GetOriginAccessControlCommand, ListOriginAccessControlsCommand, OriginAccessControlConfig, OriginAccessControlSummary, UpdateOriginAccessControlCommand,
} from '@aws-sdk/client-cloudfront';
import type { LiveEntry } from '../../drift/snapshot';
import { failureText, foundEntry, missingEntry, str } from './common';
import type { ReadContext, ResourceType } from './resource-type';

const TYPE = 'aws_cloudfront_origin_access_control';
const DEFAULT_DESCRIPTION = 'Managed by Terraform';

/** Terraform argument → the config field it sets. */
const FIELDS: Record<string, keyof OriginAccessControlConfig> = {
  name: 'Name', description: 'Description', origin_access_control_origin_type: 'OriginAccessControlOriginType', signing_behavior: 'SigningBehavior', signing_protocol: 'SigningProtocol',
};

async function allControls(ctx: ReadContext): Promise<Map<string, OriginAccessControlSummary>> {
  const byId = new Map<string, OriginAccessControlSummary>();
  let Marker: string | undefined;
  do {
    const out = await ctx.clients.gate.call('cloudfront:ListOriginAccessControls', () => ctx.clients.cloudfront.send(new ListOriginAccessControlsCommand({ MaxItems: 100, Marker })));
    for (const o of out.OriginAccessControlList?.Items ?? []) if (o.Id) byId.set(o.Id, o);
    Marker = out.OriginAccessControlList?.IsTruncated ? out.OriginAccessControlList.NextMarker : undefined;
  } while (Marker);
  return byId;
}

export const awsCloudfrontOriginAccessControl: ResourceType = {
  type: TYPE,
  tags: false,
  attributes: [
    { name: 'name', compare: 'scalar' },
    { name: 'description', compare: 'scalar', default: DEFAULT_DESCRIPTION },
    { name: 'origin_access_control_origin_type', compare: 'scalar' },
    { name: 'signing_behavior', compare: 'scalar', severity: 'error' },
    { name: 'signing_protocol', compare: 'scalar' },
  ],
  notCompared: { id: 'computed by AWS', arn: 'computed by AWS', etag: 'the config version: it changes with every update' },
  idFromState: (a) => str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => String(live.attributes.name ?? live.id).replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'origin_access_control',

  async read(targets, ctx) {
    const result = new Map<string, LiveEntry>();
    let listed: Map<string, OriginAccessControlSummary>;
    try {
      listed = await allControls(ctx);
    } catch (error) {
      const reason = failureText(error);
      for (const t of targets) result.set(t.address, { status: 'unknown', reason, readAt: ctx.now });
      return result;
    }
    for (const t of targets) {
      const o = listed.get(t.id);
      result.set(t.address, o
        ? foundEntry(t, TYPE, ctx, {
          name: o.Name ?? '', description: o.Description ?? '', origin_access_control_origin_type: o.OriginAccessControlOriginType ?? '',
          signing_behavior: o.SigningBehavior ?? '', signing_protocol: o.SigningProtocol ?? '',
        })
        : missingEntry(ctx, t.id, `origin access control ${t.id} does not exist`));
    }
    return result;
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const field = FIELDS[attribute];
    if (!field) return { ok: false, message: `${attribute} cannot be written back: Tidemark does not write it` };
    const cf = clients.cloudfront;
    const current = await clients.gate.call('cloudfront:GetOriginAccessControl', () => cf.send(new GetOriginAccessControlCommand({ Id: id })));
    const config = current.OriginAccessControl?.OriginAccessControlConfig;
    if (!config || !current.ETag) return { ok: false, message: `origin access control ${id} returned no config to update` };
    const value = typeof declared === 'string' ? declared : attribute === 'description' ? DEFAULT_DESCRIPTION : undefined;
    if (value === undefined) return { ok: false, message: `the declared ${attribute} is not a string` };
    const next = { ...config, [field]: value } as OriginAccessControlConfig;
    await clients.gate.call('cloudfront:UpdateOriginAccessControl', () => cf.send(new UpdateOriginAccessControlCommand({ Id: id, IfMatch: current.ETag, OriginAccessControlConfig: next })));
    return { ok: true, message: `${attribute} of origin access control ${id} restored` };
  },
};
