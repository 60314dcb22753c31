// Starting a broker (embedded or team) and finding one: the glue between ledger, policy, cloud,
// HTTP and the lock file. Only one process opens an embedded ledger; the others talk HTTP to it.
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { AutoRevert } from '../revert/auto-revert';
import { loadRevertConfig } from '../revert/config';
import { revertRecords } from '../revert/journal';
import { openWorkspaceTarget } from './revert-target';
import { awsCloud } from '../access/aws-cloud';
import { loadHeadKey } from '../access/audit-head';
import { Broker, BrokerEvent } from '../access/broker';
import { BrokerClient, inProcessClient, ProofSource } from '../access/client';
import { AccessCloud } from '../access/cloud';
import { Clock, Scheduler } from '../access/clock';
import { AccessError } from '../access/errors';
import { BrokerTlsOptions, brokerTlsOptions, httpClient } from '../access/http-client';
import { RunningHttpBroker, serveBroker } from '../access/http-server';
import { Database } from '../access/ledger/database';
import { Ledger } from '../access/ledger/ledger';
import { openPglite } from '../access/ledger/pglite-database';
import { openPostgres } from '../access/ledger/postgres-database';
import { PolicySource } from '../access/policy-source';
import { AccessPaths, accessPaths, findWorkspace } from '../access/paths';
import { askBroker, ownerMayLive, processStart, readLock, removeLockIf } from '../access/broker-lock';
import { loadTeamWatchConfig, TeamWatchConfigError } from '../watch/team-config';
import { TeamWatch, watchKey } from './team-watch';
import { loadAwsSdk } from '../cloud/clients';

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
   * Ed25519 key (PEM) that signs audit heads; kept outside the ledger so a database writer cannot
   * forge a head. Created when absent. TIDEMARK_AUDIT_KEY_FILE overrides it; none: heads are unsigned.
   */
  auditKeyFile?: string;
  /**
   * The Terraform root module (the workspace folder) whose changes are reverted when grants end.
   * Absent, or a folder without `.tf` files: no auto-revert.
   */
  revertRoot?: string;
  /** Queue long-poll wait of the team watch (default 20 s). */
  watchQueueWaitSeconds?: number;
}

