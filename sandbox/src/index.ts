// Programmatic entry point: start a sandbox cloud on a loopback port from a scenario (object or
// file path) and get back its endpoint, a stop function and call statistics.
import { Clock } from './clock';
import type { FaultConfig } from './faults';
import { StateWriter, readState, writeStateNow } from './persist';
import { loadScenarioFile, validateScenario, ScenarioError, type Scenario } from './scenario';
import { buildWorld } from './seed';
import { SandboxServer } from './server';
import type { WorldData } from './world';

export type { Scenario, ScenarioAccessKey, ScenarioBucket, ScenarioHostedZone, ScenarioKmsKey, ScenarioLogGroup, ScenarioPublicAccessBlock, ScenarioInstance, ScenarioInternetGateway, ScenarioEgressOnlyInternetGateway, ScenarioVpcEndpoint, ScenarioFlowLog, ScenarioQueue, ScenarioRoute, ScenarioRouteTable, ScenarioManagedPolicy, ScenarioRole, ScenarioRule, ScenarioSecurityGroup, ScenarioSubnet, ScenarioUser, ScenarioVpc, ScenarioLimits, PolicyDocument } from './scenario';
export type { FaultConfig, FaultKnobs } from './faults';
export type { WorldData } from './world';
export { ScenarioError, loadScenarioFile, parseScenario, validateScenario } from './scenario';
export { StateFileError } from './persist';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Persist the world to this file (loaded from it when it exists). */
  statePath?: string;
  /** World clock; defaults to the real clock. */
  now?: () => Date;
  /** Overrides the scenario's fault knobs. */
  faults?: FaultConfig;
  /** Randomness for fault injection (tests pass a fixed sequence). */
  random?: () => number;
}

export interface SandboxHandle {
  /** `http://127.0.0.1:PORT` — use as `endpoint` for every SDK client. */
  endpoint: string;
  port: number;
  accountId: string;
  region: string;
  stop(): Promise<void>;
  /** Calls by `service:Operation` since start or the last reset. */
  stats(): Record<string, number>;
  /** Calls per region the request was signed for, then by `service:Operation`. */
  statsByRegion(): Record<string, Record<string, number>>;
  resetStats(): void;
  /** Moves the world clock forward (credential expiry, event times). */
  advanceClock(seconds: number): void;
  /** The live world (read it in tests; mutate only deliberately). */
  world: WorldData;
  /** Fault knobs in force; mutate to change them while running. */
  faults: FaultConfig;
}

export async function startSandbox(scenario: Scenario | string, options: SandboxOptions = {}): Promise<SandboxHandle> {
  const s = typeof scenario === 'string' ? loadScenarioFile(scenario) : validateScenario(scenario, 'scenario');
  const clock = new Clock(options.now);
  let world: WorldData | undefined = options.statePath ? readState(options.statePath) : undefined;
  if (world && world.accountId !== s.account) {
    throw new ScenarioError(`${options.statePath}: state file belongs to account ${world.accountId}, but the scenario declares ${s.account}`);
  }
  const fresh = !world;
  world ??= buildWorld(s);
  const faults: FaultConfig = structuredClone(options.faults ?? s.faults ?? {});
  const live = world;
  const writer = options.statePath ? new StateWriter(options.statePath, () => live, () => clock.now()) : undefined;
  const server = new SandboxServer({ world, clock, faults, lookupEventsPerSecond: s.limits?.lookupEventsPerSecond ?? 2, random: options.random ?? Math.random, writer });
  if (fresh && options.statePath) writeStateNow(options.statePath, world, clock.now());
  const port = await server.listen(options.port ?? 0, '127.0.0.1');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    accountId: world.accountId,
    region: world.defaultRegion,
    world,
    faults,
    stats: () => server.statsSnapshot(),
    statsByRegion: () => server.statsByRegion(),
    resetStats: () => server.resetStats(),
    advanceClock: (seconds) => clock.advance(seconds),
    async stop() {
      await server.close();
      writer?.flushNow();
    },
  };
}
