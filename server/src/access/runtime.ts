// Starting a broker (embedded or team) and finding one: the glue between ledger, policy, cloud,
// HTTP and the lock file. Only one process opens an embedded ledger; the others talk HTTP to it.
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { AutoRevert } from '../revert/auto-revert';
import { loadRevertConfig } from '../revert/config';
import { openWorkspaceTarget } from '../revert/target';
import { awsCloud } from './aws-cloud';
import { Broker, BrokerEvent } from './broker';
import { BrokerClient, inProcessClient, ProofSource } from './client';
import { AccessCloud } from './cloud';
import { Clock, Scheduler } from './clock';
import { AccessError } from './errors';
import { httpClient } from './http-client';
import { RunningHttpBroker, serveBroker } from './http-server';
import { Database } from './ledger/database';
import { Ledger } from './ledger/ledger';
import { openPglite } from './ledger/pglite-database';
import { openPostgres } from './ledger/postgres-database';
import { PolicySource } from './policy-source';
import { AccessPaths, accessPaths, findWorkspace } from './workspace';

export interface BrokerRuntimeOptions {
  policyFile: string;
  configFile: string;
  /** postgres://… for a team broker; otherwise an embedded PGlite folder (undefined = in memory). */
  database?: string;
  pgliteDir?: string;
  audience: string;
  cloud?: AccessCloud;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  scheduler?: Scheduler;
  log?: (line: string) => void;
  /**
   * The Terraform root module (the workspace folder) whose changes are reverted when grants end.
   * Absent, or a folder without `.tf` files: no auto-revert.
   */
  revertRoot?: string;
}

export interface BrokerRuntime {
  broker: Broker;
  ledger: Ledger;
  close(): Promise<void>;
}

/** The broker's own credentials for reverts: TIDEMARK_BROKER_PROFILE, keys in the env it was given, or the default chain. */
export function brokerCredentials(env: NodeJS.ProcessEnv): AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined {
  if (env.TIDEMARK_BROKER_PROFILE) return fromIni({ profile: env.TIDEMARK_BROKER_PROFILE });
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN };
  }
  // The env given may name another profile than this process's (the editor's tidemark.aws.profile).
  if (env.AWS_PROFILE) return fromNodeProviderChain({ profile: env.AWS_PROFILE });
  return undefined;
}

function hasTerraform(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => f.endsWith('.tf'));
  } catch {
    return false;
  }
}

/** The broker's own AWS access: TIDEMARK_BROKER_PROFILE, keys in the env it was given, or the default chain. */
export function brokerCloud(env: NodeJS.ProcessEnv): AccessCloud {
  return awsCloud(env, brokerCredentials(env));
}

