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
export async function readLive(clients: AwsClients, state: StateInstance[]): Promise<LiveSnapshot> {
  const needs = new Map(state.map((i) => [i.address, new Set(Object.keys(i.attributes))]));
  const result = await new LiveReader(clients, RESOURCE_TYPES).read(state, { needs });
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

export function typeSuite(suite: TypeSuite): { env(): SuiteEnv } {
  let env: SuiteEnv | undefined;
  before(async () => {
    const { sandbox, scenario } = await startDemo();
    const credentials = keyOf(scenario, 'carol');
    try {
      const clients = await createClients(resolveAwsTarget({ region: sandbox.region, endpoint: sandbox.endpoint }, {}, undefined), { credentials });
      env = {
        sandbox, scenario, credentials, clients,
        sdk: (ctor) => new ctor({ endpoint: sandbox.endpoint, region: sandbox.region, credentials, forcePathStyle: true }),
      };
      await suite.setup(env);
    } catch (error) {
      await sandbox.stop();
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
    assert.deepEqual(outcomeOf(suite.state(), await readLive(current().clients, suite.state())), []);
  });

  for (const [title, c] of Object.entries(suite.changes)) {
    test(`${title}: drift on ${c.drifts.join(', ')}, reverted, then clean`, async () => {
      const { clients } = current();
      await c.change();
      const snapshot = await readLive(clients, suite.state());
      assert.deepEqual(outcomeOf(suite.state(), snapshot), [...c.drifts].sort());
      const found = suite.state().filter((i) => snapshot.get(i.address)?.status === 'found');
      const outcomes = await revertAll(RESOURCE_TYPES, found, snapshot, clients);
      if (c.unrevertable) {
        for (const o of outcomes) {
          assert.equal(o.ok, false, `${o.drift} was expected not to be revertable`);
          assert.match(o.message, c.unrevertable);
        }
        await c.undo?.();
      } else {
        assert.deepEqual(outcomes.filter((o) => !o.ok).map((o) => `${o.drift}: ${o.message}`), []);
      }
      assert.deepEqual(outcomeOf(suite.state(), await readLive(clients, suite.state())), [], 'a fresh read after the revert is clean');
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
