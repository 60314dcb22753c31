// tidemark broker: runs a broker until interrupted — a team broker on PostgreSQL (--database) or
// this workspace's embedded broker on PGlite.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import type { BrokerEvent } from '../access/broker';
import { isLoopbackHost } from '../access/http-client';
import { serveBroker } from '../access/http-server';
import { redact } from '../access/redact';
import { envProofSource } from '../access/proof-source';
import { connectBroker, startBrokerRuntime, teamAudience } from '../app/broker-runtime';
import { accessPaths, findWorkspace } from '../access/paths';
import { flagString, parseArgs } from './args';
import { asCliError } from './access-common';
import { CliCommand, CliError } from './io';
import { loadAwsSdk } from '../cloud/clients';

const USAGE = `usage: tidemark broker [--database postgres://…] [--policy FILE] [--config FILE] [--listen HOST:PORT] [--tls-cert FILE --tls-key FILE | --insecure] [--audience ID] [--workspace DIR]
  --database URL   team mode: PostgreSQL ledger; clients need TIDEMARK_BROKER_TOKEN (set it for the broker too)
                   (without it: this workspace's embedded PGlite ledger in .tidemark/ledger)
  --policy FILE    Cedar policy (default .tidemark/policy.cedar); reloaded on change, last good kept
  --config FILE    users, groups, roles (default .tidemark/config.yaml)
  --listen H:P     address to serve (default 127.0.0.1:0, printed on start)
  --tls-cert FILE  PEM certificate chain: serve HTTPS (clients trust it through the system CAs,
  --tls-key FILE   or --ca FILE / TIDEMARK_BROKER_CA); PEM private key for it
  --insecure       allow plain HTTP on an address other than loopback (a TLS proxy in front, say)
  --audience ID    identity-proof audience shared by every broker on this database
The broker's own AWS access comes from the standard AWS environment, or TIDEMARK_BROKER_PROFILE.
When a grant ends, the broker reverts the changes made under it in the Terraform root module of its
workspace folder (--workspace DIR, default the folder with .tidemark/), per the revert: section of the config.
A team broker whose config has a watch: section follows CloudTrail (SQS queues and/or LookupEvents) and
sends alerts to its webhooks; one broker process on the database does so at a time (advisory lock).`;

export const run: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, { booleans: ['help', 'insecure'], values: ['database', 'policy', 'config', 'listen', 'audience', 'workspace', 'tls-cert', 'tls-key'] });
  if (parsed.flags.has('help')) { io.out(USAGE); return 0; }
  const database = flagString(parsed, 'database');
  const root = path.resolve(io.cwd, flagString(parsed, 'workspace') ?? findWorkspace(io.cwd) ?? io.cwd);
  const paths = accessPaths(root);
  const listen = flagString(parsed, 'listen') ?? '127.0.0.1:0';
  const m = /^(.*):(\d+)$/.exec(listen);
  if (!m) throw new CliError(`--listen '${listen}' must be HOST:PORT`);
  const tls = readTls(io.cwd, flagString(parsed, 'tls-cert'), flagString(parsed, 'tls-key'));
  if (!tls && !isLoopbackHost(m[1]) && !parsed.flags.has('insecure')) {
    throw new CliError(`refusing to listen on ${listen} without TLS: broker tokens, identity proofs and STS credentials would cross the network unencrypted. ` +
      'Pass --tls-cert FILE --tls-key FILE, or --insecure if a TLS-terminating proxy or a trusted network carries the traffic');
  }
  if (tls && !database) throw new CliError('--tls-cert/--tls-key serve a team broker (--database); the embedded broker listens on loopback only');
  const token = io.env.TIDEMARK_BROKER_TOKEN;
  if (database && (!token || token.length < 16)) throw new CliError('team mode needs TIDEMARK_BROKER_TOKEN (at least 16 characters) in the environment');
  if (database && !/^postgres(ql)?:\/\//.test(database)) throw new CliError(`--database must be a postgres:// URL (got ${redact(database)})`);
  const log = (line: string) => io.err(`${new Date().toISOString()} ${redact(line)}`);
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  if (!database) {
    // Embedded: claim the workspace's lock like any other process would, then keep serving.
    let embedded;
    try {
      embedded = await connectBroker({ cwd: io.cwd, env: io.env, workspace: root, proofs: envProofSource(io.env), log });
    } catch (error) {
      throw asCliError(error);
    }
    if (!embedded.runtime) {
      await embedded.client.close();
      throw new CliError(`a broker for ${root} is already running at ${embedded.url}`);
    }
    embedded.runtime.broker.subscribe((e) => { const line = brokerEventLine(e); if (line) log(line); });
    io.out(`tidemark broker listening on ${embedded.url} (embedded, ledger ${paths.ledger})`);
    await stopped;
    await embedded.client.close();
    return 0;
  }
  let runtime;
  try {
    runtime = await startBrokerRuntime({
      policyFile: path.resolve(io.cwd, flagString(parsed, 'policy') ?? paths.policy),
      configFile: path.resolve(io.cwd, flagString(parsed, 'config') ?? paths.config),
      database,
      audience: flagString(parsed, 'audience') ?? teamAudience(database),
      env: io.env,
      log,
      revertRoot: root,
    });
  } catch (error) {
    throw asCliError(error);
  }
  await loadAwsSdk(); // before anyone can connect: a first AWS call must not stall the answers
  let http;
  try {
    http = await serveBroker(runtime.broker, { host: m[1], port: Number(m[2]), token, log, tls });
  } catch (error) {
    await runtime.close();
    throw new CliError(`cannot listen on ${listen}: ${(error as Error).message}`);
  }
  runtime.broker.subscribe((e) => { const line = brokerEventLine(e); if (line) log(line); });
  io.out(`tidemark broker listening on ${http.url} (team, ledger ${redact(database)})`);
  await stopped;
  await http.close();
  await runtime.close();
  return 0;
};

/** Reads and checks the certificate and key up front, so a wrong file is named before anything starts. */
/** One log line per pushed event; the leader already logged a watch alert when it raised it (ALERT …). */
function brokerEventLine(e: BrokerEvent): string | undefined {
  if (e.type === 'grant') return `grant ${e.grant.id} ${e.grant.state}`;
  if (e.type === 'alert') return `ALERT ${e.message}`;
  return undefined;
}

function readTls(cwd: string, certFile: string | undefined, keyFile: string | undefined): { cert: string; key: string } | undefined {
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new CliError('--tls-cert and --tls-key go together');
  const read = (file: string, flag: string): string => {
    try {
      return readFileSync(path.resolve(cwd, file), 'utf8');
    } catch (error) {
      throw new CliError(`${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  const cert = read(certFile, '--tls-cert');
  const key = read(keyFile, '--tls-key');
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) throw new CliError(`--tls-cert ${certFile}: no PEM certificate in it`);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw new CliError(`--tls-key ${keyFile}: no PEM private key in it`);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new CliError(`--tls-cert ${certFile} / --tls-key ${keyFile}: ${(error as Error).message}`);
  }
  return { cert, key };
}
