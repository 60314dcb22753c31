// aws_lambda_function_url ↔ the URL configuration of a function or alias, read through one
// ListFunctionUrlConfigs per function (all its qualifiers at once); auth type, CORS and invoke
// mode written back with UpdateFunctionUrlConfig. Terraform's id is the function name, or
// `function/qualifier`; the read id is `function[:qualifier]`.
import { UpdateFunctionUrlConfigCommand, type FunctionUrlConfig, type UpdateFunctionUrlConfigCommandInput } from '@aws-sdk/client-lambda';
import type { Known } from '../../drift/values';
import { member } from '../families/family';
import { functionRef, lambdaUrlFamily } from '../families/lambda';
import { bool, cannotRevert, foundEntry, missingEntry, num, str, unknownEntry } from './common';
import { firstBlock, functionNameOf, strings } from './lambda-common';
import type { ResourceType } from './resource-type';

/** One canonical atom for the CORS block: lists as sets, absent and empty alike. */
function corsAtoms(v: Known): Known {
  const b = firstBlock(v);
  if (!b) return [];
  const set = (k: string) => [...new Set(strings(b[k]))].sort();
  const value = {
    allow_credentials: bool(b.allow_credentials ?? false) ?? false,
    allow_headers: set('allow_headers').map((h) => h.toLowerCase()),
    allow_methods: set('allow_methods'),
    allow_origins: set('allow_origins'),
    expose_headers: set('expose_headers').map((h) => h.toLowerCase()),
    max_age: num(b.max_age ?? 0) ?? 0,
  };
  const empty = !value.allow_credentials && !value.max_age && [value.allow_headers, value.allow_methods, value.allow_origins, value.expose_headers].every((l) => l.length === 0);
  return empty ? [] : [JSON.stringify(value)];
}

function corsInput(d: Known): UpdateFunctionUrlConfigCommandInput['Cors'] {
  const b = firstBlock(d);
  if (!b) return {};
  return {
    AllowCredentials: bool(b.allow_credentials ?? false) ?? false,
    AllowHeaders: strings(b.allow_headers), AllowMethods: strings(b.allow_methods), AllowOrigins: strings(b.allow_origins), ExposeHeaders: strings(b.expose_headers),
    MaxAge: num(b.max_age ?? 0) ?? 0,
  };
}

const WRITES: Record<string, (d: Known) => Partial<UpdateFunctionUrlConfigCommandInput>> = {
  authorization_type: (d) => ({ AuthType: str(d) as UpdateFunctionUrlConfigCommandInput['AuthType'] }),
  cors: (d) => ({ Cors: corsInput(d) }),
  invoke_mode: (d) => ({ InvokeMode: (str(d) ?? 'BUFFERED') as UpdateFunctionUrlConfigCommandInput['InvokeMode'] }),
};

const parseId = (id: string) => functionRef(id);

export const awsLambdaFunctionUrl: ResourceType = {
  type: 'aws_lambda_function_url',
  tags: false,
  attributes: [
    { name: 'function_name', compare: 'scalar', forceNew: true, normalize: (v) => (typeof v === 'string' ? functionRef(v).name : v) },
    { name: 'qualifier', compare: 'scalar', forceNew: true },
    { name: 'authorization_type', compare: 'scalar', severity: 'warning' },
    { name: 'cors', compare: 'blocks', default: [], normalize: corsAtoms },
    { name: 'invoke_mode', compare: 'scalar', default: 'BUFFERED' },
  ],
  notCompared: {
    function_url: 'computed by AWS',
    function_arn: 'computed by AWS',
    url_id: 'computed by AWS',
  },
  idFromState: (a) => {
    const fn = functionNameOf(a);
    const qualifier = str(a.qualifier);
    return fn ? (qualifier ? `${fn}:${qualifier}` : fn) : undefined;
  },
  importId: (live) => live.id.replace(':', '/'),
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_'),

  family: member<FunctionUrlConfig>(lambdaUrlFamily, {
    keys: (t) => [{ filter: 'function', value: parseId(t.id).name }],
    pick(t, rows, ctx) {
      const { name, qualifier } = parseId(t.id);
      const found = rows.lookup({ filter: 'function', value: name });
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const u = found.items.find((x) => (functionRef(x.FunctionArn ?? '').qualifier ?? '') === (qualifier ?? ''));
      if (!u) return missingEntry(ctx, t.id, `${t.id} has no function URL`);
      const c = u.Cors;
      return foundEntry(t, 'aws_lambda_function_url', ctx, {
        function_name: name,
        qualifier: qualifier ?? '',
        authorization_type: u.AuthType ?? null,
        cors: c ? [{
          allow_credentials: c.AllowCredentials ?? false, allow_headers: c.AllowHeaders ?? [], allow_methods: c.AllowMethods ?? [], allow_origins: c.AllowOrigins ?? [],
          expose_headers: c.ExposeHeaders ?? [], max_age: c.MaxAge ?? 0,
        }] : [],
        invoke_mode: u.InvokeMode ?? 'BUFFERED',
      }, { arn: u.FunctionArn });
    },
  }),

  async revert(request, clients) {
    const write = WRITES[request.attribute];
    if (!write) return cannotRevert(request.attribute);
    const { name, qualifier } = parseId(request.id);
    await clients.gate.call('lambda:UpdateFunctionUrlConfig', () => clients.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: qualifier, ...write(request.declared) })));
    return { ok: true, message: `wrote ${request.attribute} of the function URL of ${request.id} back with UpdateFunctionUrlConfig` };
  },
};
