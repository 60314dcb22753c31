// aws_db_parameter_group and aws_rds_cluster_parameter_group: one DescribeDB(Cluster)ParameterGroups
// listing of the region (the call has no filters; 100 groups a page), and the group's parameters
// only when the block declares `parameter` — then one DescribeDB(Cluster)Parameters listing with
// Source=user (RDS has hundreds of system parameters), plus the system values of names the state
// records but the user listing lacks (the provider includes those too, so a declared default is
// not drift). The parameter set compares by name and value, as the provider's set hash does.
import {
  DescribeDBClusterParameterGroupsCommand, DescribeDBClusterParametersCommand, DescribeDBParameterGroupsCommand, DescribeDBParametersCommand,
  ModifyDBClusterParameterGroupCommand, ModifyDBParameterGroupCommand, ResetDBClusterParameterGroupCommand, ResetDBParameterGroupCommand,
  type ApplyMethod, type Parameter,
} from '@aws-sdk/client-rds';
import type { AwsClients } from '../clients';
import { blocksOf } from './blocks';
import { cannotRevert, chunk, foundEntry, labelFrom } from './common';
import { MANAGED_BY_TERRAFORM } from './aws_db_subnet_group';
import { declaredParameters, lowerId, listByName, parameterAtoms, parameterPhrases, readFromListing, revertServiceTags, tagsOf } from './rds-common';
import type { ReadContext, ResourceType, RevertOutcome, RevertRequest } from './resource-type';

export type ParameterGroupKind = 'db' | 'cluster';

interface GroupRow {
  name?: string;
  family?: string;
  description?: string;
  arn?: string;
}

/** Every parameter of a group from one source, following Marker pages. */
async function listParameters(ctx: ReadContext, kind: ParameterGroupKind, name: string, source: 'user' | 'system'): Promise<Parameter[]> {
  const out: Parameter[] = [];
  let marker: string | undefined;
  do {
    const page = kind === 'db'
      ? await ctx.clients.gate.call('rds:DescribeDBParameters', () => ctx.clients.rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: name, Source: source, Marker: marker, MaxRecords: 100 })))
      : await ctx.clients.gate.call('rds:DescribeDBClusterParameters', () => ctx.clients.rds.send(new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: name, Source: source, Marker: marker, MaxRecords: 100 })));
    out.push(...(page.Parameters ?? []));
    marker = page.Marker;
  } while (marker);
  return out;
}

const parameterBlock = (p: Parameter) => ({ name: (p.ParameterName ?? '').toLowerCase(), value: p.ParameterValue ?? '', apply_method: p.ApplyMethod ?? 'immediate' });

/** The group's parameters as the provider reads them: user-set ones, plus system ones the state names. */
async function liveParameters(ctx: ReadContext, kind: ParameterGroupKind, name: string, recorded: unknown) {
  const user = (await listParameters(ctx, kind, name, 'user')).map(parameterBlock);
  const have = new Set(user.map((p) => p.name));
  const wanted = new Set(blocksOf(recorded).map((p) => String(p.name ?? '').toLowerCase()).filter((n) => n && !have.has(n)));
  if (wanted.size === 0) return user;
  const system = (await listParameters(ctx, kind, name, 'system')).map(parameterBlock).filter((p) => wanted.has(p.name));
  return [...user, ...system];
}

async function modify(clients: AwsClients, kind: ParameterGroupKind, name: string, params: Parameter[], reset: boolean): Promise<void> {
  for (const Parameters of chunk(params, 20)) {
    if (kind === 'db') {
      if (reset) await clients.gate.call('rds:ResetDBParameterGroup', () => clients.rds.send(new ResetDBParameterGroupCommand({ DBParameterGroupName: name, Parameters })));
      else await clients.gate.call('rds:ModifyDBParameterGroup', () => clients.rds.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: name, Parameters })));
    } else if (reset) {
      await clients.gate.call('rds:ResetDBClusterParameterGroup', () => clients.rds.send(new ResetDBClusterParameterGroupCommand({ DBClusterParameterGroupName: name, Parameters })));
    } else {
      await clients.gate.call('rds:ModifyDBClusterParameterGroup', () => clients.rds.send(new ModifyDBClusterParameterGroupCommand({ DBClusterParameterGroupName: name, Parameters })));
    }
  }
}

/**
 * Writes the declared parameter set back: declared values that differ are set (with the declared
 * apply method, `immediate` by default as in the provider), user-set parameters nobody declares
 * are reset to their defaults.
 */
