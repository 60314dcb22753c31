// Starts a throwaway PostgreSQL server for the team-mode tests (binaries from the Debian
// `postgresql` package or PATH). As root it runs the server as the `postgres` user, since
// PostgreSQL refuses to run as root. TIDEMARK_TEST_DATABASE_URL skips all this.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { reap } from '../support/child-reaper';

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

function binDir(): string | undefined {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => existsSync(path.join(debian, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(debian, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(path.join(dir, 'postgres')) && existsSync(path.join(dir, 'initdb'))) return dir;
  return undefined;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Why no server can be started here, or undefined when one can. */
export function postgresUnavailable(): string | undefined {
  if (process.env.TIDEMARK_TEST_DATABASE_URL) return undefined;
  if (!binDir()) return 'no PostgreSQL binaries (install the Debian postgresql package)';
  return undefined;
}

/**
 * The `skip` option for team-mode tests: run whenever PostgreSQL is installed; without it, skip
 * with a warning on stderr (a developer's `npm test` must not drop team mode without a word); in
 * CI never skip: startPostgres then fails the run with the reason.
 */
export function postgresSkip(): string | false {
  const why = postgresUnavailable();
  if (!why || process.env.CI) return false;
  process.stderr.write(`WARNING: team-mode tests against PostgreSQL are SKIPPED: ${why}\n`);
  return why;
}

export async function startPostgres(): Promise<TestPostgres> {
  if (process.env.TIDEMARK_TEST_DATABASE_URL) return { url: process.env.TIDEMARK_TEST_DATABASE_URL, stop: async () => undefined };
  const bin = binDir();
  if (!bin) throw new Error('no PostgreSQL binaries found');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-pg-'));
  const data = path.join(dir, 'data');
  let uid: number | undefined;
  if (asRoot) {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];
  const [initCmd, initArgs] = run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'tidemark', '--no-sync', '-E', 'UTF8']);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  const [cmd, args] = run(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=60']);
  const server: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.on('data', (d) => { log += d; });
  const url = `postgres://tidemark@127.0.0.1:${port}/postgres`;
  for (let i = 0; ; i++) {
    const c = new Client({ connectionString: url });
    try {
      await c.connect();
      await c.end();
      break;
    } catch {
      await c.end().catch(() => undefined);
      if (i > 100 || server.exitCode !== null) throw new Error(`PostgreSQL did not start: ${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // A test process that dies (failure, Ctrl-C, SIGTERM) must not leave the server running: stop it
  // on exit too (synchronously, the only way in an 'exit' handler); stop() below is the normal path.
  const postmaster = () => Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const onExit = () => {
    try {
      if (server.exitCode === null) process.kill(postmaster(), 'SIGINT');
    } catch {
      // already stopped
    }
  };
  process.once('exit', onExit);
  reap(server);
  return {
    url,
    async stop() {
      process.removeListener('exit', onExit);
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        // Signal the postmaster itself (runuser does not forward SIGINT); SIGINT = fast shutdown.
        const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid, 'SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the server, so each test file starts from migrations. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name}`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
