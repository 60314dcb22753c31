// aws_dynamodb_table ↔ one DescribeTable per table (DynamoDB has no call that describes many
// tables; the calls run in parallel under the gate's cap), DescribeContinuousBackups and
// DescribeTimeToLive only when the block declares point_in_time_recovery or ttl, tags from the
// Tagging API's by-ARN read, else ListTagsOfResource. Identified, as in Terraform, by the name.
//
// Unset arguments: billing_mode PROVISIONED, stream_enabled false, table_class STANDARD,
// deletion_protection_enabled false and no indexes are the provider's defaults; read_capacity,
// write_capacity, stream_view_type, point_in_time_recovery, ttl and server_side_encryption are
// Optional+Computed and compared only when declared. Under PAY_PER_REQUEST the provider records
// capacities as 0, as AWS reports them.
import {
  DescribeContinuousBackupsCommand, DescribeTableCommand, DescribeTimeToLiveCommand, ListTagsOfResourceCommand, TagResourceCommand, UntagResourceCommand,
  UpdateContinuousBackupsCommand, UpdateTableCommand, UpdateTimeToLiveCommand,
  type GlobalSecondaryIndexUpdate, type TableDescription, type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { canonicalJson, type Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { blocksOf, firstBlock, stringsOf } from './blocks';
import { bool, cannotRevert, foundEntry, labelFrom, missingEntry, num, perTarget, revertTagMap, str, untagThenTag, userTags } from './common';
import { isNotFound } from './rds-common';
import { scalableTargets } from './aws_appautoscaling_target';
import type { LiveEntry } from '../../drift/snapshot';
import type { ReadContext, ReadTarget, ResourceType, RevertOutcome, RevertRequest } from './resource-type';

const attributeAtoms = (v: Known): Known => blocksOf(v).map((a) => `${String(a.name)}:${String(a.type)}`);

/** An index as one canonical value; capacities absent in a declaration are the provider's 0. */
function indexAtom(b: Record<string, Known>, global: boolean): string {
  return canonicalJson({
    name: String(b.name ?? ''), ...(global ? { hash_key: String(b.hash_key ?? '') } : {}), range_key: str(b.range_key) ?? '',
    projection_type: String(b.projection_type ?? ''), non_key_attributes: stringsOf(b.non_key_attributes).sort(),
    ...(global ? { read_capacity: num(b.read_capacity ?? 0) ?? 0, write_capacity: num(b.write_capacity ?? 0) ?? 0 } : {}),
  });
}
const gsiAtoms = (v: Known): Known => blocksOf(v).map((b) => indexAtom(b, true));
const lsiAtoms = (v: Known): Known => blocksOf(v).map((b) => indexAtom(b, false));
const indexPhrases = (v: Known): string[] => blocksOf(v).map((b) => `${String(b.name)} (${[b.hash_key, b.range_key].filter((k) => str(k)).join(', ')}; ${String(b.projection_type)}${num(b.read_capacity ?? 0) ? `; ${String(b.read_capacity)}/${String(b.write_capacity)}` : ''})`);

/** `point_in_time_recovery { enabled }`: an absent or empty block is disabled. */
const pitrAtoms = (v: Known): Known => [`enabled=${bool(firstBlock(v)?.enabled ?? false) ?? false}`];
/** `ttl { attribute_name enabled }`: a disabled TTL has no attribute that matters. */
const ttlAtoms = (v: Known): Known => {
  const b = firstBlock(v);
  return [bool(b?.enabled ?? false) ? `enabled on ${String(b?.attribute_name ?? '')}` : 'disabled'];
};
/** `server_side_encryption { enabled }`: disabled means an AWS owned key. */
const sseAtoms = (v: Known): Known => [`enabled=${bool(firstBlock(v)?.enabled ?? false) ?? false}`];
const emptyAsNull = (v: Known): Known => (v === '' ? null : v);

function liveIndexes(t: TableDescription) {
  const keyOf = (keys: Array<{ AttributeName?: string; KeyType?: string }> | undefined, type: string) => keys?.find((k) => k.KeyType === type)?.AttributeName ?? '';
  return {
    global_secondary_index: (t.GlobalSecondaryIndexes ?? []).map((g) => ({
      name: g.IndexName, hash_key: keyOf(g.KeySchema, 'HASH'), range_key: keyOf(g.KeySchema, 'RANGE'), projection_type: g.Projection?.ProjectionType ?? '',
      non_key_attributes: g.Projection?.NonKeyAttributes ?? [], read_capacity: g.ProvisionedThroughput?.ReadCapacityUnits ?? 0, write_capacity: g.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
    })),
    local_secondary_index: (t.LocalSecondaryIndexes ?? []).map((l) => ({
      name: l.IndexName, range_key: keyOf(l.KeySchema, 'RANGE'), projection_type: l.Projection?.ProjectionType ?? '', non_key_attributes: l.Projection?.NonKeyAttributes ?? [],
    })),
  };
}

async function readTable(t: ReadTarget, ctx: ReadContext) {
  const ddb = ctx.clients.dynamodb;
  let table: TableDescription | undefined;
  try {
    table = (await ctx.clients.gate.call('dynamodb:DescribeTable', () => ddb.send(new DescribeTableCommand({ TableName: t.id })))).Table;
  } catch (error) {
    if (isNotFound(error, 'ResourceNotFoundException')) return missingEntry(ctx, t.id, `DynamoDB table ${t.id} does not exist`);
    throw error;
  }
  if (!table) return missingEntry(ctx, t.id, `DynamoDB table ${t.id} does not exist`);
  const billing = table.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const keyOf = (type: string) => table!.KeySchema?.find((k) => k.KeyType === type)?.AttributeName ?? '';
  const attributes: Record<string, unknown> = {
    name: table.TableName,
    billing_mode: billing,
    read_capacity: table.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
    write_capacity: table.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
    hash_key: keyOf('HASH'),
    range_key: keyOf('RANGE'),
    attribute: (table.AttributeDefinitions ?? []).map((a) => ({ name: a.AttributeName, type: a.AttributeType })),
    ...liveIndexes(table),
    stream_enabled: table.StreamSpecification?.StreamEnabled ?? false,
    stream_view_type: table.StreamSpecification?.StreamEnabled ? table.StreamSpecification.StreamViewType ?? '' : '',
    table_class: table.TableClassSummary?.TableClass ?? 'STANDARD',
    deletion_protection_enabled: table.DeletionProtectionEnabled ?? false,
    server_side_encryption: table.SSEDescription?.Status === 'ENABLED' ? [{ enabled: true, kms_key_arn: table.SSEDescription.KMSMasterKeyArn ?? '' }] : [],
  };
  const wants = (name: string) => !t.needs || t.needs.has(name);
  const arn = table.TableArn;
  const [pitr, ttl, tags] = await Promise.all([
    wants('point_in_time_recovery')
      ? ctx.clients.gate.call('dynamodb:DescribeContinuousBackups', () => ddb.send(new DescribeContinuousBackupsCommand({ TableName: t.id }))) : undefined,
    wants('ttl') ? ctx.clients.gate.call('dynamodb:DescribeTimeToLive', () => ddb.send(new DescribeTimeToLiveCommand({ TableName: t.id }))) : undefined,
    arn && !ctx.tagsByArn.has(arn)
      ? ctx.clients.gate.call('dynamodb:ListTagsOfResource', () => ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).then((o) => userTags(o.Tags))
      : Promise.resolve(arn ? ctx.tagsByArn.get(arn) ?? {} : {}),
  ]);
  if (pitr) {
    const d = pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
    attributes.point_in_time_recovery = [{ enabled: d?.PointInTimeRecoveryStatus === 'ENABLED', recovery_period_in_days: d?.RecoveryPeriodInDays ?? 0 }];
  }
  if (ttl) {
    const d = ttl.TimeToLiveDescription;
    const enabled = d?.TimeToLiveStatus === 'ENABLED' || d?.TimeToLiveStatus === 'ENABLING';
    attributes.ttl = [{ enabled, attribute_name: enabled ? d?.AttributeName ?? '' : '' }];
  }
  attributes.tags = tags;
  return foundEntry(t, 'aws_dynamodb_table', ctx, attributes, { arn });
}

/**
 * Application Auto Scaling owns the capacity of a table it scales: AWS changes read_capacity and
 * write_capacity on its own (the provider's documentation tells users to ignore changes to them).
 * Targets are looked up only for tables whose capacity moved from what Terraform recorded.
 */
async function markAutoscaledCapacity(targets: ReadTarget[], entries: Map<string, LiveEntry>, ctx: ReadContext): Promise<void> {
  const moved = targets.filter((t) => {
    const e = entries.get(t.address);
    if (e?.status !== 'found' || e.resource.attributes.billing_mode !== 'PROVISIONED') return false;
    return CAPACITY.some(([arg]) => num(t.state.attributes[arg] as Known) !== undefined && num(t.state.attributes[arg] as Known) !== e.resource.attributes[arg]);
  });
  if (!moved.length) return;
  const scaling = await scalableTargets(ctx, moved.map((t) => ({ namespace: 'dynamodb', resourceId: `table/${t.id}` })));
  for (const t of moved) {
    const e = entries.get(t.address);
    if (e?.status !== 'found') continue;
    const resourceId = `table/${t.id}`;
    for (const [arg, dimension] of CAPACITY) {
      if (scaling.byKey.has(`dynamodb|${resourceId}|${dimension}`)) {
        (e.resource.ownedAttributes ??= {})[arg] = `Application Auto Scaling (the scalable target ${resourceId}, ${dimension}) sets it, so AWS changes it on its own (add ${arg} to lifecycle ignore_changes)`;
      } else if (scaling.failed.has(`dynamodb|${resourceId}`)) {
        (e.resource.unknownAttributes ??= {})[arg] = `whether auto scaling owns the capacity could not be read: ${scaling.failed.get(`dynamodb|${resourceId}`)}`;
      }
    }
  }
}

const CAPACITY = [['read_capacity', 'dynamodb:table:ReadCapacityUnits'], ['write_capacity', 'dynamodb:table:WriteCapacityUnits']] as const;

const update = (clients: AwsClients, input: UpdateTableCommandInput) => clients.gate.call('dynamodb:UpdateTable', () => clients.dynamodb.send(new UpdateTableCommand(input)));

/** Capacities for switching to PROVISIONED: the table's and each index's, from what Terraform recorded. */
function provisionedFromState(request: RevertRequest): Pick<UpdateTableCommandInput, 'ProvisionedThroughput' | 'GlobalSecondaryIndexUpdates'> | string {
  const a = request.state.attributes;
  const read = num(a.read_capacity as Known);
  const write = num(a.write_capacity as Known);
  if (!read || !write) return 'the state records no read_capacity/write_capacity to provision the table with';
  const recorded = new Map(blocksOf(a.global_secondary_index).map((g) => [String(g.name), g]));
  const updates: GlobalSecondaryIndexUpdate[] = [];
  for (const g of blocksOf(request.live.attributes.global_secondary_index)) {
    const r = recorded.get(String(g.name));
    const gr = num((r?.read_capacity ?? null) as Known);
    const gw = num((r?.write_capacity ?? null) as Known);
    if (!gr || !gw) return `the state records no capacities for index ${String(g.name)}`;
    updates.push({ Update: { IndexName: String(g.name), ProvisionedThroughput: { ReadCapacityUnits: gr, WriteCapacityUnits: gw } } });
  }
  return { ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write }, ...(updates.length ? { GlobalSecondaryIndexUpdates: updates } : {}) };
}

async function revertTable(request: RevertRequest, clients: AwsClients): Promise<RevertOutcome> {
  const { attribute, declared, id, live } = request;
  const ddb = clients.dynamodb;
  const ok = (message: string): RevertOutcome => ({ ok: true, message });
  switch (attribute) {
    case 'tags':
      if (!live.arn) return { ok: false, message: 'the table\'s ARN is unknown' };
      return revertTagMap(request, untagThenTag(
        (TagKeys) => clients.gate.call('dynamodb:UntagResource', () => ddb.send(new UntagResourceCommand({ ResourceArn: live.arn, TagKeys }))),
        (Tags) => clients.gate.call('dynamodb:TagResource', () => ddb.send(new TagResourceCommand({ ResourceArn: live.arn, Tags }))),
      ));
    case 'billing_mode': {
      const mode = str(declared);
      if (mode !== 'PROVISIONED' && mode !== 'PAY_PER_REQUEST') return { ok: false, message: 'declared billing_mode is not PROVISIONED or PAY_PER_REQUEST' };
      if (mode === 'PAY_PER_REQUEST') {
        await update(clients, { TableName: id, BillingMode: mode });
        return ok('billing_mode set to PAY_PER_REQUEST');
      }
      const capacities = provisionedFromState(request);
      if (typeof capacities === 'string') return { ok: false, message: `billing_mode cannot be written back: ${capacities}` };
      await update(clients, { TableName: id, BillingMode: mode, ...capacities });
      return ok('billing_mode set to PROVISIONED with the recorded capacities');
    }
    case 'read_capacity':
    case 'write_capacity': {
      const value = num(declared);
      if (value === undefined) return { ok: false, message: `declared ${attribute} is not a number` };
      // 0 is what an on-demand table reports: writing billing_mode back (PAY_PER_REQUEST) restores it.
      if (value === 0 && request.state.attributes.billing_mode === 'PAY_PER_REQUEST') return ok(`${attribute} 0 is PAY_PER_REQUEST's; the billing_mode write-back restores it`);
      if (live.attributes.billing_mode !== 'PROVISIONED') return { ok: false, message: `${attribute} cannot be written back while the table bills PAY_PER_REQUEST; revert billing_mode first` };
      const read = attribute === 'read_capacity' ? value : Number(live.attributes.read_capacity);
      const write = attribute === 'write_capacity' ? value : Number(live.attributes.write_capacity);
      await update(clients, { TableName: id, ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write } });
      return ok(`${attribute} set to ${value}`);
    }
    case 'stream_enabled':
    case 'stream_view_type': {
      const enabled = attribute === 'stream_enabled' ? bool(declared) : true;
      const viewType = attribute === 'stream_view_type' ? str(declared) : str(request.state.attributes.stream_view_type);
      if (enabled === undefined) return { ok: false, message: 'declared stream_enabled is not a boolean' };
      if (live.attributes.stream_enabled === true) await update(clients, { TableName: id, StreamSpecification: { StreamEnabled: false } });
      if (enabled) {
        if (!viewType) return { ok: false, message: 'the stream cannot be enabled: no stream_view_type is declared or recorded' };
        await update(clients, { TableName: id, StreamSpecification: { StreamEnabled: true, StreamViewType: viewType as 'NEW_IMAGE' } });
      }
      return ok(enabled ? `stream enabled (${viewType}); it is a new stream with a new ARN` : 'stream disabled');
    }
    case 'table_class': {
      const v = str(declared);
      if (v !== 'STANDARD' && v !== 'STANDARD_INFREQUENT_ACCESS') return { ok: false, message: 'declared table_class is not STANDARD or STANDARD_INFREQUENT_ACCESS' };
      await update(clients, { TableName: id, TableClass: v });
      return ok(`table_class set to ${v}`);
    }
    case 'deletion_protection_enabled': {
      const v = bool(declared);
      if (v === undefined) return { ok: false, message: 'declared deletion_protection_enabled is not a boolean' };
      await update(clients, { TableName: id, DeletionProtectionEnabled: v });
      return ok(`deletion_protection_enabled set to ${v}`);
    }
    case 'point_in_time_recovery': {
      const enabled = bool(firstBlock(declared)?.enabled ?? false) ?? false;
      await clients.gate.call('dynamodb:UpdateContinuousBackups', () => ddb.send(new UpdateContinuousBackupsCommand({ TableName: id, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled } })));
      return ok(`point-in-time recovery ${enabled ? 'enabled' : 'disabled'}`);
    }
    case 'ttl': {
      const want = firstBlock(declared);
      const enabled = bool(want?.enabled ?? false) ?? false;
      const have = firstBlock(live.attributes.ttl);
      const liveAttribute = str(have?.attribute_name);
      if (have?.enabled === true && liveAttribute) {
        await clients.gate.call('dynamodb:UpdateTimeToLive', () => ddb.send(new UpdateTimeToLiveCommand({ TableName: id, TimeToLiveSpecification: { Enabled: false, AttributeName: liveAttribute } })));
      }
      if (enabled) {
        const name = str(want?.attribute_name);
        if (!name) return { ok: false, message: 'declared ttl is enabled without an attribute_name' };
        await clients.gate.call('dynamodb:UpdateTimeToLive', () => ddb.send(new UpdateTimeToLiveCommand({ TableName: id, TimeToLiveSpecification: { Enabled: true, AttributeName: name } })));
      }
      return ok(enabled ? `ttl enabled on ${String(want?.attribute_name)}` : 'ttl disabled');
    }
    case 'server_side_encryption': {
      const want = firstBlock(declared);
      const enabled = bool(want?.enabled ?? false) ?? false;
      const key = str(want?.kms_key_arn);
      await update(clients, { TableName: id, SSESpecification: enabled ? { Enabled: true, SSEType: 'KMS', ...(key ? { KMSMasterKeyId: key } : {}) } : { Enabled: false } });
      return ok(`server-side encryption ${enabled ? 'with a KMS key' : 'with an AWS owned key'}`);
    }
    case 'attribute':
    case 'global_secondary_index':
      return cannotRevert(attribute, 'adding or removing an index rebuilds it (one index at a time); Tidemark does not rebuild indexes');
    default:
      return cannotRevert(attribute);
  }
}

