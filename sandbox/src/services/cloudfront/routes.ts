// CloudFront's REST-XML routes (method and path under /2020-05-31 → operation) and the tagging
// operations shared by distributions and functions (`/tagging?Resource=<arn>`).
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { child, childrenNamed } from '../../xml';
import { CLOUDFRONT_VERSION, authorized, checkTagCount, parsedTags, requestBody, tagsXml, xmlResult, type CloudFrontRequest, type CloudFrontResult, type Tagged } from './common';
import { distributionOperations } from './distributions';
import { functionOperations } from './functions';
import { originAccessControlOperations } from './origin-access-controls';
import { cloudFrontOf } from './world';

type Handler = (ctx: CallContext, req: CloudFrontRequest) => CloudFrontResult;

const ROUTES: Array<[RegExp, Record<string, string>]> = [
  [/^\/distribution$/, { POST: 'CreateDistribution', GET: 'ListDistributions' }],
  [/^\/distribution\/[^/]+$/, { GET: 'GetDistribution', DELETE: 'DeleteDistribution' }],
  [/^\/distribution\/[^/]+\/config$/, { GET: 'GetDistributionConfig', PUT: 'UpdateDistribution' }],
  [/^\/origin-access-control$/, { POST: 'CreateOriginAccessControl', GET: 'ListOriginAccessControls' }],
  [/^\/origin-access-control\/[^/]+$/, { GET: 'GetOriginAccessControl', DELETE: 'DeleteOriginAccessControl' }],
  [/^\/origin-access-control\/[^/]+\/config$/, { GET: 'GetOriginAccessControlConfig', PUT: 'UpdateOriginAccessControl' }],
  [/^\/function$/, { POST: 'CreateFunction', GET: 'ListFunctions' }],
  [/^\/function\/[^/]+$/, { GET: 'GetFunction', PUT: 'UpdateFunction', DELETE: 'DeleteFunction' }],
  [/^\/function\/[^/]+\/describe$/, { GET: 'DescribeFunction' }],
  [/^\/function\/[^/]+\/publish$/, { POST: 'PublishFunction' }],
  [/^\/tagging$/, { GET: 'ListTagsForResource' }],
];

/** The operation a request names, and its path after the API version. */
export function cloudFrontOperation(method: string, rawPath: string, query: Map<string, string>): { operation: string; path: string } {
  const prefix = `/${CLOUDFRONT_VERSION}`;
  const path = rawPath.startsWith(prefix) ? rawPath.slice(prefix.length).replace(/\/+$/, '') : rawPath;
  const m = method.toUpperCase();
  if (path === '/distribution' && m === 'POST' && query.has('WithTags')) return { operation: 'CreateDistributionWithTags', path };
  if (path === '/tagging' && m === 'POST') {
    const op = query.get('Operation');
    return { operation: op === 'Tag' ? 'TagResource' : op === 'Untag' ? 'UntagResource' : 'UnknownOperation', path };
  }
  for (const [re, byMethod] of ROUTES) if (re.test(path)) return { operation: byMethod[m] ?? 'UnknownOperation', path };
  return { operation: 'UnknownOperation', path };
}

/** The taggable object an ARN names (distributions and functions), authorized for `action`. */
function taggedFor(ctx: CallContext, req: CloudFrontRequest, action: string): Tagged {
  const arn = req.query.get('Resource') ?? '';
  const m = /^arn:aws:cloudfront::(\d{12}):(distribution|function)\/([^/]+)$/.exec(arn);
  if (!m) throw new ApiError('InvalidArgument', `The resource ${arn || '(none)'} is not a CloudFront distribution or function ARN.`, 400);
  authorized(ctx, action, arn, m[2] === 'distribution' ? 'AWS::CloudFront::Distribution' : 'AWS::CloudFront::Function', m[3]!);
  const state = cloudFrontOf(ctx);
  const found = m[1] === ctx.world.accountId ? (m[2] === 'distribution' ? state.distributions[m[3]!] : state.functions[m[3]!]) : undefined;
  if (!found) throw new ApiError('NoSuchResource', 'The specified CloudFront resource does not exist.', 404);
  return found;
}

const taggingOperations: Record<string, Handler> = {
  ListTagsForResource(ctx, req) {
    return xmlResult(tagsXml(taggedFor(ctx, req, 'ListTagsForResource').tags));
  },
  TagResource(ctx, req) {
    const target = taggedFor(ctx, req, 'TagResource');
    target.tags = checkTagCount({ ...target.tags, ...parsedTags(requestBody(req, 'Tags')) });
    return { status: 204 };
  },
  UntagResource(ctx, req) {
    const target = taggedFor(ctx, req, 'UntagResource');
    const root = requestBody(req, 'TagKeys');
    const keys = childrenNamed(child(root, 'Items') ?? root, 'Key').map((k) => k.text);
    target.tags = Object.fromEntries(Object.entries(target.tags).filter(([k]) => !keys.includes(k)));
    return { status: 204 };
  },
};

export const cloudFrontOperations: Record<string, Handler> = {
  ...distributionOperations, ...originAccessControlOperations, ...functionOperations, ...taggingOperations,
};

/** What CloudTrail records as a CloudFront call's requestParameters: the object the path or query names. */
export function cloudFrontTrailParameters(path: string, query: Map<string, string>): Record<string, unknown> {
  const [, kind, id] = path.split('/').map((p) => decodeURIComponent(p));
  if (kind === 'tagging') return { resource: query.get('Resource') ?? null };
  if (!id) return {};
  return kind === 'function' ? { name: id } : { id };
}
