// aws_s3_bucket_website_configuration ↔ GetBucketWebsite / PutBucketWebsite. The index and error
// documents and the redirect-all target are compared; routing rules are carried along unchanged
// by the writer but not compared (their JSON form in state is not certain).
import { GetBucketWebsiteCommand, PutBucketWebsiteCommand, RoutingRule } from '@aws-sdk/client-s3';
import { isObject, Known } from '../../drift/values';
import { cannotRevert, str } from './common';
import type { ResourceType } from './resource-type';
import { bucketOf, readBucketConfig } from './s3-common';

const first = (v: Known | undefined): Record<string, Known> | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  return isObject(x) ? (x as Record<string, Known>) : undefined;
};

/** One block (or none) with only the keys that mean something; absent optional keys are empty. */
function block(keys: string[]) {
  return (v: Known): Known => {
    const b = first(v);
    return b ? [Object.fromEntries(keys.map((k) => [k, typeof b[k] === 'string' ? b[k] : '']))] : [];
  };
}

export const awsS3BucketWebsiteConfiguration: ResourceType = {
  type: 'aws_s3_bucket_website_configuration',
  tags: false,
  attributes: [
    { name: 'bucket', compare: 'scalar', forceNew: true },
    { name: 'index_document', compare: 'blocks', normalize: block(['suffix']), default: [] },
    { name: 'error_document', compare: 'blocks', normalize: block(['key']), default: [] },
    { name: 'redirect_all_requests_to', compare: 'blocks', normalize: block(['host_name', 'protocol']), default: [], severity: 'error' },
  ],
  notCompared: {
    routing_rule: 'routing rules are not compared yet', routing_rules: 'the JSON form the provider stores is not certain',
    expected_bucket_owner: 'a guard of the API calls, not a property of the configuration',
  },
  idFromState: (a) => bucketOf(a),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readBucketConfig('aws_s3_bucket_website_configuration', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetBucketWebsite', () => ctx.clients.s3.send(new GetBucketWebsiteCommand({ Bucket: bucket })));
      return {
        index_document: out.IndexDocument?.Suffix ? [{ suffix: out.IndexDocument.Suffix }] : [],
        error_document: out.ErrorDocument?.Key ? [{ key: out.ErrorDocument.Key }] : [],
        redirect_all_requests_to: out.RedirectAllRequestsTo?.HostName ? [{ host_name: out.RedirectAllRequestsTo.HostName, protocol: out.RedirectAllRequestsTo.Protocol ?? '' }] : [],
        routing_rules: out.RoutingRules?.length ? JSON.stringify(out.RoutingRules) : '',
      };
    }, 'NoSuchWebsiteConfiguration', 'has no website configuration');
  },

  async revert(request, clients) {
    const { attribute, declared, live } = request;
    if (!['index_document', 'error_document', 'redirect_all_requests_to'].includes(attribute)) return cannotRevert(attribute);
    const merged: Record<string, unknown> = { ...live.attributes, [attribute]: declared };
    const index = first(merged.index_document as Known);
    const error = first(merged.error_document as Known);
    const redirect = first(merged.redirect_all_requests_to as Known);
    const rulesText = str(live.attributes.routing_rules);
    const RoutingRules = rulesText ? (JSON.parse(rulesText) as RoutingRule[]) : undefined;
    const bucket = str(live.attributes.bucket) ?? request.id;
    await clients.gate.call('s3:PutBucketWebsite', () => clients.s3.send(new PutBucketWebsiteCommand({
      Bucket: bucket,
      WebsiteConfiguration: redirect
        ? { RedirectAllRequestsTo: { HostName: String(redirect.host_name), ...(str(redirect.protocol) ? { Protocol: String(redirect.protocol) as 'http' | 'https' } : {}) } }
        : {
          ...(index ? { IndexDocument: { Suffix: String(index.suffix) } } : {}),
          ...(error && str(error.key) ? { ErrorDocument: { Key: String(error.key) } } : {}),
          ...(RoutingRules ? { RoutingRules } : {}),
        },
    })));
    return { ok: true, message: `${attribute} restored` };
  },
};