export const awsDynamodbTable: ResourceType = {
  type: 'aws_dynamodb_table',
  tags: true,
  taggingType: 'dynamodb:table',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'billing_mode', compare: 'scalar', default: 'PROVISIONED' },
    { name: 'read_capacity', compare: 'scalar' },
    { name: 'write_capacity', compare: 'scalar' },
    { name: 'hash_key', compare: 'scalar', forceNew: true },
    { name: 'range_key', compare: 'scalar', normalize: emptyAsNull, forceNew: true },
    { name: 'attribute', compare: 'blocks', normalize: attributeAtoms, phrases: (v) => attributeAtoms(v) as string[] },
    { name: 'global_secondary_index', compare: 'blocks', default: [], normalize: gsiAtoms, phrases: indexPhrases },
    { name: 'local_secondary_index', compare: 'blocks', default: [], normalize: lsiAtoms, phrases: indexPhrases, forceNew: true },
    { name: 'stream_enabled', compare: 'scalar', default: false },
    { name: 'stream_view_type', compare: 'scalar', normalize: emptyAsNull },
    { name: 'table_class', compare: 'scalar', default: 'STANDARD' },
    { name: 'deletion_protection_enabled', compare: 'scalar', default: false },
    { name: 'point_in_time_recovery', compare: 'blocks', normalize: pitrAtoms, severity: 'warning' },
    { name: 'ttl', compare: 'blocks', normalize: ttlAtoms },
    { name: 'server_side_encryption', compare: 'blocks', normalize: sseAtoms, severity: 'warning' },
  ],
  notCompared: {
    'server_side_encryption.kms_key_arn': 'Optional+Computed inside the block (AWS fills in its managed key); not compared yet',
    'point_in_time_recovery.recovery_period_in_days': 'not compared yet',
    replica: 'global table replicas are not read yet',
    on_demand_throughput: 'not read yet',
    import_table: 'a creation input',
    restore_source_name: 'a creation input', restore_source_table_arn: 'a creation input', restore_to_latest_time: 'a creation input', restore_date_time: 'a creation input',
    arn: 'computed by AWS', stream_arn: 'computed by AWS (a new one for each stream)', stream_label: 'computed by AWS',
  },
  idFromState: (a) => str(a.name) ?? str(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:dynamodb:[^:]+:\d{12}:table\/([^/]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  async read(targets, ctx) {
    const entries = await perTarget(targets, ctx, (t) => readTable(t, ctx));
    await markAutoscaledCapacity(targets, entries, ctx);
    return entries;
  },
  revert: revertTable,
};