async function revertParameters(request: RevertRequest, clients: AwsClients, kind: ParameterGroupKind): Promise<RevertOutcome> {
  const want = declaredParameters(request.declared);
  if (!want) return { ok: false, message: 'declared parameter is not a list of parameter blocks' };
  const have = new Map(blocksOf(request.live.attributes.parameter).map((p) => [String(p.name), { value: String(p.value ?? ''), applyMethod: String(p.apply_method ?? 'immediate') }]));
  const set: Parameter[] = [...want].filter(([n, p]) => have.get(n)?.value !== p.value)
    .map(([n, p]) => ({ ParameterName: n, ParameterValue: p.value, ApplyMethod: (p.applyMethod ?? 'immediate') as ApplyMethod }));
  const reset: Parameter[] = [...have].filter(([n]) => !want.has(n)).map(([n, p]) => ({ ParameterName: n, ApplyMethod: p.applyMethod as ApplyMethod }));
  if (set.length) await modify(clients, kind, request.id, set, false);
  if (reset.length) await modify(clients, kind, request.id, reset, true);
  return { ok: true, message: `parameters restored (${set.length} set, ${reset.length} reset to the default)` };
}

export function rdsParameterGroupType(kind: ParameterGroupKind): ResourceType {
  const type = kind === 'db' ? 'aws_db_parameter_group' : 'aws_rds_cluster_parameter_group';
  const what = kind === 'db' ? 'DB parameter group' : 'DB cluster parameter group';
  return {
    type,
    tags: true,
    taggingType: kind === 'db' ? 'rds:pg' : 'rds:cluster-pg',
    attributes: [
      { name: 'name', compare: 'scalar', forceNew: true },
      { name: 'family', compare: 'scalar', forceNew: true },
      { name: 'description', compare: 'scalar', default: MANAGED_BY_TERRAFORM, forceNew: true },
      { name: 'parameter', compare: 'blocks', normalize: parameterAtoms, phrases: parameterPhrases },
    ],
    notCompared: {
      name_prefix: 'a Terraform-side naming input; the name it produced is compared',
      'parameter.apply_method': 'how a change is applied (now or at the next reboot), not a setting: the provider leaves it out of the comparison too',
      ...(kind === 'db' ? { skip_destroy: 'Terraform-side: what destroy does' } : {}),
      arn: 'computed by AWS',
    },
    idFromState: (a) => lowerId(a.name) ?? lowerId(a.id),
    idFromArn: (arn) => new RegExp(`^arn:aws[\\w-]*:rds:[^:]+:\\d{12}:${kind === 'db' ? 'pg' : 'cluster-pg'}:(.+)$`).exec(arn)?.[1],
    importId: (live) => live.id,
    suggestName: (live) => labelFrom(live, live.id),

    async read(targets, ctx) {
      const listing = kind === 'db'
        ? await listByName(ctx, 'rds:DescribeDBParameterGroups',
          (Marker) => ctx.clients.rds.send(new DescribeDBParameterGroupsCommand({ Marker, MaxRecords: 100 })),
          (p) => p.DBParameterGroups?.map((g): GroupRow => ({ name: g.DBParameterGroupName, family: g.DBParameterGroupFamily, description: g.Description, arn: g.DBParameterGroupArn })),
          (p) => p.Marker, (g) => g.name)
        : await listByName(ctx, 'rds:DescribeDBClusterParameterGroups',
          (Marker) => ctx.clients.rds.send(new DescribeDBClusterParameterGroupsCommand({ Marker, MaxRecords: 100 })),
          (p) => p.DBClusterParameterGroups?.map((g): GroupRow => ({ name: g.DBClusterParameterGroupName, family: g.DBParameterGroupFamily, description: g.Description, arn: g.DBClusterParameterGroupArn })),
          (p) => p.Marker, (g) => g.name);
      return readFromListing(targets, ctx, listing, what, async (t, g) => {
        const attributes: Record<string, unknown> = {
          name: g.name ?? t.id, family: g.family ?? '', description: g.description ?? '',
          tags: g.arn ? await tagsOf(ctx, 'rds', g.arn) : {},
        };
        if (!t.needs || t.needs.has('parameter')) attributes.parameter = await liveParameters(ctx, kind, g.name ?? t.id, t.state.attributes.parameter);
        return foundEntry(t, type, ctx, attributes, { arn: g.arn });
      });
    },

    async revert(request, clients) {
      if (request.attribute === 'tags') return revertServiceTags(request, clients, 'rds', request.live.arn);
      if (request.attribute === 'parameter') return revertParameters(request, clients, kind);
      return cannotRevert(request.attribute);
    },
  };
}
