// `tidemark check` end to end through the real AWS SDK against a minimal loopback endpoint that
// answers STS GetCallerIdentity and EC2 DescribeInstances (or fails them on purpose).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { run } from '../../server/src/cli/check';
import type { CliIO } from '../../server/src/cli/io';
import { HOSTILE_FILES, writeHostileWorkspace } from '../support/hostile-files';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/drift/check');

type Mode = { account: string; instanceType: string; ec2?: 'throttle'; sts?: 'badkey' };
let mode: Mode = { account: '111111111111', instanceType: 't3.micro' };
const calls: string[] = [];

function instanceXml(type: string): string {
  return `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet><item><reservationId>r-1</reservationId><instancesSet><item>
<instanceId>i-1</instanceId><imageId>ami-1</imageId><instanceState><code>16</code><name>running</name></instanceState><instanceType>${type}</instanceType>
<monitoring><state>disabled</state></monitoring><groupSet/><tagSet><item><key>Name</key><value>web</value></item></tagSet></item></instancesSet></item></reservationSet></DescribeInstancesResponse>`;
}

const server: Server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const action = new URLSearchParams(body).get('Action') ?? '';
    calls.push(action);
    if (action === 'GetCallerIdentity') {
      if (mode.sts === 'badkey') {
        res.writeHead(403, { 'content-type': 'text/xml' });
        res.end('<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>x</RequestId></ErrorResponse>');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::${mode.account}:user/drift-reader</Arn><UserId>U</UserId><Account>${mode.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
      return;
    }
    if (action === 'DescribeInstances') {
      if (mode.ec2 === 'throttle') {
        res.writeHead(503, { 'content-type': 'text/xml' });
        res.end('<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>x</RequestID></Response>');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(instanceXml(mode.instanceType));
      return;
    }
    res.writeHead(400, { 'content-type': 'text/xml' });
    res.end(`<Response><Errors><Error><Code>InvalidAction</Code><Message>${action}</Message></Error></Errors><RequestID>x</RequestID></Response>`);
  });
});
const ready = new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => server.close());

// Credentials for the loopback endpoint only (the SDK's env provider reads process.env).
process.env.AWS_ACCESS_KEY_ID = 'TESTKEYFORLOOPBACK';
process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

async function check(args: string[], envExtra: Record<string, string> = {}, dir = FIXTURE): Promise<{ code: number; out: string; err: string }> {
  await ready;
  const port = (server.address() as AddressInfo).port;
  let out = '';
  let err = '';
  const io: CliIO = {
    cwd: dir,
    env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_REGION: 'eu-west-1', ...envExtra },
    out: (t) => (out += t + '\n'),
    err: (t) => (err += t + '\n'),
    isTTY: false,
  };
  try {
    return { code: await run(args, io), out, err };
  } catch (error) {
    return { code: (error as { exitCode?: number }).exitCode ?? 99, out, err: err + (error as Error).message };
  }
}

test('no drift → exit 0; unsupported type listed as not checked', async () => {
  mode = { account: '111111111111', instanceType: 't3.micro' };
  const r = await check(['.']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /aws_glue_job\.fn: resource type aws_glue_job is not supported/);
  assert.match(r.out, /0 drifts · checked 1 of 2 resources · 1 not checked/);
});

test('drift → exit 2, text names file:line and both values; --fail-on error lets warnings pass', async () => {
  mode = { account: '111111111111', instanceType: 't3.large' };
  const r = await check([]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.out, /main\.tf\n  7:3 +warning aws_instance\.web: instance_type is "t3\.large" live but "t3\.micro" in the configuration/);
  assert.equal((await check(['--fail-on', 'error'])).code, 0);
});

test('--json and --sarif; SARIF validates against the SARIF 2.1.0 schema', async () => {
  mode = { account: '111111111111', instanceType: 't3.large' };
  const j = await check(['--json']);
  const report = JSON.parse(j.out);
  assert.equal(report.drifts.length, 1);
  assert.equal(report.drifts[0].file, 'main.tf');
  assert.ok(report.apiCalls.total >= 2);
  const s = await check(['--sarif']);
  assert.equal(s.code, 2);
  type SarifDoc = { runs: Array<{ results: Array<{ ruleId: string; message?: unknown; locations: Array<{ physicalLocation: { region: { startLine: number; startColumn: number } } }> }> }> };
  const sarif = JSON.parse(s.out) as SarifDoc;
  const schema = JSON.parse(await fs.readFile(path.resolve(FIXTURE, '../sarif-schema-2.1.0.json'), 'utf8'));
  // The schema is draft-04; Ajv 8 speaks draft-07, which reads it the same once `id` is `$id`.
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  assert.ok(validate(JSON.parse(s.out)), JSON.stringify(validate.errors?.slice(0, 3)));
  const region = sarif.runs[0].results[0].locations[0].physicalLocation.region;
  assert.deepEqual([region.startLine, region.startColumn], [7, 3]);
  assert.equal(sarif.runs[0].results[0].ruleId, 'tidemark/drift/changed');
  // The validator is not vacuous: a result without a message is rejected.
  delete sarif.runs[0].results[0].message;
  assert.equal(validate(JSON.parse(JSON.stringify(sarif))), false);
});

test('bad credentials → exit 1 with the AWS error code, no stack', async () => {
  mode = { account: '111111111111', instanceType: 't3.micro', sts: 'badkey' };
  const r = await check([]);
  assert.equal(r.code, 1);
  assert.match(r.err, /AWS credentials were rejected: InvalidClientTokenId/);
  assert.doesNotMatch(r.err, /\n\s+at /);
});

