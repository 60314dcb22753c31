// Test doubles for the access tests: an in-memory cloud that records calls, a shared PGlite ledger
// reset between tests (opening PGlite costs seconds), identities keyed by the signing key id.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Broker, Principal } from '../../server/src/access/broker';
import { AccessCloud, AccessCredentials, AssumeRoleInput, CloudError, CloudEvent, IdentityProof } from '../../server/src/access/cloud';
import { ManualClock } from '../../server/src/access/clock';
import { AccessConfig, parseConfig } from '../../server/src/access/config';
import { createIdentityProof } from '../../server/src/access/identity';
import { Database } from '../../server/src/access/ledger/database';
import { Ledger } from '../../server/src/access/ledger/ledger';
import { openPglite } from '../../server/src/access/ledger/pglite-database';
import { compilePolicy } from '../../server/src/access/policy';
import { fixedPolicy, PolicyState } from '../../server/src/access/policy-source';
import { fakeKeyId } from '../support/fake-keys';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const STS = 'https://sts.tidemark.test';

/** Wednesday 2026-11-25 10:00 in Berlin: inside the example policy's working hours. */
export const WORKING_HOURS = '2026-11-25T09:00:00Z';

export function examplePolicy(): PolicyState {
  const dir = path.join(REPO, '.tidemark');
  return {
    config: parseConfig(readFileSync(path.join(dir, 'config.yaml'), 'utf8'), '.tidemark/config.yaml'),
    policy: compilePolicy(readFileSync(path.join(dir, 'policy.cedar'), 'utf8'), '.tidemark/policy.cedar'),
  };
}

export function user(config: AccessConfig, name: string): Principal {
  const u = config.users.find((x) => x.name === name);
  if (!u) throw new Error(`no user ${name} in the example config`);
  return u;
}

/** Key ids generated at run time so no key-shaped literal lives in the repository. */
export { fakeKeyId };

export class FakeCloud implements AccessCloud {
  readonly stsEndpoint = STS;
  readonly region = 'us-east-1';
  readonly assumed: AssumeRoleInput[] = [];
  readonly issued: AccessCredentials[] = [];
  readonly policies = new Map<string, string>();
  readonly policyLog: Array<{ action: 'put' | 'delete'; role: string; name: string; document?: string }> = [];
  /** accessKeyId → ARN, for identity proofs. */
  readonly identities = new Map<string, string>();
  events: CloudEvent[] = [];
  /** When set, AssumeRole waits for it (to race revokes against activations, or to "crash"). */
  gate: Promise<void> | undefined;
  failAssume: string | undefined;

  constructor(private readonly clock: { now(): Date }) {}

  /** Long-term test credentials for a person, registered as theirs. */
  credentialsFor(arn: string) {
    const accessKeyId = fakeKeyId('AKIA');
    this.identities.set(accessKeyId, arn);
    return { accessKeyId, secretAccessKey: randomBytes(30).toString('base64').slice(0, 40) };
  }

  async assumeRole(input: AssumeRoleInput): Promise<AccessCredentials> {
    this.assumed.push(input);
    if (this.gate) await this.gate;
    if (this.failAssume) throw new CloudError('AccessDenied', this.failAssume);
    const creds = {
      accessKeyId: fakeKeyId(),
      secretAccessKey: randomBytes(30).toString('base64').slice(0, 40),
      sessionToken: randomBytes(120).toString('base64'),
      expiration: new Date(this.clock.now().getTime() + input.durationSeconds * 1000).toISOString(),
    };
    this.issued.push(creds);
    return creds;
  }

  async putRolePolicy(role: string, name: string, document: string) {
    this.policies.set(`${role}/${name}`, document);
    this.policyLog.push({ action: 'put', role, name, document });
  }

  async deleteRolePolicy(role: string, name: string) {
    this.policies.delete(`${role}/${name}`);
    this.policyLog.push({ action: 'delete', role, name });
  }

  async lookupEvents(): Promise<CloudEvent[]> {
    return this.events;
  }

  /** Stands in for STS: trusts the key id in X-Amz-Credential (signatures are checked by the sandbox tests). */
  async executeIdentityProof(proof: IdentityProof) {
    const credential = new URL(proof.url).searchParams.get('X-Amz-Credential') ?? '';
    const arn = this.identities.get(credential.split('/')[0]);
    if (!arn) throw new CloudError('InvalidClientTokenId', 'The security token included in the request is invalid.');
    return { arn, account: '123456789012' };
  }
}

let shared: Promise<Database> | undefined;

/** One in-memory PGlite per test process, emptied for each test. */
export async function freshLedger(): Promise<Ledger> {
  shared ??= openPglite();
  const db = await shared;
  const ledger = await Ledger.open(db);
  await resetLedger(ledger);
  return ledger;
}

export async function resetLedger(ledger: Ledger): Promise<void> {
  await ledger.db.query('TRUNCATE grants, audit, session_commands, api_events, credential_issues, revocations, proof_nonces CASCADE');
  await ledger.db.query(`UPDATE audit_head SET seq = 0, hash = '${'0'.repeat(64)}'`);
}

export async function closeSharedLedger(): Promise<void> {
  if (shared) await (await shared).close();
  shared = undefined;
}

export interface Harness {
  broker: Broker;
  cloud: FakeCloud;
  clock: ManualClock;
  ledger: Ledger;
  config: AccessConfig;
  alice: Principal;
  bob: Principal;
  carol: Principal;
  /** Advances the clock and waits for the deadlines it triggers. */
  advance(seconds: number): Promise<void>;
  proofFor(p: Principal): Promise<IdentityProof>;
}

export async function harness(ledger?: Ledger, start = WORKING_HOURS): Promise<Harness> {
  const clock = new ManualClock(start);
  const cloud = new FakeCloud(clock);
  const state = examplePolicy();
  const l = ledger ?? (await freshLedger());
  const broker = new Broker({ ledger: l, policy: fixedPolicy(state), cloud, audience: 'test-broker', clock, scheduler: clock });
  await broker.start();
  const keys = new Map<string, ReturnType<FakeCloud['credentialsFor']>>();
  return {
    broker, cloud, clock, ledger: l, config: state.config,
    alice: user(state.config, 'alice'), bob: user(state.config, 'bob'), carol: user(state.config, 'carol'),
    async advance(seconds) {
      clock.advance(seconds);
      await broker.tick();
    },
    async proofFor(p) {
      if (!keys.has(p.arn)) keys.set(p.arn, cloud.credentialsFor(p.arn));
      return createIdentityProof({ credentials: keys.get(p.arn)!, region: 'us-east-1', stsEndpoint: STS, audience: 'test-broker', now: clock.now() });
    },
  };
}

/** Everything stored in the ledger as one string, to search for leaked secrets. */
export async function dumpLedger(ledger: Ledger): Promise<string> {
  const tables = ['grants', 'audit', 'session_commands', 'api_events', 'credential_issues', 'revocations', 'proof_nonces'];
  const parts: string[] = [];
  for (const t of tables) parts.push(JSON.stringify(await ledger.db.query(`SELECT * FROM ${t}`)));
  return parts.join('\n');
}