export interface BrokerRuntime {
  broker: Broker;
  ledger: Ledger;
  /** A team broker's own watch (the config's `watch:` section), when there is one. */
  watch?: TeamWatch;
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
  const keyFile = env.TIDEMARK_AUDIT_KEY_FILE ?? o.auditKeyFile;
  let auditKey;
  try {
    auditKey = keyFile ? loadHeadKey(keyFile, true) : undefined;
  } catch (error) {
    await ledger.close();
    throw new AccessError('unavailable', `audit signing key: ${(error as Error).message}`);
  }
  if (!auditKey) log('audit heads are unsigned: set TIDEMARK_AUDIT_KEY_FILE to a key file outside the database');
  const broker = new Broker({ ledger, reverts: revertRecords, policy, cloud: o.cloud ?? brokerCloud(env), audience: o.audience, clock: o.clock, scheduler: o.scheduler, log, onGrantEnd, auditKey });
  await broker.start();
  let watch: TeamWatch | undefined;
  if (o.database && revertRoot) {
    try {
      const config = loadTeamWatchConfig(o.configFile, revertRoot);
      if (config) {
        watch = new TeamWatch({
          config, workspace: revertRoot, database: o.database, db, env, credentials: brokerCredentials(env), log, queueWaitSeconds: o.watchQueueWaitSeconds,
          grants: { grants: () => broker.grants({ all: true }), timeline: async () => undefined },
          onAlert: (a) => log(`ALERT ${a.severity} ${a.kind} ${a.message}`),
        }, watchKey(config, revertRoot));
        watch.start();
      }
    } catch (error) {
      await broker.stop();
      await ledger.close();
      throw error instanceof TeamWatchConfigError ? new AccessError('bad-request', error.message) : error;
    }
  }
  return {
    broker,
    ledger,
    watch,
    async close() {
      await watch?.stop();
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

/** Whether a broker is serving this workspace's embedded ledger now (its lock names a live owner and a URL). */
export function embeddedBrokerRunning(root: string): boolean {
  const { lock } = readLock(accessPaths(root).lock);
  return Boolean(lock?.url && ownerMayLive(lock));
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
  /** How to trust an https:// broker (`--ca`, `--insecure`); default from TIDEMARK_BROKER_CA/_INSECURE. */
  tls?: BrokerTlsOptions;
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
  if (url) return { client: httpClient(url, o.proofs, o.env.TIDEMARK_BROKER_TOKEN, o.tls ?? brokerTlsOptions(o.env)), url };
  const root = o.workspace ? path.resolve(o.cwd, o.workspace) : findWorkspace(o.cwd);
  if (root && o.workspace && !existsSync(accessPaths(root).policy)) {
    throw new AccessError('bad-request', `${root} has no .tidemark/policy.cedar: --workspace must name the folder that holds the access policy`);
  }
  if (!root) throw new AccessError('bad-request', `no .tidemark/policy.cedar in ${o.cwd} or above; pass --broker URL or set TIDEMARK_BROKER_URL for a team broker`);
  return openEmbedded(accessPaths(root), o);
}

async function openEmbedded(paths: AccessPaths, o: ConnectOptions): Promise<EmbeddedBroker> {
  const log = o.log ?? (() => undefined);
  // Wait out a broker that is starting (lock without URL yet) for up to 15 s.
  for (let attempt = 0; attempt < 150; attempt++) {
    const { lock, raw } = readLock(paths.lock);
    if (lock && lock.pid !== process.pid && ownerMayLive(lock)) {
      if (!lock.url) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const answer = await askBroker(lock);
      if (answer === 'ours') return { client: httpClient(lock.url, o.proofs, lock.token), url: lock.url };
      if (answer === 'silent') {
        throw new AccessError('unavailable', `the broker recorded in ${paths.lock} (pid ${lock.pid}, ${lock.url}) accepts connections but does not answer; if no tidemark process serves this workspace, delete ${paths.lock}`);
      }
      // A live process with that PID, but no broker of ours at its URL: the PID was reused.
      log(`taking over ${paths.lock}: pid ${lock.pid} is not the broker it names (nothing of ours answers at ${lock.url})`);
      removeLockIf(paths.lock, raw);
      continue;
    }
    if (lock) {
      removeLockIf(paths.lock, raw); // its process is gone (or was restarted under the same PID): take over
    } else if (raw !== undefined && attempt >= 50) {
      // Unreadable for 5 s: not a lock being written but a broken one.
      log(`taking over ${paths.lock}: it is not a lock file Tidemark can read`);
      removeLockIf(paths.lock, raw);
    }
    let fd: number;
    try {
      fd = openSync(paths.lock, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        await new Promise((r) => setTimeout(r, 100));
        continue; // someone else won the race, or an unreadable lock is being written
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AccessError('bad-request', `cannot create ${paths.lock}: ${paths.dir} does not exist`);
      throw new AccessError('unavailable', `cannot create ${paths.lock}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const token = randomBytes(24).toString('hex');
    const audience = `tidemark-embedded:${randomBytes(8).toString('hex')}`;
    const mine = { pid: process.pid, pidStart: processStart(process.pid), audience, token };
    writeFileSync(fd, JSON.stringify({ ...mine, url: '' }));
    closeSync(fd);
    try {
      // The SDK loads while the ledger and policy engine start (their WASM compiles off the main thread),
      // before anyone can connect: a first AWS call must not stall the answers.
      const sdk = loadAwsSdk();
      sdk.catch(() => undefined); // awaited below; a failed start must not leave it unhandled
      const runtime = await startBrokerRuntime({
        policyFile: paths.policy,
        configFile: paths.config,
        pgliteDir: paths.ledger,
        auditKeyFile: path.join(paths.dir, 'audit-key.pem'),
        audience,
        revertRoot: paths.root,
        cloud: o.cloud,
        env: o.env,
        log: o.log,
        clock: o.clock,
        scheduler: o.scheduler,
      });
      await sdk;
      const http = await serveBroker(runtime.broker, { token, log: o.log });
      writeFileSync(paths.lock, JSON.stringify({ ...mine, url: http.url }), { mode: 0o600 });
      const client = inProcessClient(runtime.broker, o.proofs, async () => {
        await closeEmbedded(http, runtime, paths.lock);
      });
      return { client, runtime, url: http.url };
    } catch (error) {
      rmSync(paths.lock, { force: true });
      throw error;
    }
  }
  throw new AccessError('unavailable', `the broker recorded in ${paths.lock} did not finish starting within 15 s; if no tidemark process serves this workspace, delete ${paths.lock}`);
}

async function closeEmbedded(http: RunningHttpBroker, runtime: BrokerRuntime, lockFile: string): Promise<void> {
  await http.close();
  await runtime.close();
  const { lock } = readLock(lockFile);
  if (lock?.pid === process.pid) rmSync(lockFile, { force: true });
}

export type { BrokerEvent };
