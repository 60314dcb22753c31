// Plans and runs the live read: ids come from state, grouped by type, then each type reads its
// batch (EC2 by id filters, S3/IAM per object under the gate's concurrency cap). The Tagging API
// supplies tags where the service has no cheap batch read (S3) and finds unmanaged objects.
import { GetResourcesCommand, ResourceTagMapping } from '@aws-sdk/client-resource-groups-tagging-api';
import type { LiveResource, StateInstance } from '../model';
import { LiveEntry, LiveSnapshot, NotChecked } from '../drift/snapshot';
import type { AwsClients } from './clients';
import { chunk, failureText, userTags } from './types/common';
import type { FamilyKey, FamilyRows, ReadFamily } from './families/family';
import type { InstancesByType, ReadContext, ReadTarget, ResourceType } from './types/resource-type';

export interface ReadOptions {
  /** Declared arguments per resource address (see declaredNeeds). */
  needs?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Objects carrying all these tags but absent from state are listed as unmanaged. */
  unmanagedTags?: Record<string, string>;
  /** Types to list by tag for matching without state (see inferInstances). */
  listTypes?: string[];
  now?: () => Date;
  /** Every instance of the workspace, when this read covers only some (one region): none of them is unmanaged. */
  known?: StateInstance[];
}

export interface ReadResult {
  snapshot: LiveSnapshot;
  /** Objects listed by the Tagging API (unmanaged scope or inference listing). */
  tagged: LiveResource[];
  /** Set when the scan stopped being able to call AWS at all (e.g. credentials expired mid-scan). */
  fatal?: string;
  /** Reads that failed for some objects (those objects are unknown). */
  failures: string[];
}

export interface ReaderOptions {
  /**
   * Read each resource with its own calls (one-element batches), the way `terraform plan
   * -refresh-only` refreshes resource by resource. Only the benchmarks use it, as the baseline
   * the batched read is measured against.
   */
  perResource?: boolean;
}

/** Types whose tags are taken from the Tagging API instead of a per-object call. */
const TAGS_FROM_TAGGING = new Set(['aws_s3_bucket', 'aws_sqs_queue', 'aws_lb', 'aws_lb_target_group', 'aws_cloudwatch_event_rule', 'aws_cloudwatch_event_bus', 'aws_sns_topic', 'aws_cloudwatch_metric_alarm', 'aws_lambda_function', 'aws_acm_certificate',
  'aws_db_subnet_group', 'aws_db_parameter_group', 'aws_rds_cluster_parameter_group', 'aws_dynamodb_table',
  'aws_elasticache_subnet_group', 'aws_elasticache_parameter_group', 'aws_elasticache_replication_group',
  'aws_kms_key', 'aws_cloudwatch_log_group', 'aws_route53_zone', 'aws_route53_health_check']);

/** What reads live state for a list of instances: one region's LiveReader, or a reader over several. */
export interface InstanceReader {
  read(instances: StateInstance[], options?: ReadOptions): Promise<ReadResult>;
}

export class LiveReader implements InstanceReader {
  constructor(private readonly clients: AwsClients, private readonly types: ReadonlyMap<string, ResourceType>, private readonly readerOptions: ReaderOptions = {}) {}

