// aws_cloudfront_function ↔ two ListFunctions listings (the DEVELOPMENT and the LIVE stage, 100 a
// page) for every declared function: runtime, comment, key value stores and each stage's last
// modification. The code is compared as Lambda's is, against what state recorded, never by
// reading every function's code: one DescribeFunction per function gives the DEVELOPMENT stage's
// ETag, and only when it is not the ETag state recorded does a GetFunction read the code to
// compare (an ETag moves with any update, also one that leaves the code alone). Drift shows SHA-256
// digests, not code.
//
// `publish` (default true) is an instruction to the provider, which publishes on every apply and
// never reads it back. Declared true, it is drift when the DEVELOPMENT stage holds changes the LIVE
// stage lacks (status UNPUBLISHED, and no LIVE stage or one modified before DEVELOPMENT); declared
// false, it asks nothing of AWS and is never drift. The provider has no tags on this resource in v5.
//
// Revert writes the whole DEVELOPMENT stage back (UpdateFunction under the ETag DescribeFunction
// answers) with the drifted argument changed, then publishes when state says publish — the
// provider's update.
import { createHash } from 'node:crypto';
import {
  DescribeFunctionCommand, FunctionRuntime, FunctionSummary, GetFunctionCommand, ListFunctionsCommand, PublishFunctionCommand, UpdateFunctionCommand,
} from '@aws-sdk/client-cloudfront';
import type { LiveEntry } from '../../drift/snapshot';
import type { Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { isCloudFrontNotFound } from './cloudfront-common';
import { stringsOf } from './blocks';
import { bool, cannotRevert, failureText, foundEntry, missingEntry, perTarget, str } from './common';
import type { ReadContext, ResourceType, RevertOutcome } from './resource-type';

const TYPE = 'aws_cloudfront_function';

/** Code compares by digest, so a drift names two hashes instead of printing two programs. */
const codeDigest = (v: Known): Known => (typeof v === 'string' ? `sha256:${createHash('sha256').update(v, 'utf8').digest('hex')}` : v);

async function listStage(ctx: ReadContext, stage: 'DEVELOPMENT' | 'LIVE'): Promise<Map<string, FunctionSummary>> {
  const byName = new Map<string, FunctionSummary>();
  let Marker: string | undefined;
  do {
    const out = await ctx.clients.gate.call('cloudfront:ListFunctions', () => ctx.clients.cloudfront.send(new ListFunctionsCommand({ Stage: stage, MaxItems: 100, Marker })));
    for (const f of out.FunctionList?.Items ?? []) if (f.Name) byName.set(f.Name, f);
    Marker = out.FunctionList?.NextMarker || undefined;
  } while (Marker);
  return byName;
}

const modified = (f: FunctionSummary | undefined): number => f?.FunctionMetadata?.LastModifiedTime?.getTime() ?? Number.NaN;

/**
 * Whether the DEVELOPMENT stage holds changes that were never published to LIVE: CloudFront says so
 * (status UNPUBLISHED, as the provider's acceptance tests record for publish = false) and the stages
 * agree (no LIVE stage, or one modified before DEVELOPMENT). Both must hold: a false drift is worse
 * than a missed one.
 */
function unpublished(development: FunctionSummary, live: FunctionSummary | undefined): boolean {
  return development.Status === 'UNPUBLISHED' && (!live || modified(development) > modified(live));
}

const codeText = (body: Uint8Array | undefined): string => Buffer.from(body ?? new Uint8Array()).toString('utf8');

async function liveCode(ctx: ReadContext, name: string, stateEtag: unknown, stateCode: unknown): Promise<string> {
  const described = await ctx.clients.gate.call('cloudfront:DescribeFunction', () => ctx.clients.cloudfront.send(new DescribeFunctionCommand({ Name: name, Stage: 'DEVELOPMENT' })));
  // The stage state recorded is still the stage AWS has: its code is the code state recorded.
  if (typeof stateCode === 'string' && described.ETag && described.ETag === stateEtag) return stateCode;
  const got = await ctx.clients.gate.call('cloudfront:GetFunction', () => ctx.clients.cloudfront.send(new GetFunctionCommand({ Name: name, Stage: 'DEVELOPMENT' })));
  return codeText(got.FunctionCode);
}

/** Terraform argument → how the declared value changes the stage written back. */
const STAGE_WRITERS: Record<string, (stage: { comment: string; runtime: string; stores: string[]; code: string }, v: Known) => void> = {
  comment: (s, v) => { s.comment = typeof v === 'string' ? v : ''; },
  runtime: (s, v) => { s.runtime = str(v) ?? s.runtime; },
  key_value_store_associations: (s, v) => { s.stores = stringsOf(v); },
  code: (s, v) => { s.code = typeof v === 'string' ? v : s.code; },
};

async function publish(clients: AwsClients, name: string, etag: string | undefined): Promise<void> {
  const cf = clients.cloudfront;
  const ifMatch = etag ?? (await clients.gate.call('cloudfront:DescribeFunction', () => cf.send(new DescribeFunctionCommand({ Name: name, Stage: 'DEVELOPMENT' })))).ETag;
  await clients.gate.call('cloudfront:PublishFunction', () => cf.send(new PublishFunctionCommand({ Name: name, IfMatch: ifMatch })));
}

export const awsCloudfrontFunction: ResourceType = {
  type: TYPE,
  tags: false,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'runtime', compare: 'scalar' },
    { name: 'comment', compare: 'scalar', default: '' },
    { name: 'key_value_store_associations', compare: 'set', default: [] },
    { name: 'code', compare: 'scalar', stateOnly: true, normalize: codeDigest },
    { name: 'publish', compare: 'scalar', default: true, severity: 'warning' },
  ],
  notCompared: {
    arn: 'computed by AWS', etag: 'the DEVELOPMENT stage version: it changes with every update (used to tell whether the code can have changed)',
    live_stage_etag: 'the LIVE stage version: it changes with every publish', status: 'AWS moves it as the function is published and associated',
  },
  idFromState: (a) => str(a.name) ?? str(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:cloudfront::\d{12}:function\/([A-Za-z0-9_-]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'function',

  async read(targets, ctx) {
    let development: Map<string, FunctionSummary>;
    let live: Map<string, FunctionSummary>;
    try {
      [development, live] = await Promise.all([listStage(ctx, 'DEVELOPMENT'), listStage(ctx, 'LIVE')]);
    } catch (error) {
      const reason = failureText(error);
      return new Map<string, LiveEntry>(targets.map((t) => [t.address, { status: 'unknown', reason, readAt: ctx.now }]));
    }
    return perTarget(targets, ctx, async (t) => {
      const f = development.get(t.id);
      if (!f) return missingEntry(ctx, t.id, `function ${t.id} does not exist`);
      const config = f.FunctionConfig;
      const statePublish = bool(t.state.attributes.publish as Known);
      const attributes: Record<string, unknown> = {
        name: f.Name ?? t.id, runtime: config?.Runtime ?? '', comment: config?.Comment ?? '',
        key_value_store_associations: (config?.KeyValueStoreAssociations?.Items ?? []).map((a) => a.KeyValueStoreARN ?? ''),
        // publish = false asks nothing of AWS: it reads as itself.
        publish: statePublish === false ? false : !unpublished(f, live.get(t.id)),
      };
      if (!t.needs || t.needs.has('code')) {
        try {
          attributes.code = await liveCode(ctx, t.id, t.state.attributes.etag, t.state.attributes.code);
        } catch (error) {
          if (isCloudFrontNotFound(error)) return missingEntry(ctx, t.id, `function ${t.id} does not exist`);
          throw error;
        }
      }
      return foundEntry(t, TYPE, ctx, attributes, { arn: f.FunctionMetadata?.FunctionARN });
    });
  },

  async revert(request, clients): Promise<RevertOutcome> {
    const { attribute, declared, id, state } = request;
    const cf = clients.cloudfront;
    const statePublish = bool(state.attributes.publish as Known) !== false;
    if (attribute === 'publish') {
      if (bool(declared) === false) return { ok: true, message: `function ${id} needs no publishing` };
      await publish(clients, id, undefined);
      return { ok: true, message: `function ${id} published` };
    }
    const writer = STAGE_WRITERS[attribute];
    if (!writer) return cannotRevert(attribute);
    // Describe first, then read the code, then update under the described ETag: a change made
    // between the reads moves the ETag, so the update is refused rather than writing a mix.
    const described = await clients.gate.call('cloudfront:DescribeFunction', () => cf.send(new DescribeFunctionCommand({ Name: id, Stage: 'DEVELOPMENT' })));
    const got = await clients.gate.call('cloudfront:GetFunction', () => cf.send(new GetFunctionCommand({ Name: id, Stage: 'DEVELOPMENT' })));
    const config = described.FunctionSummary?.FunctionConfig;
    const stage = {
      comment: config?.Comment ?? '', runtime: config?.Runtime ?? '', stores: (config?.KeyValueStoreAssociations?.Items ?? []).map((a) => a.KeyValueStoreARN ?? ''),
      code: codeText(got.FunctionCode),
    };
    writer(stage, declared);
    const updated = await clients.gate.call('cloudfront:UpdateFunction', () => cf.send(new UpdateFunctionCommand({
      Name: id, IfMatch: described.ETag,
      FunctionConfig: {
        Comment: stage.comment, Runtime: stage.runtime as FunctionRuntime,
        ...(stage.stores.length ? { KeyValueStoreAssociations: { Quantity: stage.stores.length, Items: stage.stores.map((KeyValueStoreARN) => ({ KeyValueStoreARN })) } } : {}),
      },
      FunctionCode: Buffer.from(stage.code, 'utf8'),
    })));
    if (statePublish) await publish(clients, id, updated.ETag);
    return { ok: true, message: `${attribute} of function ${id} restored${statePublish ? ' and published' : ''}` };
  },
};
