// What aws_db_instance and aws_rds_cluster_instance share: both are RDS DB instances read through
// the DescribeDBInstances family, each argument maps to one DBInstance field and one
// ModifyDBInstance parameter (written with ApplyImmediately, as a revert must not wait for the
// maintenance window), and the engine version follows the provider's rules.
//
// Values AWS changes on its own: with auto_minor_version_upgrade on (the provider's default), AWS
// upgrades the minor engine version in a maintenance window; the provider keeps a declared prefix
// (`15` for 15.7) and documents declaring only the major version. A newer minor version within the
// declared major line is therefore a hint naming the setting, not drift; a downgrade or another
// major line is drift.
import { ModifyDBInstanceCommand, type DBInstance, type ModifyDBInstanceCommandInput } from '@aws-sdk/client-rds';
import type { Known } from '../../drift/values';
import type { LiveEntry } from '../../drift/snapshot';
import type { AwsClients } from '../clients';
import { DB_INSTANCE_KEY, dbInstancesFamily } from '../families/rds-databases';
import { member, type FamilyMember } from '../families/family';
import { stringsOf } from './blocks';
import { bool, cannotRevert, foundEntry, missingEntry, num, unknownEntry, userTags } from './common';
import { engineVersionWrite, logExportsWrite, minorUpgradeOwner, recordedEngineVersion, revertServiceTags } from './rds-common';
import type { RevertOutcome, RevertRequest } from './resource-type';

type Kind = 'int' | 'bool' | 'string' | 'strings';

export interface InstanceArg {
  name: string;
  live: (i: DBInstance) => unknown;
  /** The ModifyDBInstance parameter that writes it back. */
  param?: keyof ModifyDBInstanceCommandInput;
  kind: Kind;
}

export const arg = (name: string, kind: Kind, live: (i: DBInstance) => unknown, param?: keyof ModifyDBInstanceCommandInput): InstanceArg => ({ name, kind, live, param });

/** The arguments both instance types read and write the same way. */
export const COMMON_ARGS: InstanceArg[] = [
  arg('instance_class', 'string', (i) => i.DBInstanceClass ?? null, 'DBInstanceClass'),
  arg('publicly_accessible', 'bool', (i) => i.PubliclyAccessible ?? false, 'PubliclyAccessible'),
  arg('auto_minor_version_upgrade', 'bool', (i) => i.AutoMinorVersionUpgrade ?? true, 'AutoMinorVersionUpgrade'),
  arg('monitoring_interval', 'int', (i) => i.MonitoringInterval ?? 0, 'MonitoringInterval'),
  arg('performance_insights_enabled', 'bool', (i) => i.PerformanceInsightsEnabled ?? false, 'EnablePerformanceInsights'),
  arg('copy_tags_to_snapshot', 'bool', (i) => i.CopyTagsToSnapshot ?? false, 'CopyTagsToSnapshot'),
  arg('ca_cert_identifier', 'string', (i) => i.CACertificateIdentifier ?? null, 'CACertificateIdentifier'),
];

/** The declared value as the Modify parameter takes it, or undefined when it has the wrong shape. */
function wire(kind: Kind, declared: Known): string | number | boolean | string[] | undefined {
  switch (kind) {
    case 'int': return num(declared);
    case 'bool': return bool(declared);
    case 'strings': return Array.isArray(declared) ? stringsOf(declared) : undefined;
    default: return typeof declared === 'string' ? declared : typeof declared === 'number' ? String(declared) : undefined;
  }
}

/** Writes one argument back with ModifyDBInstance (ApplyImmediately). */
export async function modifyInstance(clients: AwsClients, request: RevertRequest, args: InstanceArg[]): Promise<RevertOutcome> {
  const { attribute, declared, id, live } = request;
  if (attribute === 'tags') return revertServiceTags(request, clients, 'rds', live.arn);
  const input: ModifyDBInstanceCommandInput = { DBInstanceIdentifier: id, ApplyImmediately: true };
  if (attribute === 'engine_version') {
    const write = engineVersionWrite(declared, String(live.attributes.engine_version_actual ?? live.attributes.engine_version ?? ''), request.state.attributes);
    if ('ok' in write) return write;
    Object.assign(input, write);
  } else if (attribute === 'enabled_cloudwatch_logs_exports') {
    input.CloudwatchLogsExportConfiguration = logExportsWrite(declared, live.attributes.enabled_cloudwatch_logs_exports);
  } else {
    const a = args.find((x) => x.name === attribute);
    if (!a?.param) return cannotRevert(attribute);
    const value = wire(a.kind, declared);
    if (value === undefined) return { ok: false, message: `declared ${attribute} is not a ${a.kind === 'strings' ? 'list of strings' : a.kind === 'int' ? 'number' : a.kind === 'bool' ? 'boolean' : 'string'}` };
    Object.assign(input, { [a.param]: value });
  }
  await clients.gate.call('rds:ModifyDBInstance', () => clients.rds.send(new ModifyDBInstanceCommand(input)));
  return { ok: true, message: `${attribute} written back with ModifyDBInstance (applied immediately)` };
}

/** Reads one instance type through the family: its own attributes plus the shared ones. */
export function instanceMember(type: string, attributes: (i: DBInstance, recorded: Record<string, unknown>) => Record<string, unknown>, args: InstanceArg[]): FamilyMember {
  return member<DBInstance>(dbInstancesFamily, {
    keys: (t) => [{ filter: DB_INSTANCE_KEY, value: t.id }],
    pick(t, rows, ctx): LiveEntry {
      const found = rows.lookup({ filter: DB_INSTANCE_KEY, value: t.id });
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const i = found.items[0];
      if (!i) return missingEntry(ctx, t.id, `DB instance ${t.id} does not exist`);
      const recorded = t.state.attributes;
      const out: Record<string, unknown> = {
        identifier: i.DBInstanceIdentifier,
        engine: i.Engine ?? null,
        engine_version: recordedEngineVersion(recorded.engine_version, i.EngineVersion),
        engine_version_actual: i.EngineVersion ?? null,
        tags: userTags(i.TagList),
      };
      for (const a of args) out[a.name] = a.live(i);
      Object.assign(out, attributes(i, recorded));
      const entry = foundEntry(t, type, ctx, out, { arn: i.DBInstanceArn });
      const owner = minorUpgradeOwner(i.Engine ?? '', recorded.engine_version, i.EngineVersion, i.AutoMinorVersionUpgrade ?? true);
      if (owner && entry.status === 'found') entry.resource.ownedAttributes = { engine_version: owner };
      return entry;
    },
  });
}
