// CloudFront Functions: a DEVELOPMENT stage that create and update write (code, comment, runtime,
// key value store associations) and a LIVE stage that PublishFunction copies it to. Each stage has
// its own ETag; updates, publishes and deletes name the DEVELOPMENT stage's ETag (If-Match).
// GetFunction answers the code itself; UpdateFunction answers its new ETag in the `ETtag` header,
// as CloudFront's API does.
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import type { Tags } from '../../world';
import { child, childText, node, type XmlElement, type XmlNode } from '../../xml';
import {
  authorized, checkIfMatch, checkTagCount, checkedItems, invalidArgument, newEtag, parsedTags, requestBody, segment, xmlResult, type CloudFrontRequest, type CloudFrontResult,
} from './common';
import { cloudFrontOf } from './world';

export interface CfFunctionStage {
  comment: string;
  runtime: string;
  keyValueStores: string[];
  /** The code, base64 (the world is saved as JSON). */
  code: string;
  etag: string;
  lastModified: string;
}

export interface CfFunction {
  name: string;
  arn: string;
  createdAt: string;
  development: CfFunctionStage;
  live?: CfFunctionStage;
  tags: Tags;
}

const RUNTIMES = new Set(['cloudfront-js-1.0', 'cloudfront-js-2.0']);
const NAME = /^[a-zA-Z0-9\-_]{1,64}$/;
const MAX_CODE_BYTES = 10_240;

function stageOf(f: CfFunction, stage: string | undefined): CfFunctionStage | undefined {
  if (stage === undefined || stage === 'DEVELOPMENT') return f.development;
  if (stage === 'LIVE') return f.live;
  throw invalidArgument(`Stage ${stage} is not one of DEVELOPMENT, LIVE.`);
}

/** The DEVELOPMENT stage holds changes LIVE lacks: never published, or updated since the last publish. */
const unpublished = (f: CfFunction): boolean => !f.live || Date.parse(f.development.lastModified) > Date.parse(f.live.lastModified);

function summaryXml(f: CfFunction, stage: 'DEVELOPMENT' | 'LIVE'): XmlNode {
  const s = stage === 'LIVE' ? f.live! : f.development;
  // As CloudFront reports it: UNPUBLISHED while DEVELOPMENT has unpublished changes, else UNASSOCIATED
  // (the sandbox does not run functions, so none becomes DEPLOYED through an association).
  return node('FunctionSummary', [
    node('Name', f.name), node('Status', stage === 'DEVELOPMENT' && unpublished(f) ? 'UNPUBLISHED' : 'UNASSOCIATED'),
    node('FunctionConfig', [
      node('Comment', s.comment), node('Runtime', s.runtime),
      ...(s.keyValueStores.length ? [node('KeyValueStoreAssociations', [node('Quantity', s.keyValueStores.length), node('Items', s.keyValueStores.map((arn) => node('KeyValueStoreAssociation', [node('KeyValueStoreARN', arn)])))])] : []),
    ]),
    node('FunctionMetadata', [node('FunctionARN', f.arn), node('Stage', stage), node('CreatedTime', f.createdAt), node('LastModifiedTime', s.lastModified)]),
  ]);
}

/** A stage from a request's FunctionConfig and base64 FunctionCode, checked as CloudFront checks them. */
function stageFrom(root: XmlElement, at: string): CfFunctionStage {
  const config = child(root, 'FunctionConfig');
  if (!config) throw invalidArgument('FunctionConfig is required.');
  const runtime = childText(config, 'Runtime') ?? '';
  if (!RUNTIMES.has(runtime)) throw invalidArgument(`Runtime ${runtime || '(none)'} is not one of ${[...RUNTIMES].join(', ')}.`);
  const comment = childText(config, 'Comment');
  if (comment === undefined) throw invalidArgument('Comment is required.');
  if (comment.length > 128) throw invalidArgument('Comment is longer than 128 characters.');
  const stores = checkedItems(child(config, 'KeyValueStoreAssociations'), 'KeyValueStoreAssociation', 'KeyValueStoreAssociations').map((a) => childText(a, 'KeyValueStoreARN') ?? '');
  if (runtime === 'cloudfront-js-1.0' && stores.length) throw new ApiError('UnsupportedOperation', 'Key value stores need the cloudfront-js-2.0 runtime.', 400);
  const code = (childText(root, 'FunctionCode') ?? '').replace(/\s+/g, '');
  if (!code) throw invalidArgument('FunctionCode is required.');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(code)) throw invalidArgument('FunctionCode is not valid base64.');
  if (Buffer.from(code, 'base64').length > MAX_CODE_BYTES) throw new ApiError('FunctionSizeLimitExceeded', `The function code is larger than ${MAX_CODE_BYTES} bytes.`, 413);
  return { comment, runtime, keyValueStores: stores, code, etag: newEtag(), lastModified: at };
}

function functionFor(ctx: CallContext, name: string, action: string): CfFunction {
  authorized(ctx, action, `arn:aws:cloudfront::${ctx.world.accountId}:function/${name}`, 'AWS::CloudFront::Function', name);
  const f = cloudFrontOf(ctx).functions[name];
  if (!f) throw new ApiError('NoSuchFunctionExists', `The function ${name} does not exist.`, 404);
  return f;
}

