// The per-type contract as a table: a sandbox whose admin may call the services under test, and
// the two tests every type passes — provider-shaped state reads clean; one live change per attribute
// class is drift exactly there, the type's writer reverts it, and a fresh read is clean again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { createClients, AwsClients } from '../../server/src/cloud/clients';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import { LiveReader } from '../../server/src/cloud/reader';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { LiveSnapshot } from '../../server/src/drift/snapshot';
import type { StateInstance } from '../../server/src/model';
import { Credentials, demoScenario, keyOf } from '../sandbox/helpers';
import { driftsOf, revertAll } from './type-check-helpers';

export interface TypeSandbox {
  sandbox: SandboxHandle;
  credentials: Credentials;
  clients: AwsClients;
}

/** The demo world, with carol (the legacy admin) also allowed the given actions (e.g. `autoscaling:*`). */
export async function startTypeSandbox(actions: string[]): Promise<TypeSandbox> {
  const scenario = demoScenario();
  const carol = scenario.users?.find((u) => u.name === 'carol');
  if (!carol) throw new Error('the demo scenario has no user carol');
  carol.policies = { ...carol.policies, 'types-under-test': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } };
  const sandbox = await startSandbox(scenario);
  const credentials = keyOf(scenario, 'carol');
  const clients = await createClients(resolveAwsTarget({ region: sandbox.region, endpoint: sandbox.endpoint }, {}, undefined), { credentials });
  return { sandbox, credentials, clients };
}

/** A state instance the way the AWS provider v5 records it. */
export function stateInstance(type: string, name: string, attributes: Record<string, unknown>): StateInstance {
  return { address: `${type}.${name}`, resourceAddress: `${type}.${name}`, type, name, module: '', attributes };
}

export async function readLive(clients: AwsClients, instances: StateInstance[]): Promise<LiveSnapshot> {
  const result = await new LiveReader(clients, RESOURCE_TYPES).read(instances);
  assert.deepEqual(result.failures, []);
  return result.snapshot;
}

export interface LiveChange {
  /** `address attribute` the change must show up as (several when AWS derives one value from another). */
  drift: string | string[];
  change: () => Promise<unknown>;
}

export interface TypeContract {
  /** Names the types in the test titles. */
  title: string;
  env: () => TypeSandbox;
  state: () => StateInstance[];
  changes: LiveChange[];
}

export function contractTests(c: TypeContract): void {
  test(`provider-shaped state of ${c.title} matches the live objects`, async () => {
    const snapshot = await readLive(c.env().clients, c.state());
    for (const i of c.state()) assert.equal(snapshot.get(i.address)?.status, 'found', `${i.address}: ${JSON.stringify(snapshot.get(i.address))}`);
    assert.deepEqual(driftsOf(RESOURCE_TYPES, c.state(), snapshot), []);
  });

  test(`a live change to each compared attribute class of ${c.title} is drift on it; the writer reverts it; a fresh read is clean`, async () => {
    for (const ch of c.changes) await ch.change();
    const snapshot = await readLive(c.env().clients, c.state());
    assert.deepEqual(driftsOf(RESOURCE_TYPES, c.state(), snapshot).sort(), c.changes.flatMap((ch) => ch.drift).sort());
    const outcomes = await revertAll(RESOURCE_TYPES, c.state(), snapshot, c.env().clients);
    assert.deepEqual(outcomes.filter((o) => !o.ok), []);
    assert.deepEqual(driftsOf(RESOURCE_TYPES, c.state(), await readLive(c.env().clients, c.state())), []);
  });
}
