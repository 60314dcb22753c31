// aws_lambda_event_source_mapping ↔ one mapping from the region's ListEventSourceMappings listing
// (100 a page, one listing for every mapping); written back with UpdateEventSourceMapping.
// Identified, as in Terraform, by the mapping's UUID.
//
// Compared only when declared, as the provider computes them: batch_size (its default depends on
// the source: 10 for SQS, 100 for streams), maximum_batching_window_in_seconds, starting_position,
// parallelization_factor and the stream retry settings. The function compares by name, whether the
// configuration names it by name or ARN.
import { UpdateEventSourceMappingCommand, type EventSourceMappingConfiguration, type UpdateEventSourceMappingCommandInput } from '@aws-sdk/client-lambda';
import type { Known } from '../../drift/values';
import { member } from '../families/family';
import { functionRef, lambdaMappingFamily } from '../families/lambda';
import { bool, cannotRevert, foundEntry, missingEntry, num, str, unknownEntry } from './common';
import { firstBlock, strings } from './lambda-common';
import type { ResourceType } from './resource-type';

/** `filter_criteria { filter { pattern = jsonencode(…) } }` → each pattern as canonical JSON. */
function patterns(v: Known): string[] {
  const filters = firstBlock(v)?.filter;
  const list = Array.isArray(filters) ? filters : filters ? [filters] : [];
  return list.flatMap((f) => {
    const p = f && typeof f === 'object' && !Array.isArray(f) ? (f as Record<string, Known>).pattern : undefined;
    if (typeof p !== 'string') return [];
    try {
      return [JSON.stringify(sortKeys(JSON.parse(p)))];
    } catch {
      return [p];
    }
  });
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

const maxConcurrency = (v: Known): number | undefined => num(firstBlock(v)?.maximum_concurrency ?? null);

/** A function ARN (qualified or not) or name → `name[:qualifier]`, as the mapping targets it. */
const target = (v: Known): Known => {
  if (typeof v !== 'string') return v;
  const { name, qualifier } = functionRef(v);
  return qualifier ? `${name}:${qualifier}` : name;
};

const WRITES: Record<string, (d: Known) => Partial<UpdateEventSourceMappingCommandInput>> = {
  function_name: (d) => ({ FunctionName: str(d) }),
  batch_size: (d) => ({ BatchSize: num(d) }),
  maximum_batching_window_in_seconds: (d) => ({ MaximumBatchingWindowInSeconds: num(d) }),
  enabled: (d) => ({ Enabled: bool(d) ?? true }),
  function_response_types: (d) => ({ FunctionResponseTypes: strings(d) as UpdateEventSourceMappingCommandInput['FunctionResponseTypes'] }),
  filter_criteria: (d) => ({ FilterCriteria: { Filters: patterns(d).map((Pattern) => ({ Pattern })) } }),
  scaling_config: (d) => ({ ScalingConfig: { MaximumConcurrency: maxConcurrency(d) } }),
  maximum_retry_attempts: (d) => ({ MaximumRetryAttempts: num(d) }),
  maximum_record_age_in_seconds: (d) => ({ MaximumRecordAgeInSeconds: num(d) }),
  bisect_batch_on_function_error: (d) => ({ BisectBatchOnFunctionError: bool(d) }),
  parallelization_factor: (d) => ({ ParallelizationFactor: num(d) }),
};

export const awsLambdaEventSourceMapping: ResourceType = {
  type: 'aws_lambda_event_source_mapping',
  tags: false,
  attributes: [
    { name: 'event_source_arn', compare: 'scalar', forceNew: true },
    { name: 'function_name', compare: 'scalar', normalize: target, severity: 'warning' },
    { name: 'enabled', compare: 'scalar', default: true },
    { name: 'batch_size', compare: 'scalar' },
    { name: 'maximum_batching_window_in_seconds', compare: 'scalar' },
    { name: 'starting_position', compare: 'scalar', forceNew: true },
    { name: 'function_response_types', compare: 'set', default: [] },
    { name: 'filter_criteria', compare: 'blocks', default: [], normalize: (v) => patterns(v) },
    { name: 'scaling_config', compare: 'blocks', default: [], normalize: (v) => (maxConcurrency(v) === undefined ? [] : [`maximum_concurrency=${maxConcurrency(v)}`]) },
    { name: 'maximum_retry_attempts', compare: 'scalar' },
    { name: 'maximum_record_age_in_seconds', compare: 'scalar' },
    { name: 'bisect_batch_on_function_error', compare: 'scalar' },
    { name: 'parallelization_factor', compare: 'scalar' },
  ],
  notCompared: {
    starting_position_timestamp: 'only with AT_TIMESTAMP; not read yet',
    destination_config: 'stream failure destinations: not read yet',
    tumbling_window_in_seconds: 'not read yet',
    topics: 'Kafka and MQ sources: not read yet',
    queues: 'Kafka and MQ sources: not read yet',
    source_access_configuration: 'Kafka and MQ sources: not read yet',
    self_managed_event_source: 'Kafka and MQ sources: not read yet',
    amazon_managed_kafka_event_source_config: 'Kafka and MQ sources: not read yet',
    self_managed_kafka_event_source_config: 'Kafka and MQ sources: not read yet',
    document_db_event_source_config: 'DocumentDB sources: not read yet',
    function_arn: 'computed by AWS from function_name',
    last_modified: 'AWS sets it on every update',
    last_processing_result: 'set by AWS as it polls',
    state: 'set by AWS as it polls (Enabled, Disabled…); enabled is compared',
    state_transition_reason: 'set by AWS',
    uuid: 'computed by AWS',
  },
  idFromState: (a) => str(a.uuid) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => `mapping_${live.id.slice(0, 8)}`,

  family: member<EventSourceMappingConfiguration>(lambdaMappingFamily, {
    keys: (t) => [{ filter: 'uuid', value: t.id }],
    pick(t, rows, ctx) {
      const found = rows.lookup({ filter: 'uuid', value: t.id });
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const m = found.items[0];
      if (!m) return missingEntry(ctx, t.id, `event source mapping ${t.id} does not exist`);
      return foundEntry(t, 'aws_lambda_event_source_mapping', ctx, {
        event_source_arn: m.EventSourceArn ?? null,
        function_name: m.FunctionArn ? target(m.FunctionArn) : null,
        // Disabled or being disabled: the provider records enabled = false for both.
        enabled: m.State === 'Enabled' || m.State === 'Enabling' || m.State === 'Creating' || m.State === 'Updating',
        batch_size: m.BatchSize ?? null,
        maximum_batching_window_in_seconds: m.MaximumBatchingWindowInSeconds ?? 0,
        starting_position: m.StartingPosition ?? null,
        function_response_types: m.FunctionResponseTypes ?? [],
        filter_criteria: m.FilterCriteria?.Filters?.length ? [{ filter: m.FilterCriteria.Filters.map((f) => ({ pattern: f.Pattern ?? '' })) }] : [],
        scaling_config: m.ScalingConfig?.MaximumConcurrency !== undefined ? [{ maximum_concurrency: m.ScalingConfig.MaximumConcurrency }] : [],
        maximum_retry_attempts: m.MaximumRetryAttempts ?? null,
        maximum_record_age_in_seconds: m.MaximumRecordAgeInSeconds ?? null,
        bisect_batch_on_function_error: m.BisectBatchOnFunctionError ?? null,
        parallelization_factor: m.ParallelizationFactor ?? null,
      }, { arn: m.EventSourceMappingArn });
    },
  }),

  async revert(request, clients) {
    const write = WRITES[request.attribute];
    if (!write) return cannotRevert(request.attribute);
    await clients.gate.call('lambda:UpdateEventSourceMapping', () => clients.lambda.send(new UpdateEventSourceMappingCommand({ UUID: request.id, ...write(request.declared) })));
    return { ok: true, message: `wrote ${request.attribute} of event source mapping ${request.id} back with UpdateEventSourceMapping` };
  },
};