/** A modification time after the stage's last one: a publish and a later update never tie. */
function laterThan(previous: string, now: Date): string {
  const t = Math.max(now.getTime(), Date.parse(previous) + 1);
  return new Date(t).toISOString();
}

export const functionOperations: Record<string, (ctx: CallContext, req: CloudFrontRequest) => CloudFrontResult> = {
  CreateFunction(ctx, req) {
    const root = requestBody(req, 'CreateFunctionRequest');
    const name = childText(root, 'Name') ?? '';
    if (!NAME.test(name)) throw invalidArgument(`Name ${name || '(none)'} must be 1 to 64 letters, digits, hyphens and underscores.`);
    authorized(ctx, 'CreateFunction', `arn:aws:cloudfront::${ctx.world.accountId}:function/${name}`, 'AWS::CloudFront::Function', name);
    const all = cloudFrontOf(ctx).functions;
    if (all[name]) throw new ApiError('FunctionAlreadyExists', `A function with the name ${name} already exists.`, 409);
    const at = ctx.now.toISOString();
    const f: CfFunction = {
      name, arn: `arn:aws:cloudfront::${ctx.world.accountId}:function/${name}`, createdAt: at, development: stageFrom(root, at), tags: checkTagCount(parsedTags(child(root, 'Tags'))),
    };
    all[name] = f;
    return xmlResult(summaryXml(f, 'DEVELOPMENT'), f.development.etag, 201, { location: `https://cloudfront.amazonaws.com/2020-05-31/function/${f.arn}` });
  },
  DescribeFunction(ctx, req) {
    const f = functionFor(ctx, segment(req, 2), 'DescribeFunction');
    const stage = req.query.get('Stage') === 'LIVE' ? 'LIVE' : 'DEVELOPMENT';
    const s = stageOf(f, req.query.get('Stage'));
    if (!s) throw new ApiError('NoSuchFunctionExists', `The function ${f.name} has no ${stage} stage.`, 404);
    return xmlResult(summaryXml(f, stage), s.etag);
  },
  GetFunction(ctx, req) {
    const f = functionFor(ctx, segment(req, 2), 'GetFunction');
    const s = stageOf(f, req.query.get('Stage'));
    if (!s) throw new ApiError('NoSuchFunctionExists', `The function ${f.name} has no LIVE stage.`, 404);
    return { status: 200, headers: { 'content-type': 'application/octet-stream', etag: s.etag }, body: Buffer.from(s.code, 'base64') };
  },
  UpdateFunction(ctx, req) {
    const f = functionFor(ctx, segment(req, 2), 'UpdateFunction');
    checkIfMatch(req, f.development);
    f.development = stageFrom(requestBody(req, 'UpdateFunctionRequest'), laterThan(f.development.lastModified, ctx.now));
    return { ...xmlResult(summaryXml(f, 'DEVELOPMENT')), headers: { 'content-type': 'text/xml', ettag: f.development.etag } };
  },
  PublishFunction(ctx, req) {
    const f = functionFor(ctx, segment(req, 2), 'PublishFunction');
    checkIfMatch(req, f.development);
    f.live = { ...f.development, keyValueStores: [...f.development.keyValueStores], etag: newEtag() };
    return xmlResult(summaryXml(f, 'LIVE'));
  },
  DeleteFunction(ctx, req) {
    const f = functionFor(ctx, segment(req, 2), 'DeleteFunction');
    checkIfMatch(req, f.development);
    delete cloudFrontOf(ctx).functions[f.name];
    return { status: 204 };
  },
  ListFunctions(ctx, req) {
    ctx.authorize('cloudfront:ListFunctions', '*');
    const wanted = req.query.get('Stage');
    if (wanted !== undefined && wanted !== 'DEVELOPMENT' && wanted !== 'LIVE') throw invalidArgument(`Stage ${wanted} is not one of DEVELOPMENT, LIVE.`);
    const max = Math.min(100, Number(req.query.get('MaxItems') ?? '100') || 100);
    const rows: Array<[CfFunction, 'DEVELOPMENT' | 'LIVE']> = [];
    for (const f of Object.values(cloudFrontOf(ctx).functions).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (wanted !== 'LIVE') rows.push([f, 'DEVELOPMENT']);
      if (wanted !== 'DEVELOPMENT' && f.live) rows.push([f, 'LIVE']);
    }
    const marker = req.query.get('Marker');
    const start = marker ? Number(marker) : 0;
    if (!Number.isInteger(start) || start < 0 || start > rows.length) throw invalidArgument(`Invalid Marker ${marker}.`);
    const page = rows.slice(start, start + max);
    const more = start + max < rows.length;
    return xmlResult(node('FunctionList', [
      ...(more ? [node('NextMarker', String(start + max))] : []), node('MaxItems', max), node('Quantity', page.length),
      ...(page.length ? [node('Items', page.map(([f, stage]) => summaryXml(f, stage)))] : []),
    ]));
  },
};

