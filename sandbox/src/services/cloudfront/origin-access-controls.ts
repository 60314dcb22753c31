// CloudFront origin access controls: create, get (object and config), update and delete under
// If-Match, list. Names are unique per account; one still used by a distribution's origin cannot
// be deleted. They carry no tags (CloudFront does not tag them).
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { childText, node, type XmlElement, type XmlNode } from '../../xml';
import { authorized, checkIfMatch, cloudFrontId, invalidArgument, newEtag, requestBody, segment, xmlResult, type CloudFrontRequest, type CloudFrontResult } from './common';
import { originAccessControlInUse } from './distributions';
import { cloudFrontOf } from './world';

export interface CfOriginAccessControl {
  id: string;
  name: string;
  description: string;
  originType: string;
  signingBehavior: string;
  signingProtocol: string;
  etag: string;
}

const ORIGIN_TYPES = new Set(['s3', 'mediastore', 'lambda', 'mediapackagev2']);
const BEHAVIORS = new Set(['never', 'always', 'no-override']);
const PROTOCOLS = new Set(['sigv4']);

function configFrom(ctx: CallContext, root: XmlElement, selfId: string | undefined): Omit<CfOriginAccessControl, 'id' | 'etag'> {
  const field = (name: string, allowed?: Set<string>): string => {
    const v = childText(root, name);
    if (v === undefined || v === '') throw invalidArgument(`${name} is required.`);
    if (allowed && !allowed.has(v)) throw invalidArgument(`${name} ${v} is not one of ${[...allowed].join(', ')}.`);
    return v;
  };
  const name = field('Name');
  if (name.length > 64) throw invalidArgument('Name is longer than 64 characters.');
  const description = childText(root, 'Description') ?? '';
  if (description.length > 256) throw invalidArgument('Description is longer than 256 characters.');
  const clash = Object.values(cloudFrontOf(ctx).originAccessControls).find((o) => o.name === name && o.id !== selfId);
  if (clash) throw new ApiError('OriginAccessControlAlreadyExists', `An origin access control with the name ${name} already exists.`, 409);
  return {
    name, description, originType: field('OriginAccessControlOriginType', ORIGIN_TYPES), signingBehavior: field('SigningBehavior', BEHAVIORS), signingProtocol: field('SigningProtocol', PROTOCOLS),
  };
}

function configXml(o: CfOriginAccessControl): XmlNode {
  return node('OriginAccessControlConfig', [
    node('Name', o.name), node('Description', o.description), node('SigningProtocol', o.signingProtocol), node('SigningBehavior', o.signingBehavior), node('OriginAccessControlOriginType', o.originType),
  ]);
}

const objectXml = (o: CfOriginAccessControl): XmlNode => node('OriginAccessControl', [node('Id', o.id), configXml(o)]);

function controlFor(ctx: CallContext, id: string, action: string): CfOriginAccessControl {
  authorized(ctx, action, `arn:aws:cloudfront::${ctx.world.accountId}:origin-access-control/${id}`, 'AWS::CloudFront::OriginAccessControl', id);
  const o = cloudFrontOf(ctx).originAccessControls[id];
  if (!o) throw new ApiError('NoSuchOriginAccessControl', 'The origin access control does not exist.', 404);
  return o;
}

export const originAccessControlOperations: Record<string, (ctx: CallContext, req: CloudFrontRequest) => CloudFrontResult> = {
  CreateOriginAccessControl(ctx, req) {
    authorized(ctx, 'CreateOriginAccessControl', `arn:aws:cloudfront::${ctx.world.accountId}:origin-access-control/*`, 'AWS::CloudFront::OriginAccessControl', '*');
    const o: CfOriginAccessControl = { id: cloudFrontId(), etag: newEtag(), ...configFrom(ctx, requestBody(req, 'OriginAccessControlConfig'), undefined) };
    cloudFrontOf(ctx).originAccessControls[o.id] = o;
    ctx.trail.resources.push({ type: 'AWS::CloudFront::OriginAccessControl', name: o.id });
    return xmlResult(objectXml(o), o.etag, 201, { location: `https://cloudfront.amazonaws.com/2020-05-31/origin-access-control/${o.id}` });
  },
  GetOriginAccessControl(ctx, req) {
    const o = controlFor(ctx, segment(req, 2), 'GetOriginAccessControl');
    return xmlResult(objectXml(o), o.etag);
  },
  GetOriginAccessControlConfig(ctx, req) {
    const o = controlFor(ctx, segment(req, 2), 'GetOriginAccessControlConfig');
    return xmlResult(configXml(o), o.etag);
  },
  UpdateOriginAccessControl(ctx, req) {
    const o = controlFor(ctx, segment(req, 2), 'UpdateOriginAccessControl');
    checkIfMatch(req, o);
    Object.assign(o, configFrom(ctx, requestBody(req, 'OriginAccessControlConfig'), o.id), { etag: newEtag() });
    return xmlResult(objectXml(o), o.etag);
  },
  DeleteOriginAccessControl(ctx, req) {
    const o = controlFor(ctx, segment(req, 2), 'DeleteOriginAccessControl');
    checkIfMatch(req, o);
    if (originAccessControlInUse(ctx, o.id)) throw new ApiError('OriginAccessControlInUse', 'The origin access control is in use by a distribution.', 409);
    delete cloudFrontOf(ctx).originAccessControls[o.id];
    return { status: 204 };
  },
  ListOriginAccessControls(ctx, req) {
    ctx.authorize('cloudfront:ListOriginAccessControls', '*');
    const max = Math.min(100, Number(req.query.get('MaxItems') ?? '100') || 100);
    const all = Object.values(cloudFrontOf(ctx).originAccessControls).sort((a, b) => (a.id < b.id ? -1 : 1));
    const marker = req.query.get('Marker');
    const start = marker ? all.findIndex((o) => o.id === marker) : 0;
    if (start < 0) throw invalidArgument(`Invalid Marker ${marker}.`);
    const page = all.slice(start, start + max);
    const next = all[start + max];
    return xmlResult(node('OriginAccessControlList', [
      node('Marker', marker ?? ''), ...(next ? [node('NextMarker', next.id)] : []), node('MaxItems', max), node('IsTruncated', next !== undefined), node('Quantity', page.length),
      ...(page.length ? [node('Items', page.map((o) => node('OriginAccessControlSummary', [
        node('Id', o.id), node('Description', o.description), node('Name', o.name), node('SigningProtocol', o.signingProtocol), node('SigningBehavior', o.signingBehavior),
        node('OriginAccessControlOriginType', o.originType),
      ])))] : []),
    ]));
  },
};