export async function startBrokerRuntime(o: BrokerRuntimeOptions): Promise<BrokerRuntime> {
  const log = o.log ?? (() => undefined);
  const policy = new PolicySource(o.policyFile, o.configFile, (problem) => log(`policy: ${problem}`));
  const db: Database = o.database ? await openPostgres(o.database) : await openPglite(o.pgliteDir);
  let ledger: Ledger;
  try {
    ledger = await Ledger.open(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const env = o.env ?? process.env;
  const revertRoot = o.revertRoot;
  const onGrantEnd = revertRoot && hasTerraform(revertRoot)
    ? new AutoRevert({
      ledger,
      openTarget: () => openWorkspaceTarget({ root: revertRoot, env, credentials: brokerCredentials(env) }),
      config: () => loadRevertConfig(o.configFile),
      clock: o.clock,
      log,
    })
    : undefined;
  const broker = new Broker({ ledger, policy, cloud: o.cloud ?? brokerCloud(env), audience: o.audience, clock: o.clock, scheduler: o.scheduler, log, onGrantEnd });
  await broker.start();
  return {
    broker,
    ledger,
    async close() {
      await broker.stop();
      await ledger.close();
    },
  };
}

/** A team broker's audience: stable for every broker on the same database, different across teams. */
export function teamAudience(database: string): string {
  const u = new URL(database);
  return `tidemark:${createHash('sha256').update(`${u.hostname}:${u.port}${u.pathname}`).digest('hex').slice(0, 16)}`;
}

interface LockFile {
  pid: number;
  url: string;
  token: string;
}

function readLock(file: string): LockFile | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockFile;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a broker is serving this workspace's embedded ledger now (its lock names a live process and a URL). */
export function embeddedBrokerRunning(root: string): boolean {
  const lock = readLock(accessPaths(root).lock);
  return Boolean(lock?.url && alive(lock.pid));
}

export interface EmbeddedBroker {
  client: BrokerClient;
  /** Present when this process owns the ledger. */
  runtime?: BrokerRuntime;
  url: string;
}

export interface ConnectOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  proofs: ProofSource;
  /** `--broker URL`; else TIDEMARK_BROKER_URL; else the workspace's embedded broker. */
  brokerUrl?: string;
  workspace?: string;
  cloud?: AccessCloud;
  log?: (line: string) => void;
  /** Time for a broker started here (the demo fast-forwards it together with the sandbox). */
  clock?: Clock;
  scheduler?: Scheduler;
}

/** Finds or starts the broker for a command: team URL, running embedded broker, or a new one here. */
export async function connectBroker(o: ConnectOptions): Promise<EmbeddedBroker> {
  const url = o.brokerUrl ?? o.env.TIDEMARK_BROKER_URL;
  if (url) return { client: httpClient(url, o.proofs, o.env.TIDEMARK_BROKER_TOKEN), url };
  const root = o.workspace ?? findWorkspace(o.cwd);
  if (!root) throw new AccessError('bad-request', `no .tidemark/policy.cedar in ${o.cwd} or above; pass --broker URL or set TIDEMARK_BROKER_URL for a team broker`);
  return openEmbedded(accessPaths(root), o);
}

async function openEmbedded(paths: AccessPaths, o: ConnectOptions): Promise<EmbeddedBroker> {
  // Wait out a broker that is starting (lock without URL yet) for up to 15 s.
  for (let attempt = 0; attempt < 150; attempt++) {
    const lock = readLock(paths.lock);
    if (lock && alive(lock.pid) && lock.pid !== process.pid) {
      if (lock.url) return { client: httpClient(lock.url, o.proofs, lock.token), url: lock.url };
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    if (lock) rmSync(paths.lock, { force: true }); // its process is gone: take over
    let fd: number;
    try {
      fd = openSync(paths.lock, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue; // someone else won the race
      throw error;
    }
    const token = randomBytes(24).toString('hex');
    writeFileSync(fd, JSON.stringify({ pid: process.pid, url: '', token }));
    closeSync(fd);
    try {
      const runtime = await startBrokerRuntime({
        policyFile: paths.policy,
        configFile: paths.config,
        pgliteDir: paths.ledger,
        audience: `tidemark-embedded:${randomBytes(8).toString('hex')}`,
        revertRoot: paths.root,
        cloud: o.cloud,
        env: o.env,
        log: o.log,
        clock: o.clock,
        scheduler: o.scheduler,
      });
      const http = await serveBroker(runtime.broker, { token });
      writeFileSync(paths.lock, JSON.stringify({ pid: process.pid, url: http.url, token }), { mode: 0o600 });
      const client = inProcessClient(runtime.broker, o.proofs, async () => {
        await closeEmbedded(http, runtime, paths.lock);
      });
      return { client, runtime, url: http.url };
    } catch (error) {
      rmSync(paths.lock, { force: true });
      throw error;
    }
  }
  throw new AccessError('unavailable', `the broker in ${paths.lock} did not finish starting`);
}

async function closeEmbedded(http: RunningHttpBroker, runtime: BrokerRuntime, lockFile: string): Promise<void> {
  await http.close();
  await runtime.close();
  const lock = readLock(lockFile);
  if (lock?.pid === process.pid) rmSync(lockFile, { force: true });
}

export type { BrokerEvent };
