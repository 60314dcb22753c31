// aws_lambda_function_event_invoke_config ↔ the asynchronous invocation settings of a function,
// version or alias, read through one ListFunctionEventInvokeConfigs per function (all qualifiers at
// once); retries, maximum event age and destinations written back with
// UpdateFunctionEventInvokeConfig (which changes only the fields it names). Terraform's id and the
// read id are `function[:qualifier]`. maximum_retry_attempts defaults to 2, as Lambda retries
// twice when nothing is set.
import { UpdateFunctionEventInvokeConfigCommand, type FunctionEventInvokeConfig, type UpdateFunctionEventInvokeConfigCommandInput } from '@aws-sdk/client-lambda';
import type { Known } from '../../drift/values';
import { member } from '../families/family';
import { functionRef, lambdaInvokeConfigFamily } from '../families/lambda';
import { cannotRevert, foundEntry, missingEntry, num, str, unknownEntry } from './common';
import { firstBlock, functionNameOf } from './lambda-common';
import type { ResourceType } from './resource-type';

/** `destination_config { on_failure { destination = … } }` → the destination of one side. */
function destination(v: Known, side: 'on_success' | 'on_failure'): string | undefined {
  return str(firstBlock(firstBlock(v)?.[side] ?? null)?.destination);
}
const destinationAtoms = (v: Known): Known => (['on_success', 'on_failure'] as const).flatMap((side) => {
  const d = destination(v, side);
  return d ? [`${side}=${d}`] : [];
});

const WRITES: Record<string, (d: Known) => Partial<UpdateFunctionEventInvokeConfigCommandInput>> = {
  maximum_retry_attempts: (d) => ({ MaximumRetryAttempts: num(d) ?? 2 }),
  maximum_event_age_in_seconds: (d) => ({ MaximumEventAgeInSeconds: num(d) }),
  destination_config: (d) => ({
    DestinationConfig: { OnSuccess: { Destination: destination(d, 'on_success') }, OnFailure: { Destination: destination(d, 'on_failure') } },
  }),
};

export const awsLambdaFunctionEventInvokeConfig: ResourceType = {
  type: 'aws_lambda_function_event_invoke_config',
  tags: false,
  attributes: [
    { name: 'function_name', compare: 'scalar', forceNew: true, normalize: (v) => (typeof v === 'string' ? functionRef(v).name : v) },
    { name: 'qualifier', compare: 'scalar', forceNew: true },
    { name: 'maximum_retry_attempts', compare: 'scalar', default: 2 },
    { name: 'maximum_event_age_in_seconds', compare: 'scalar' },
    { name: 'destination_config', compare: 'blocks', default: [], normalize: destinationAtoms },
  ],
  idFromState: (a) => {
    const fn = functionNameOf(a);
    const qualifier = str(a.qualifier);
    return fn ? (qualifier ? `${fn}:${qualifier}` : fn) : undefined;
  },
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_'),

  family: member<FunctionEventInvokeConfig>(lambdaInvokeConfigFamily, {
    keys: (t) => [{ filter: 'function', value: functionRef(t.id).name }],
    pick(t, rows, ctx) {
      const { name, qualifier } = functionRef(t.id);
      const found = rows.lookup({ filter: 'function', value: name });
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const c = found.items.find((x) => (functionRef(x.FunctionArn ?? '').qualifier ?? '') === (qualifier ?? ''));
      if (!c) return missingEntry(ctx, t.id, `${t.id} has no asynchronous invocation configuration`);
      const onSuccess = c.DestinationConfig?.OnSuccess?.Destination;
      const onFailure = c.DestinationConfig?.OnFailure?.Destination;
      return foundEntry(t, 'aws_lambda_function_event_invoke_config', ctx, {
        function_name: name,
        qualifier: qualifier ?? '',
        maximum_retry_attempts: c.MaximumRetryAttempts ?? 2,
        maximum_event_age_in_seconds: c.MaximumEventAgeInSeconds ?? null,
        destination_config: onSuccess || onFailure
          ? [{ ...(onSuccess ? { on_success: [{ destination: onSuccess }] } : {}), ...(onFailure ? { on_failure: [{ destination: onFailure }] } : {}) }]
          : [],
      });
    },
  }),

  async revert(request, clients) {
    const write = WRITES[request.attribute];
    if (!write) return cannotRevert(request.attribute);
    const { name, qualifier } = functionRef(request.id);
    await clients.gate.call('lambda:UpdateFunctionEventInvokeConfig', () => clients.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: qualifier, ...write(request.declared) })));
    return { ok: true, message: `wrote ${request.attribute} of ${request.id} back with UpdateFunctionEventInvokeConfig` };
  },
};
