// aws_lambda_alias ↔ one alias of a function, read through one ListAliases per function however
// many aliases it has; version, description and weighted routing written back with UpdateAlias.
// The read id is `function:alias` (so CloudTrail lookups name the function); Terraform's import id
// is `function/alias`.
import { UpdateAliasCommand, type UpdateAliasCommandInput } from '@aws-sdk/client-lambda';
import type { Known } from '../../drift/values';
import { member } from '../families/family';
import { functionRef, lambdaAliasFamily } from '../families/lambda';
import type { AliasConfiguration } from '@aws-sdk/client-lambda';
import { cannotRevert, foundEntry, missingEntry, num, str, unknownEntry } from './common';
import { firstBlock, functionNameOf } from './lambda-common';
import type { ResourceType } from './resource-type';

const parseId = (id: string): { fn: string; alias: string } | undefined => {
  const [fn, alias, extra] = id.split(':');
  return fn && alias && extra === undefined ? { fn, alias } : undefined;
};

/** `routing_config { additional_version_weights = { "2" = 0.1 } }` → `2=0.1` atoms. */
function weights(v: Known): Record<string, number> {
  const w = firstBlock(v)?.additional_version_weights;
  if (!w || typeof w !== 'object' || Array.isArray(w)) return {};
  return Object.fromEntries(Object.entries(w).map(([k, x]) => [k, num(x) ?? 0]));
}
const routingAtoms = (v: Known): Known => Object.entries(weights(v)).map(([k, x]) => `${k}=${x}`);

const WRITES: Record<string, (d: Known) => Partial<UpdateAliasCommandInput>> = {
  function_version: (d) => ({ FunctionVersion: str(d) }),
  description: (d) => ({ Description: str(d) ?? '' }),
  routing_config: (d) => ({ RoutingConfig: { AdditionalVersionWeights: weights(d) } }),
};

export const awsLambdaAlias: ResourceType = {
  type: 'aws_lambda_alias',
  tags: false,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'function_name', compare: 'scalar', forceNew: true, normalize: (v) => (typeof v === 'string' ? functionRef(v).name : v) },
    { name: 'function_version', compare: 'scalar', severity: 'warning' },
    { name: 'description', compare: 'scalar', default: '' },
    { name: 'routing_config', compare: 'blocks', default: [], normalize: routingAtoms },
  ],
  notCompared: {
    arn: 'computed by AWS from the function and alias name',
    invoke_arn: 'computed by AWS',
  },
  idFromState: (a) => {
    const fn = functionNameOf(a);
    const name = str(a.name);
    return fn && name ? `${fn}:${name}` : undefined;
  },
  importId: (live) => live.id.replace(':', '/'),
  suggestName: (live) => (parseId(live.id)?.alias ?? 'alias').replace(/[^A-Za-z0-9_]/g, '_'),

  family: member<AliasConfiguration>(lambdaAliasFamily, {
    keys(t) {
      const p = parseId(t.id);
      return p ? [{ filter: 'function', value: p.fn }] : 'the state records no function_name and name';
    },
    pick(t, rows, ctx) {
      const p = parseId(t.id)!;
      const found = rows.lookup({ filter: 'function', value: p.fn });
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const a = found.items.find((x) => x.Name === p.alias);
      if (!a) return missingEntry(ctx, t.id, `alias ${p.alias} of ${p.fn} does not exist`);
      const routing = a.RoutingConfig?.AdditionalVersionWeights ?? {};
      return foundEntry(t, 'aws_lambda_alias', ctx, {
        name: a.Name,
        function_name: p.fn,
        function_version: a.FunctionVersion ?? null,
        description: a.Description ?? '',
        routing_config: Object.keys(routing).length ? [{ additional_version_weights: routing }] : [],
      }, { arn: a.AliasArn });
    },
  }),

  async revert(request, clients) {
    const write = WRITES[request.attribute];
    const p = parseId(request.id);
    if (!write || !p) return cannotRevert(request.attribute);
    await clients.gate.call('lambda:UpdateAlias', () => clients.lambda.send(new UpdateAliasCommand({ FunctionName: p.fn, Name: p.alias, ...write(request.declared) })));
    return { ok: true, message: `wrote ${request.attribute} of alias ${p.alias} back with UpdateAlias` };
  },
};