  /**
   * Reads every target: the members of each read family through one load of that family with the
   * keys of all of them (planned once per read), a type without a family through its own read.
   * With `perResource`, each target is read alone instead (the benchmarks' baseline).
   */
  private async readPlanned(byType: Map<ResourceType, ReadTarget[]>, ctx: ReadContext, failures: string[], declared?: InstancesByType): Promise<{ entries: Map<string, LiveEntry>; members: LiveResource[] }> {
    const result = new Map<string, LiveEntry>();
    // Each use of a family: the keys it needs, and what to do with the rows once loaded.
    const byFamily = new Map<ReadFamily<unknown>, Array<{ keys: FamilyKey[]; use(rows: FamilyRows<unknown>): void }>>();
    const plan = (family: ReadFamily<unknown>, keys: FamilyKey[], use: (rows: FamilyRows<unknown>) => void) => {
      const list = byFamily.get(family) ?? [];
      list.push({ keys, use });
      byFamily.set(family, list);
    };
    const containers: Array<{ type: ResourceType; target: ReadTarget; rows?: FamilyRows<unknown> }> = [];
    const own: Array<[ResourceType, ReadTarget[]]> = [];
    for (const [type, targets] of byType) {
      const member = type.family;
      const members = declared ? type.members : undefined;
      if (members) {
        for (const target of targets) {
          if (members.managesMembers && !members.managesMembers(target, declared!)) continue;
          const c: (typeof containers)[number] = { type, target };
          containers.push(c);
          plan(members.family, members.keys(target), (rows) => { c.rows = rows; });
        }
      }
      if (!member) {
        own.push([type, targets]);
        continue;
      }
      for (const target of targets) {
        const keys = member.keys(target);
        if (typeof keys === 'string') {
          result.set(target.address, { status: 'unknown', reason: keys, readAt: ctx.now });
          continue;
        }
        plan(member.family, keys, (rows) => {
          try {
            result.set(target.address, member.pick(target, rows, ctx));
          } catch (error) {
            result.set(target.address, { status: 'unknown', reason: `${type.type}: ${failureText(error)}`, readAt: ctx.now });
          }
        });
      }
    }
    const perResource = Boolean(this.readerOptions.perResource);
    await Promise.all([
      ...[...byFamily.entries()].map(async ([family, uses]) => {
        const groups = perResource ? uses.map((u) => [u]) : [uses];
        await Promise.all(groups.map(async (group) => {
          const rows = await family.load(group.flatMap((u) => u.keys), ctx);
          for (const u of group) u.use(rows);
        }));
      }),
      ...own.map(async ([type, targets]) => {
        const read = type.read;
        let entries: Map<string, LiveEntry>;
        try {
          if (!read) throw new Error(`resource type ${type.type} has neither a read family nor its own read`);
          entries = perResource
            ? new Map((await Promise.all(targets.map((t) => read.call(type, [t], ctx)))).flatMap((m) => [...m.entries()]))
            : await read.call(type, targets, ctx);
        } catch (error) {
          const reason = failureText(error);
          failures.push(`${type.type}: ${reason}`);
          entries = new Map(targets.map((t) => [t.address, { status: 'unknown', reason, readAt: ctx.now }]));
        }
        for (const t of targets) result.set(t.address, entries.get(t.address) ?? { status: 'unknown', reason: 'not returned by the reader', readAt: ctx.now });
      }),
    ]);
    // Members of managed containers that nothing declares (only for containers that exist live).
    const members: LiveResource[] = [];
    for (const c of containers) {
      const entry = result.get(c.target.address);
      if (entry?.status !== 'found' || !c.rows || !declared) continue;
      members.push(...c.type.members!.unmanaged(c.target, entry.resource, c.rows, declared, ctx));
    }
    return { entries: result, members };
  }

  private targetsFor(instances: StateInstance[], needs: ReadOptions['needs']): { byType: Map<ResourceType, ReadTarget[]>; notChecked: NotChecked[]; noId: ReadTarget[] } {
    const byType = new Map<ResourceType, ReadTarget[]>();
    const notChecked: NotChecked[] = [];
    const noId: ReadTarget[] = [];
    for (const inst of instances) {
      const type = this.types.get(inst.type);
      if (!type) {
        notChecked.push({ address: inst.address, type: inst.type, reason: `resource type ${inst.type} is not supported by Tidemark` });
        continue;
      }
      const id = type.idFromState(inst.attributes);
      const arn = typeof inst.attributes.arn === 'string' ? inst.attributes.arn : undefined;
      const target: ReadTarget = { address: inst.address, id: id ?? '', arn, state: inst, needs: needs?.get(inst.resourceAddress) };
      if (!id) {
        noId.push(target);
        continue;
      }
      const list = byType.get(type) ?? [];
      list.push(target);
      byType.set(type, list);
    }
    return { byType, notChecked, noId };
  }