test('state for another account is refused', async () => {
  mode = { account: '999999999999', instanceType: 't3.large' };
  const r = await check([]);
  assert.equal(r.code, 1);
  assert.match(r.err, /state belongs to AWS account 111111111111, but the credentials .* are for account 999999999999/);
});

test('throttling storm: resources become unknown, never drift; exit 1 says why', async () => {
  mode = { account: '111111111111', instanceType: 't3.large', ec2: 'throttle' };
  calls.length = 0;
  const r = await check(['--json']);
  const report = JSON.parse(r.out);
  assert.equal(report.drifts.length, 0);
  assert.equal(report.unknown[0].address, 'aws_instance.web');
  assert.match(report.unknown[0].reason, /RequestLimitExceeded/);
  assert.equal(calls.filter((c) => c === 'DescribeInstances').length, 6);
  assert.equal(r.code, 1);
});

test('corrupt state, state v3 and malformed HCL: one clear message each', async () => {
  mode = { account: '111111111111', instanceType: 't3.micro' };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidemark-check-'));
  await fs.copyFile(path.join(FIXTURE, 'main.tf'), path.join(dir, 'main.tf'));
  await fs.writeFile(path.join(dir, 'terraform.tfstate'), '{"version": 4, "resources": [');
  let r = await check([], {}, dir);
  assert.equal(r.code, 1);
  assert.match(r.err, /terraform\.tfstate: not a Terraform state file \(invalid JSON/);
  await fs.writeFile(path.join(dir, 'terraform.tfstate'), '{"version": 3, "modules": []}');
  r = await check([], {}, dir);
  assert.match(r.err, /state format version 3 is not supported/);
  await fs.copyFile(path.join(FIXTURE, 'terraform.tfstate'), path.join(dir, 'terraform.tfstate'));
  await fs.writeFile(path.join(dir, 'broken.tf'), 'resource "aws_vpc" "x" {\n  cidr_block = \n}\n');
  r = await check([], {}, dir);
  assert.equal(r.code, 1);
  assert.match(r.err, /broken\.tf:\d+:\d+: /);
  assert.match(r.out, /aws_vpc\.x: syntax error in broken\.tf/);
  await fs.rm(dir, { recursive: true, force: true });
});

test('unreachable endpoint → exit 1 naming the endpoint', async () => {
  const r = await check([], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
  assert.equal(r.code, 1);
  assert.match(r.err, /cannot reach the AWS endpoint at http:\/\/127\.0\.0\.1:9/);
});

test('incremental refresh of one resource costs one DescribeInstances call', async () => {
  mode = { account: '111111111111', instanceType: 't3.large' };
  await ready;
  const { createClients } = await import('../../server/src/cloud/clients');
  const { LiveReader } = await import('../../server/src/cloud/reader');
  const { LiveCache } = await import('../../server/src/cloud/live-cache');
  const { RESOURCE_TYPES } = await import('../../server/src/cloud/types');
  const { parseState } = await import('../../server/src/state/parse-state');
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients = await createClients(
    { region: 'eu-west-1', endpoints: { ec2: endpoint, sts: endpoint, s3: endpoint, iam: endpoint, tagging: endpoint } },
    { credentials: { accessKeyId: 'TESTKEYFORLOOPBACK', secretAccessKey: 'x' } },
  );
  const state = parseState('t', await fs.readFile(path.join(FIXTURE, 'terraform.tfstate'), 'utf8'));
  const cache = new LiveCache(new LiveReader(clients, RESOURCE_TYPES), () => state.instances);
  await cache.refreshResources(['aws_instance.web']);
  assert.deepEqual(clients.gate.stats(), { 'ec2:DescribeInstances': 1 });
  const entry = cache.snapshot.get('aws_instance.web');
  assert.equal(entry?.status, 'found');
  assert.equal(entry?.status === 'found' && entry.resource.attributes.instance_type, 't3.large');
});

test('hostile files: check (text, --json, --sarif) names each one, still checks the valid files, exits 1', async () => {
  mode = { account: '111111111111', instanceType: 't3.large' };
  const dir = writeHostileWorkspace('tidemark-check-hostile-');
  try {
    await fs.copyFile(path.join(FIXTURE, 'main.tf'), path.join(dir, 'main.tf'));
    await fs.copyFile(path.join(FIXTURE, 'terraform.tfstate'), path.join(dir, 'terraform.tfstate'));
    const named = (err: string) => {
      for (const file of HOSTILE_FILES) {
        const line = err.split('\n').find((l) => l.startsWith(`${file.name}:`));
        assert.ok(line, `no error naming ${file.name} in:\n${err.slice(0, 2000)}`);
        assert.match(line, file.expect);
      }
    };
    const text = await check([], {}, dir);
    assert.equal(text.code, 1, text.err.slice(0, 2000));
    named(text.err);
    assert.match(text.out, /aws_instance\.web: instance_type is "t3\.large" live/, 'the valid file is still checked');
    const json = await check(['--json'], {}, dir);
    assert.equal(json.code, 1);
    named(json.err);
    const report = JSON.parse(json.out) as { drifts: unknown[]; errors: string[] };
    assert.equal(report.drifts.length, 1);
    for (const file of HOSTILE_FILES) assert.ok(report.errors.some((e) => e.startsWith(`${file.name}:`)), `--json errors miss ${file.name}`);
    const sarif = await check(['--sarif'], {}, dir);
    assert.equal(sarif.code, 1);
    named(sarif.err);
    assert.equal((JSON.parse(sarif.out) as { runs: Array<{ results: unknown[] }> }).runs[0].results.length, 1);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
