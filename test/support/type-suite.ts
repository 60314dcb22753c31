// The per-type contract as one table-driven suite: a sandbox started from the demo scenario, the
// live objects a case creates through the real SDK, and then
//   1. the provider-shaped state (defaults and computed attributes as `terraform apply` leaves
//      them) against matching live objects → no drift;
//   2. per change: one live change → drift on exactly the named attribute(s) → the type's writer
//      reverts it (or reports why it cannot) → a fresh read is clean;
//   3. per removal: a live change that makes the object gone → the resource reads as missing.
// The sandbox is stopped after the suite whatever its outcome.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxHandle } from '../../sandbox/src/index';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import { AwsClients, createClients } from '../../server/src/cloud/clients';
import { LiveReader } from '../../server/src/cloud/reader';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { LiveSnapshot } from '../../server/src/drift/snapshot';
import type { StateInstance } from '../../server/src/model';
import { driftsOf, revertAll } from '../cloud/type-check-helpers';
import { keyOf, startDemo, type Credentials } from '../sandbox/helpers';
import type { Scenario } from '../../sandbox/src/index';

export interface SuiteEnv {
  sandbox: SandboxHandle;
  scenario: Scenario;
  credentials: Credentials;
  /** Tidemark's own clients (the reader and the writers use these). */
  clients: AwsClients;
  /** An SDK client of any service pointed at the sandbox, e.g. `env.sdk(EC2Client)`. */
  sdk<C>(ctor: new (config: SdkConfig) => C): C;
}

export interface SdkConfig {
  endpoint: string;
  region: string;
  credentials: Credentials;
  forcePathStyle: boolean;
}

export interface LiveChange {
  /** `address attribute` of each drift the change must cause (exactly these), `address missing` for an object it makes gone. */
  drifts: string[];
  change(): Promise<unknown>;
  /** Set when the writer cannot revert: a pattern its message must match; the change is then undone by `undo`. */
  unrevertable?: RegExp;
  undo?(): Promise<unknown>;
}

export interface Removal {
  /** The address that must read as missing after `change`. */
  missing: string;
  change(): Promise<unknown>;
}

export interface TypeSuite {
  /** Actions carol is allowed on top of the demo's (e.g. `autoscaling:*`). */
  actions?: string[];
  /** Creates the live objects (ids go into the suite's own closure). */
  setup(env: SuiteEnv): Promise<void>;
  /** The provider-shaped state of the created objects. */
  state(): StateInstance[];
  changes: Record<string, LiveChange>;
  removals?: Record<string, Removal>;
}

export function inst(type: string, name: string, attributes: Record<string, unknown>): StateInstance {
  return { address: `${type}.${name}`, resourceAddress: `${type}.${name}`, type, name, module: '', attributes };
}

/**
 * Reads the state's objects through the live reader (families planned once, as in a check), with
 * every argument the state records counted as declared (types read some arguments only then).
 */
export async function readLive(clients: AwsClients, state: StateInstance[], options: { declared: boolean } = { declared: true }): Promise<LiveSnapshot> {
  const needs = options.declared ? new Map(state.map((i) => [i.address, new Set(Object.keys(i.attributes))])) : undefined;
  const result = await new LiveReader(clients, RESOURCE_TYPES).read(state, needs ? { needs } : undefined);
  assert.deepEqual(result.failures, []);
  return result.snapshot;
}

/** `address attribute` of every drift, and `address missing` for each object that is gone. */
function outcomeOf(state: StateInstance[], snapshot: LiveSnapshot): string[] {
  const found = state.filter((i) => snapshot.get(i.address)?.status === 'found');
  const missing = state.filter((i) => snapshot.get(i.address)?.status === 'missing').map((i) => `${i.address} missing`);
  const other = state.filter((i) => !['found', 'missing'].includes(String(snapshot.get(i.address)?.status)));
  assert.deepEqual(other.map((i) => `${i.address}: ${JSON.stringify(snapshot.get(i.address))}`), [], 'every object reads as found or missing');
  return [...driftsOf(RESOURCE_TYPES, found, snapshot), ...missing].sort();
}

