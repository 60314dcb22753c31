// Reads instances through the clients of the provider target each one uses: one LiveReader (and so
// one batched plan) per region and identity, all in parallel, merged into one snapshot. A target
// whose clients or credentials cannot be had (assume role refused, no region) leaves its instances
// not checked with the reason; the other targets are still read.
import type { StateInstance } from '../model';
import { LiveSnapshot, NotChecked } from '../drift/snapshot';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from './clients';
import { describeError } from './errors';
import { ClientPool, ownIdentity, poolKey, PoolTarget } from './client-pool';
import { InstanceReader, LiveReader, ReaderOptions, ReadOptions, ReadResult } from './reader';
import type { ResourceType } from './types/resource-type';

export interface RoutedTarget {
  target: PoolTarget;
  /** The provider configurations it stands for, for messages (`provider aws.west (providers.tf:9)`). */
  label: string;
  instances: StateInstance[];
}

export interface Routing {
  targets: RoutedTarget[];
  /** Instances whose provider cannot be read, with the reason. */
  unreadable: NotChecked[];
}

/** Types whose API is global (IAM, Route 53 zones and records): one read per identity, whatever the region. */
export function isGlobalType(type: string): boolean {
  return type.startsWith('aws_iam_') || (type.startsWith('aws_route53_') && !type.startsWith('aws_route53_resolver'));
}

export class RegionalReader implements InstanceReader {
  /** Identity checks of targets with their own credentials: one STS call each, once. */
  private readonly identities = new Map<string, Promise<unknown>>();
  /**
   * The target each instance address was last read through. Attribution and revert ask for it per
   * drift; routing one instance means evaluating every provider configuration and module call of the
   * workspace, so a check with many drifts would pay that once per drift.
   */
  private lastTargets = new Map<string, PoolTarget>();

  constructor(
    private readonly pool: ClientPool,
    private readonly types: ReadonlyMap<string, ResourceType>,
    private readonly route: (instances: StateInstance[]) => Routing,
    private readonly readerOptions: ReaderOptions = {},
  ) {}

  async read(instances: StateInstance[], options: ReadOptions = {}): Promise<ReadResult> {
    const now = (options.now ?? (() => new Date()))().toISOString();
    const routing = this.globalOnce(this.route(instances));
    // A read of at least as many instances as remembered replaces the memory (addresses gone from state go with it).
    if (instances.length >= this.lastTargets.size) this.lastTargets = new Map();
    for (const t of routing.targets) for (const i of t.instances) this.lastTargets.set(i.address, t.target);
    const base = this.pool.base;
    const targets = [...routing.targets];
    const listing = Boolean(options.unmanagedTags || options.listTypes?.length);
    if (listing && !targets.some((t) => poolKey(t.target) === poolKey({ region: base.region }))) targets.push({ target: { region: base.region }, label: 'the default provider', instances: [] });
    // Unmanaged objects are listed once per region, by the workspace's own identity where it reads that region.
    const lister = new Map<string, RoutedTarget>();
    for (const t of [...targets].sort((a, b) => Number(ownIdentity(a.target)) - Number(ownIdentity(b.target)))) if (!lister.has(t.target.region)) lister.set(t.target.region, t);

    const snapshot = new LiveSnapshot();
    snapshot.region = base.region;
    snapshot.notChecked = [...routing.unreadable];
    const result: ReadResult = { snapshot, tagged: [], failures: [] };
    await Promise.all(targets.map(async (t) => {
      const isBase = poolKey(t.target) === poolKey({ region: base.region });
      let clients: AwsClients;
      try {
        clients = await this.pool.clientsFor(t.target);
        if (ownIdentity(t.target)) await this.identity(t.target, clients);
      } catch (error) {
        const f = describeError(error);
        const how = t.target.assumeRole ? `assuming role ${t.target.assumeRole.roleArn} failed` : t.target.profile ? `profile ${t.target.profile} failed` : 'no clients';
        const reason = `${t.label}: ${how}: ${f.code}: ${f.message}`;
        for (const i of t.instances) snapshot.notChecked.push({ address: i.address, type: i.type, reason });
        result.failures.push(reason);
        return;
      }
      const own = await new LiveReader(clients, this.types, this.readerOptions).read(t.instances, {
        ...options,
        unmanagedTags: lister.get(t.target.region) === t ? options.unmanagedTags : undefined,
        listTypes: isBase ? options.listTypes : undefined,
        known: options.known ?? instances,
      });
      for (const address of own.snapshot.addresses()) snapshot.set(address, own.snapshot.get(address)!);
      snapshot.notChecked.push(...own.snapshot.notChecked);
      snapshot.unmanaged.push(...own.snapshot.unmanaged);
      result.tagged.push(...own.tagged);
      result.failures.push(...(isBase ? own.failures : own.failures.map((f) => `${t.label}: ${f}`)));
      if (own.fatal) {
        if (isBase) result.fatal = own.fatal;
        else result.failures.push(`${t.label}: ${own.fatal}`);
      }
    }));
    snapshot.readAt = now;
    return result;
  }

  /** One STS call proves a target's own credentials (and so its assume_role) work before its reads. */
  private identity(target: PoolTarget, clients: AwsClients): Promise<unknown> {
    const key = poolKey(target);
    let check = this.identities.get(key);
    if (!check) {
      check = clients.gate.call('sts:GetCallerIdentity', () => clients.sts.send(new GetCallerIdentityCommand({})));
      this.identities.set(key, check);
      // A refusal is remembered for this read only: the next refresh may find the role fixed.
      check.catch(() => this.identities.delete(key));
    }
    return check;
  }

  /**
   * Global types of every region's targets move to the same identity's target in the base region,
   * so IAM is read once per identity, not once per region.
   */
  private globalOnce(routing: Routing): Routing {
    const region = this.pool.base.region;
    const targets = new Map<string, RoutedTarget>();
    const put = (target: PoolTarget, label: string, instance?: StateInstance) => {
      const key = poolKey(target);
      let t = targets.get(key);
      if (!t) targets.set(key, (t = { target, label, instances: [] }));
      else if (!t.label.includes(label)) t.label = `${t.label}, ${label}`;
      if (instance) t.instances.push(instance);
    };
    for (const t of routing.targets) {
      for (const i of t.instances) put(isGlobalType(i.type) ? { ...t.target, region } : t.target, t.label, i);
      if (t.instances.length === 0) put(t.target, t.label);
    }
    return { targets: [...targets.values()], unreadable: routing.unreadable };
  }

  /** The clients that read this instance's last routed target (revert writes through them). */
  async clientsOf(instance: StateInstance): Promise<AwsClients | undefined> {
    const last = this.lastTargets.get(instance.address);
    if (last) return this.pool.clientsFor(last);
    const t = this.globalOnce(this.route([instance])).targets[0];
    return t ? this.pool.clientsFor(t.target) : undefined;
  }
}
