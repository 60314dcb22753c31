// S3 Control (REST-XML, signed as `s3`): the account-level public access block. AWS addresses the
// account in the host name (`{AccountId}.s3-control.<region>.amazonaws.com`) and in the
// `x-amz-account-id` header; a loopback endpoint has only the header, which is what is checked.
// CloudTrail records these calls as s3.amazonaws.com events with account-level names
// (PutAccountPublicAccessBlock, …), apart from the bucket-level calls of the same API name.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { node } from '../xml';
import { header, readPublicAccessBlock, xmlBody, xmlResult, type S3Request, type S3Result } from './s3';

/** Every S3 Control path starts with the API version. */
export const S3_CONTROL_PATH_PREFIX = '/v20180820/';
const S3_CONTROL_NAMESPACE = 'http://awss3control.amazonaws.com/doc/2018-08-20/';

const ROUTES: Record<string, Record<string, string>> = {
  '/v20180820/configuration/publicAccessBlock': { GET: 'GetAccountPublicAccessBlock', PUT: 'PutAccountPublicAccessBlock', DELETE: 'DeleteAccountPublicAccessBlock' },
};

export function isS3ControlPath(rawPath: string): boolean {
  return rawPath.startsWith(S3_CONTROL_PATH_PREFIX);
}

/** The operation (as CloudTrail and the stats name it) of an S3 Control request; throws for what the sandbox does not serve. */
export function s3ControlOperation(method: string, rawPath: string): string {
  const operation = ROUTES[rawPath.replace(/\/+$/, '')]?.[method.toUpperCase()];
  if (!operation) throw new ApiError('NotImplemented', `The sandbox does not simulate the S3 Control request ${method} ${rawPath}.`, 501);
  return operation;
}

/** The account the request addresses: it must be present and be the caller's own. */
function accountOf(ctx: CallContext, req: S3Request, action: string): string {
  const account = header(req, 'x-amz-account-id');
  ctx.trail.requestParameters = { accountId: account ?? '', Host: header(req, 'host') ?? '' };
  if (!account) throw new ApiError('InvalidRequest', 'Missing required header for this request: x-amz-account-id', 400);
  if (!/^\d{12}$/.test(account)) throw new ApiError('InvalidRequest', `The account id '${account}' is not a 12-digit AWS account id.`, 400);
  ctx.trail.resources.push({ type: 'AWS::::Account', name: account });
  ctx.authorize(action, '*');
  if (account !== ctx.world.accountId) throw new ApiError('AccessDenied', 'Access Denied', 403, { AccountId: account });
  return account;
}

type Handler = (ctx: CallContext, req: S3Request) => S3Result;

export const s3ControlOperations: Record<string, Handler> = {
  GetAccountPublicAccessBlock(ctx, req) {
    const account = accountOf(ctx, req, 's3:GetAccountPublicAccessBlock');
    const b = ctx.world.accountPublicAccessBlock;
    if (!b) throw new ApiError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, { AccountId: account });
    return xmlResult(node('PublicAccessBlockConfiguration', [
      node('BlockPublicAcls', b.blockPublicAcls), node('IgnorePublicAcls', b.ignorePublicAcls),
      node('BlockPublicPolicy', b.blockPublicPolicy), node('RestrictPublicBuckets', b.restrictPublicBuckets),
    ], { xmlns: S3_CONTROL_NAMESPACE }));
  },
  PutAccountPublicAccessBlock(ctx, req) {
    accountOf(ctx, req, 's3:PutAccountPublicAccessBlock');
    const config = readPublicAccessBlock(xmlBody(req, 'PublicAccessBlockConfiguration'));
    ctx.trail.requestParameters = {
      ...ctx.trail.requestParameters,
      PublicAccessBlockConfiguration: {
        xmlns: S3_CONTROL_NAMESPACE, BlockPublicAcls: config.blockPublicAcls, IgnorePublicAcls: config.ignorePublicAcls,
        BlockPublicPolicy: config.blockPublicPolicy, RestrictPublicBuckets: config.restrictPublicBuckets,
      },
    };
    ctx.world.accountPublicAccessBlock = config;
    return { status: 200 };
  },
  DeleteAccountPublicAccessBlock(ctx, req) {
    accountOf(ctx, req, 's3:PutAccountPublicAccessBlock');
    ctx.world.accountPublicAccessBlock = undefined;
    return { status: 200 };
  },
};
