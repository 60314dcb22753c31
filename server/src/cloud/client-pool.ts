// Clients per provider target: one set per region and identity, created on first use. A region
// variant of the workspace's identity shares its credentials; a provider `profile` uses the SDK's
// shared-config chain for that profile; `assume_role` uses the SDK's fromTemporaryCredentials on top
// of the identity it starts from. Each set has its own call gate (AWS throttles per region and
// account), and the pool adds their counts up.
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { CallGate, DEFAULT_GATE, GateOptions } from './call-gate';
import { AwsClients, createClients, shared } from './clients';

/** A provider target with its region settled (see RootModule for the fallbacks). */
export interface PoolTarget {
  region: string;
  profile?: string;
  assumeRole?: { roleArn: string; sessionName?: string; externalId?: string; durationSeconds?: number };
}

export function poolKey(t: PoolTarget): string {
  return JSON.stringify([t.region, t.profile ?? '', t.assumeRole?.roleArn ?? '', t.assumeRole?.sessionName ?? '', t.assumeRole?.externalId ?? '', t.assumeRole?.durationSeconds ?? '']);
}

/** True when the target signs with other credentials than the workspace's own. */
export function ownIdentity(t: PoolTarget): boolean {
  return Boolean(t.profile || t.assumeRole);
}

export class ClientPool {
  private readonly sets = new Map<string, Promise<AwsClients>>();
  private readonly made: AwsClients[] = [];
  /** Gates that count credential calls (AssumeRole), by the region of the set they serve. */
  private readonly credentialGates: Array<{ region: string; gate: CallGate }> = [];

  constructor(readonly base: AwsClients, private readonly gate: GateOptions = DEFAULT_GATE) {
    this.sets.set(poolKey({ region: base.region }), Promise.resolve(base));
    this.made.push(base);
  }

  clientsFor(t: PoolTarget): Promise<AwsClients> {
    const key = poolKey(t);
    let set = this.sets.get(key);
    if (!set) {
      set = this.create(t);
      this.sets.set(key, set);
    }
    return set;
  }

  private async create(t: PoolTarget): Promise<AwsClients> {
    const gate = new CallGate(this.gate);
    let credentials: AwsClients['credentials'] = this.base.credentials;
    // An explicit profile wins over environment keys, as the SDK's chain does when given one.
    if (t.profile) credentials = shared(fromNodeProviderChain({ profile: t.profile }));
    if (t.assumeRole) {
      const r = t.assumeRole;
      const assumed = fromTemporaryCredentials({
        params: { RoleArn: r.roleArn, ...(r.sessionName ? { RoleSessionName: r.sessionName } : {}), ...(r.externalId ? { ExternalId: r.externalId } : {}), ...(r.durationSeconds ? { DurationSeconds: r.durationSeconds } : {}) },
        masterCredentials: credentials,
        clientConfig: { region: t.region, ...(this.base.target.endpoints.sts ? { endpoint: this.base.target.endpoints.sts } : {}), maxAttempts: 1 },
      });
      // Counted and retried on a gate of its own: the calls waiting for these credentials hold slots of the set's gate.
      const credentialGate = new CallGate(this.gate);
      this.credentialGates.push({ region: t.region, gate: credentialGate });
      const provider: AwsCredentialIdentityProvider = () => credentialGate.call('sts:AssumeRole', () => assumed());
      credentials = shared(provider);
    }
    const clients = await createClients({ ...this.base.target, region: t.region, ...(t.profile ? { profile: t.profile } : {}) }, { credentials, callGate: gate });
    this.made.push(clients);
    return clients;
  }

  /** Every client set made so far (the base first). */
  all(): AwsClients[] {
    return [...this.made];
  }

  private gates(): Array<{ region: string; gate: CallGate }> {
    return [...this.made.map((c) => ({ region: c.region, gate: c.gate })), ...this.credentialGates];
  }

  totalCalls(): number {
    return this.gates().reduce((n, g) => n + g.gate.totalCalls(), 0);
  }

  stats(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { gate } of this.gates()) for (const [op, n] of Object.entries(gate.stats())) out[op] = (out[op] ?? 0) + n;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Calls per region, for reports. */
  callsByRegion(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { region, gate } of this.gates()) out[region] = (out[region] ?? 0) + gate.totalCalls();
    return out;
  }
}