  /** Reads every given instance (a full scan, or an incremental refresh of a few). */
  async read(instances: StateInstance[], options: ReadOptions = {}): Promise<ReadResult> {
    const now = (options.now ?? (() => new Date()))().toISOString();
    const snapshot = new LiveSnapshot();
    snapshot.region = this.clients.region;
    const failures: string[] = [];
    const { byType, notChecked, noId } = this.targetsFor(instances, options.needs);
    snapshot.notChecked = notChecked;
    for (const t of noId) snapshot.set(t.address, { status: 'unknown', reason: 'state records no id for this instance', readAt: now });

    const tagsByArn = new Map<string, Record<string, string>>();
    const tagged: LiveResource[] = [];
    const listTypes = [...new Set(options.listTypes ?? [])];
    if (options.unmanagedTags || listTypes.length) {
      await this.listTagged(options.unmanagedTags, listTypes, now, tagsByArn, tagged, failures);
    }
    // Tag-only reads by ARN list, 100 ARNs per page, for what the listing did not already cover.
    const arns = [...byType.entries()]
      .filter(([type]) => TAGS_FROM_TAGGING.has(type.type))
      .flatMap(([, targets]) => targets.map((t) => t.arn))
      .filter((a): a is string => Boolean(a) && !tagsByArn.has(a as string));
    if (arns.length) await this.tagsByArnList(arns, tagsByArn, failures);

    const ctx: ReadContext = { clients: this.clients, tagsByArn, now };
    const { entries, members } = await this.readPlanned(byType, ctx, failures, instancesByType(instances));
    for (const targets of byType.values()) {
      for (const t of targets) {
        const entry = entries.get(t.address) ?? { status: 'unknown', reason: 'not returned by the reader', readAt: now };
        snapshot.set(t.address, entry);
      }
    }

    if (options.unmanagedTags) snapshot.unmanaged = await this.readFully(this.unmanaged(tagged, options.known ?? instances, options.unmanagedTags), ctx);
    snapshot.unmanaged.push(...members);
    snapshot.readAt = now;
    for (const address of snapshot.addresses()) {
      const e = snapshot.get(address);
      if (e?.status === 'unknown' && !failures.includes(e.reason)) failures.push(`${address}: ${e.reason}`);
    }
    const fatal = this.clients.gate.fatal;
    return { snapshot, tagged, failures, fatal: fatal ? `AWS credentials stopped working during the scan: ${fatal.failure.code}: ${fatal.failure.message}` : undefined };
  }

  private typeOfArn(arn: string): { type: ResourceType; id: string } | undefined {
    // Rule ARNs are shared by the ingress and egress rule types: their direction is not in the ARN.
    const shared = new Set<string>();
    const seen = new Set<string>();
    for (const t of this.types.values()) {
      if (!t.taggingType) continue;
      if (seen.has(t.taggingType)) shared.add(t.taggingType);
      seen.add(t.taggingType);
    }
    for (const t of this.types.values()) {
      if (!t.taggingType || shared.has(t.taggingType)) continue;
      const id = t.idFromArn?.(arn);
      if (id) return { type: t, id };
    }
    return undefined;
  }