/** The demo world as carol (the legacy admin), also allowed the given actions (e.g. `autoscaling:*`). */
export async function startTypeSandbox(actions: string[] = []): Promise<SuiteEnv> {
  const { sandbox, scenario } = await startDemo({}, (s) => {
    if (actions.length === 0) return;
    const carol = s.users?.find((u) => u.name === 'carol');
    if (!carol) throw new Error('the demo scenario has no user carol');
    carol.policies = { ...carol.policies, 'types-under-test': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } };
  });
  const credentials = keyOf(scenario, 'carol');
  try {
    const clients = await createClients(resolveAwsTarget({ region: sandbox.region, endpoint: sandbox.endpoint }, {}, undefined), { credentials });
    return {
      sandbox, scenario, credentials, clients,
      sdk: (ctor) => new ctor({ endpoint: sandbox.endpoint, region: sandbox.region, credentials, forcePathStyle: true }),
    };
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
}

/** Check 1: the provider-shaped state reads as found and without drift. */
export async function assertClean(clients: AwsClients, state: StateInstance[], options?: { declared: boolean }, message?: string): Promise<void> {
  assert.deepEqual(outcomeOf(state, await readLive(clients, state, options)), [], message);
}

/**
 * Check 2, after the live change(s) were made: drift on exactly `drifts`; the writers revert it (or
 * each fails with `unrevertable`, and the caller undoes the change); a fresh read is clean.
 */
export async function assertDriftReverted(clients: AwsClients, state: StateInstance[], drifts: string[], options?: { declared: boolean; unrevertable?: RegExp; undo?(): Promise<unknown> }): Promise<void> {
  const read = options && { declared: options.declared };
  const snapshot = await readLive(clients, state, read);
  assert.deepEqual(outcomeOf(state, snapshot), [...drifts].sort());
  const found = state.filter((i) => snapshot.get(i.address)?.status === 'found');
  const outcomes = await revertAll(RESOURCE_TYPES, found, snapshot, clients);
  if (options?.unrevertable) {
    for (const o of outcomes) {
      assert.equal(o.ok, false, `${o.drift} was expected not to be revertable`);
      assert.match(o.message, options.unrevertable);
    }
    await options.undo?.();
  } else {
    assert.deepEqual(outcomes.filter((o) => !o.ok).map((o) => `${o.drift}: ${o.message}`), []);
  }
  await assertClean(clients, state, read, 'a fresh read after the revert is clean');
}

export function typeSuite(suite: TypeSuite): { env(): SuiteEnv } {
  let env: SuiteEnv | undefined;
  before(async () => {
    env = await startTypeSandbox(suite.actions ?? []);
    try {
      await suite.setup(env);
    } catch (error) {
      await env.sandbox.stop();
      throw error;
    }
  });
  after(async () => {
    await env?.sandbox.stop();
  });
  const current = (): SuiteEnv => {
    if (!env) throw new Error('the suite has not started');
    return env;
  };

  test('provider-shaped state matches the live objects', async () => {
    await assertClean(current().clients, suite.state());
  });

  for (const [title, c] of Object.entries(suite.changes)) {
    test(`${title}: drift on ${c.drifts.join(', ')}, reverted, then clean`, async () => {
      await c.change();
      await assertDriftReverted(current().clients, suite.state(), c.drifts, { declared: true, unrevertable: c.unrevertable, undo: c.undo });
    });
  }

  for (const [title, r] of Object.entries(suite.removals ?? {})) {
    test(`${title}: ${r.missing} reads as missing`, async () => {
      await r.change();
      const entry = (await readLive(current().clients, suite.state())).get(r.missing);
      assert.equal(entry?.status, 'missing', JSON.stringify(entry));
    });
  }
  return { env: current };
}

export interface CombinedChange {
  /** `address attribute` the change must show up as (several when AWS derives one value from another). */
  drift: string | string[];
  change: () => Promise<unknown>;
}

export interface CombinedContract {
  /** Names the types in the test titles. */
  title: string;
  env: () => SuiteEnv;
  state: () => StateInstance[];
  changes: CombinedChange[];
}

/**
 * The same contract as two tests on a sandbox the caller owns: the state reads clean; every change
 * made at once is drift on exactly the named attributes, reverted, then clean. The state's
 * arguments are not counted as declared here (the reader reads what it always reads).
 */
export function contractTests(c: CombinedContract): void {
  test(`provider-shaped state of ${c.title} matches the live objects`, async () => {
    await assertClean(c.env().clients, c.state(), { declared: false });
  });

  test(`a live change to each compared attribute class of ${c.title} is drift on it; the writer reverts it; a fresh read is clean`, async () => {
    for (const ch of c.changes) await ch.change();
    await assertDriftReverted(c.env().clients, c.state(), c.changes.flatMap((ch) => ch.drift), { declared: false });
  });
}
