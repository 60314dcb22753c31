// What the team-watch tests share: a webhook that collects the alerts a broker sends it, and a
// `tidemark broker` process (the bundled CLI) on a PostgreSQL ledger, reading the sandbox with the
// drift-reader's keys.
import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { Scenario } from '../../sandbox/src/scenario';
import type { Alert } from '../../server/src/alerts/alert';
import { keyOf } from '../sandbox/helpers';
import { childEnv } from '../support/child-env';
import { reap } from '../support/child-reaper';
import { repoRoot } from '../support/lsp-client';

export interface AlertHook {
  /** Where the broker posts (its `webhooks:` url, JSON format). */
  url: string;
  close(): Promise<void>;
}

/** A webhook receiver that pushes each alert it is sent onto `into`. */
export async function startAlertHook(into: Alert[]): Promise<AlertHook> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      into.push((JSON.parse(body) as { alert: Alert }).alert);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface TeamBroker {
  child: ChildProcess;
  /** Everything the broker printed so far (stdout and stderr). */
  log(): string;
}

export interface TeamBrokerOptions {
  dir: string;
  database: string;
  /** `--listen` (`127.0.0.1:0` for any port). */
  listen: string;
  token: string;
  sandbox: SandboxHandle;
  scenario: Scenario;
}

/** `tidemark broker --database … --workspace dir`, reaped when the test process ends. */
export function startTeamBroker(o: TeamBrokerOptions): TeamBroker {
  const reader = keyOf(o.scenario, 'drift-reader');
  const child = reap(spawn(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'broker', '--database', o.database, '--workspace', o.dir, '--listen', o.listen], {
    cwd: o.dir,
    env: childEnv({
      TIDEMARK_BROKER_TOKEN: o.token, AWS_ENDPOINT_URL: o.sandbox.endpoint, AWS_REGION: o.sandbox.region,
      AWS_ACCESS_KEY_ID: reader.accessKeyId, AWS_SECRET_ACCESS_KEY: reader.secretAccessKey,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString('utf8')));
  return { child, log: () => log };
}