  private async listTagged(scopeTags: Record<string, string> | undefined, listTypes: string[], now: string, tagsByArn: Map<string, Record<string, string>>, tagged: LiveResource[], failures: string[]): Promise<void> {
    const filters = [...new Set([...(scopeTags ? [...this.types.values()].map((t) => t.type) : []), ...listTypes])]
      .map((name) => this.types.get(name)?.taggingType)
      .filter((t): t is string => Boolean(t));
    if (filters.length === 0) return;
    const TagFilters = scopeTags && !listTypes.length ? Object.entries(scopeTags).map(([Key, v]) => ({ Key, Values: [v] })) : undefined;
    try {
      let token: string | undefined;
      do {
        const out = await this.clients.gate.call('tagging:GetResources', () =>
          this.clients.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: [...new Set(filters)], TagFilters, ResourcesPerPage: 100, PaginationToken: token || undefined })));
        for (const m of out.ResourceTagMappingList ?? []) this.addMapping(m, now, tagsByArn, tagged);
        token = out.PaginationToken;
      } while (token);
    } catch (error) {
      failures.push(`listing tagged resources: ${failureText(error)}`);
    }
  }

  private addMapping(m: ResourceTagMapping, now: string, tagsByArn: Map<string, Record<string, string>>, tagged: LiveResource[]): void {
    if (!m.ResourceARN) return;
    const tags = userTags(m.Tags);
    tagsByArn.set(m.ResourceARN, tags);
    const match = this.typeOfArn(m.ResourceARN);
    if (match) tagged.push({ type: match.type.type, address: '', id: match.id, arn: m.ResourceARN, attributes: { tags }, readAt: now });
  }

  private async tagsByArnList(arns: string[], tagsByArn: Map<string, Record<string, string>>, failures: string[]): Promise<void> {
    await Promise.all(
      chunk(arns, this.readerOptions.perResource ? 1 : 100).map(async (group) => {
        try {
          let token: string | undefined;
          do {
            const out = await this.clients.gate.call('tagging:GetResources', () =>
              this.clients.tagging.send(new GetResourcesCommand({ ResourceARNList: group, PaginationToken: token || undefined })));
            for (const m of out.ResourceTagMappingList ?? []) if (m.ResourceARN) tagsByArn.set(m.ResourceARN, userTags(m.Tags));
            token = out.PaginationToken;
          } while (token);
        } catch (error) {
          // Not fatal: types fall back to their own per-object tag reads.
          failures.push(`tags by ARN: ${failureText(error)}`);
        }
      }),
    );
  }

  /**
   * The listing only knows an unmanaged object's tags; one batched read per type gets the rest, so
   * Import can write a complete resource block. An object that cannot be read keeps its listing.
   */
  private async readFully(objects: LiveResource[], ctx: ReadContext): Promise<LiveResource[]> {
    const byType = new Map<ResourceType, ReadTarget[]>();
    for (const o of objects) {
      const type = this.types.get(o.type);
      if (!type) continue;
      const address = `${o.type}.${type.suggestName(o)}`;
      const state: StateInstance = { address, resourceAddress: address, type: o.type, name: '', module: '', attributes: {} };
      byType.set(type, [...(byType.get(type) ?? []), { address: o.id, id: o.id, arn: o.arn, state }]);
    }
    const full = new Map<string, LiveResource>();
    const { entries } = await this.readPlanned(byType, ctx, []).catch(() => ({ entries: new Map<string, LiveEntry>() }));
    for (const [type, targets] of byType) {
      for (const t of targets) {
        const e = entries.get(t.address);
        if (e?.status === 'found') full.set(`${type.type}:${t.id}`, e.resource);
      }
    }
    return objects.map((o) => {
      const read = full.get(`${o.type}:${o.id}`);
      return read ? { ...o, attributes: { ...read.attributes, tags: o.attributes.tags } } : o;
    });
  }

  private unmanaged(tagged: LiveResource[], instances: StateInstance[], scopeTags: Record<string, string>): LiveResource[] {
    const known = new Set<string>();
    for (const i of instances) {
      const type = this.types.get(i.type);
      const id = type?.idFromState(i.attributes);
      if (id) known.add(`${i.type}:${id}`);
      if (typeof i.attributes.arn === 'string') known.add(i.attributes.arn);
    }
    return tagged.filter((l) => {
      const tags = (l.attributes.tags ?? {}) as Record<string, string>;
      const inScope = Object.entries(scopeTags).every(([k, v]) => tags[k] === v);
      return inScope && !known.has(`${l.type}:${l.id}`) && !(l.arn && known.has(l.arn));
    });
  }
}

function instancesByType(instances: StateInstance[]): InstancesByType {
  const out = new Map<string, StateInstance[]>();
  for (const i of instances) {
    const list = out.get(i.type);
    if (list) list.push(i);
    else out.set(i.type, [i]);
  }
  return out;
}
