// The Access side of the language server follows the editor's settings and survives them changing:
// only `tidemark.aws.endpoint` (no AWS_ENDPOINT_URL anywhere) must reach the sandbox for the identity
// proof and the embedded broker alike, and a configuration change arriving while the first access
// call is in flight (what VS Code sends right after start) must not break that call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScenarioFile, startSandbox, SandboxHandle } from '../../sandbox/src/index';
import { LspSession, repoRoot, startLspSession } from '../support/lsp-client';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const ALICE = `arn:aws:iam::${scenario.account}:user/alice`;

let sandbox: SandboxHandle;
let session: LspSession;
let dir: string;
let home: string;
/** What the server gets when it asks for the `tidemark` section. */
let configuration: Record<string, unknown>;

/** Alice's keys and nothing that names an endpoint: only the setting may point at the sandbox. */
function aliceEnv(): NodeJS.ProcessEnv {
  const key = scenario.users?.find((u) => u.name === 'alice')?.accessKeys?.[0];
  assert.ok(key, 'scenario user alice has an access key');
  const blank: NodeJS.ProcessEnv = {};
  for (const k of Object.keys(process.env)) if (/^(AWS_|TIDEMARK_)/.test(k)) blank[k] = '';
  return {
    ...blank,
    AWS_REGION: scenario.region, AWS_ACCESS_KEY_ID: key.id, AWS_SECRET_ACCESS_KEY: key.secret,
    AWS_CONFIG_FILE: path.join(home, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    // Real AWS must not be reachable from a test: an unset setting would fail fast, not hang.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

function whoami(): Promise<{ arn: string }> {
  return session.connection.sendRequest('tidemark/access/whoami', {}) as Promise<{ arn: string }>;
}

/** A request's error text, with the server's log for the failure message. */
async function settled<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (error) {
    throw new Error(`${(error as Error).message}\nserver log:\n${session.logs.join('\n')}\nstderr: ${session.stderr()}`);
  }
}

/** Polls `probe` until it returns a value; fails naming what it waited for. */
async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nserver log:\n${session.logs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-access-settings-'));
  home = mkdtempSync(path.join(tmpdir(), 'tidemark-access-settings-home-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  configuration = { aws: { endpoint: sandbox.endpoint }, refreshInterval: 0 };
  // Like VS Code: no settings up front, the server asks for them (answered from `configuration`).
  session = await startLspSession({ rootDir: dir, env: aliceEnv(), initializationOptions: { refreshInterval: 0 } });
  session.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => configuration));
});

after(async () => {
  await session?.shutdown().catch(() => undefined);
  session?.process.kill();
  await sandbox?.stop();
  for (const d of [dir, home]) if (d) rmSync(d, { recursive: true, force: true });
});

test('the first access call survives the configuration change that arrives while it is in flight, and uses tidemark.aws.endpoint', async () => {
  // VS Code sends didChangeConfiguration right after start; the Access view asks at the same time,
  // before the server has read the settings.
  const first = whoami();
  await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const me = await settled(first);
  assert.equal(me.arn, ALICE);
  assert.equal((await settled(whoami())).arn, ALICE);
  assert.ok(!session.logs.some((l) => /PGlite/i.test(l) && /closed/i.test(l)), `no closed ledger:\n${session.logs.join('\n')}`);
});

test('a setting that does change the broker connection lets the call in flight finish, then reconnects', async () => {
  const inFlight = session.connection.sendRequest('tidemark/access/grants', { mine: true });
  configuration = { aws: { endpoint: sandbox.endpoint, region: scenario.region }, refreshInterval: 0 };
  await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  assert.ok(Array.isArray(await settled(inFlight)));
  assert.equal((await settled(whoami())).arn, ALICE, 'the new connection (a new embedded broker) answers');
});

test('an unreachable STS is reported as unreachable, not as a refused identity', async () => {
  // A port nobody listens on (the sandbox's own, once it is stopped, could be reused: take port 9).
  configuration = { aws: { endpoint: 'http://127.0.0.1:9' }, refreshInterval: 0 };
  await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  // The server reads the new settings with a round trip of its own: ask until they apply.
  const message = await until(async () => {
    try {
      await whoami();
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }, 'whoami to fail once the endpoint points nowhere');
  assert.match(message, /could not reach STS at http:\/\/127\.0\.0\.1:9/);
  assert.doesNotMatch(message, /rejected|PGlite|internal/i);
  configuration = { aws: { endpoint: sandbox.endpoint }, refreshInterval: 0 };
  await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await until(async () => (await whoami().catch(() => undefined))?.arn === ALICE || undefined, 'whoami to answer again with the sandbox endpoint');
});
