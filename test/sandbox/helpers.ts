// Shared setup for sandbox tests: the demo scenario, credentials read from it (never literals),
// and SDK clients pointed at a running sandbox.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import path from 'node:path';
import { after, before } from 'node:test';
import { loadScenarioFile, startSandbox, type SandboxHandle, type SandboxOptions, type Scenario } from '../../sandbox/src/index';

/** Repository root, from out/test/sandbox or test/sandbox alike. */
export const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');
export const DEMO_SCENARIO = path.join(ROOT, 'sandbox/scenarios/demo.yaml');

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A fresh copy of the demo scenario (tests may change it before starting a sandbox). */
export function demoScenario(): Scenario {
  return structuredClone(loadScenarioFile(DEMO_SCENARIO));
}

export function keyOf(scenario: Scenario, userName: string): Credentials {
  const key = scenario.users?.find((u) => u.name === userName)?.accessKeys?.[0];
  if (!key) throw new Error(`scenario has no access key for ${userName}`);
  return { accessKeyId: key.id, secretAccessKey: key.secret };
}

export async function startDemo(options: SandboxOptions = {}, change?: (s: Scenario) => void): Promise<{ sandbox: SandboxHandle; scenario: Scenario }> {
  const scenario = demoScenario();
  change?.(scenario);
  const sandbox = await startSandbox(scenario, options);
  return { sandbox, scenario };
}

export interface Clients {
  ec2: EC2Client;
  s3: S3Client;
  iam: IAMClient;
  sts: STSClient;
  tagging: ResourceGroupsTaggingAPIClient;
  cloudtrail: CloudTrailClient;
}

export function clientsFor(sandbox: SandboxHandle, credentials: Credentials, maxAttempts = 1, region = 'us-east-1'): Clients {
  const common = { endpoint: sandbox.endpoint, region, credentials, maxAttempts };
  return {
    ec2: new EC2Client(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
    iam: new IAMClient(common),
    sts: new STSClient(common),
    tagging: new ResourceGroupsTaggingAPIClient(common),
    cloudtrail: new CloudTrailClient(common),
  };
}

/** The error a rejected SDK call threw, for asserting on name and HTTP status. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string; retryable: boolean }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message, retryable: Boolean(e.$retryable) };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export async function admin(sandbox: SandboxHandle, method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sandbox.endpoint}/_sandbox/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

export interface DemoAsCarol {
  sandbox: SandboxHandle;
  scenario: Scenario;
  /** The legacy admin. */
  carol: Clients;
  /** drift-reader, the read-only user Tidemark signs as. */
  reader: Clients;
}

/**
 * For the enclosing suite: the demo sandbox started before its tests and stopped after them, and
 * the clients of carol and of drift-reader. The fields are set once `before` has run.
 */
export function demoAsCarol(): DemoAsCarol {
  const demo = {} as DemoAsCarol;
  before(async () => {
    Object.assign(demo, await startDemo());
    demo.carol = clientsFor(demo.sandbox, keyOf(demo.scenario, 'carol'));
    demo.reader = clientsFor(demo.sandbox, keyOf(demo.scenario, 'drift-reader'));
  });
  after(() => demo.sandbox?.stop());
  return demo;
}
