// The Lambda types against the sandbox with the real SDK (REST-JSON): aws_lambda_function,
// aws_lambda_permission, aws_lambda_alias, aws_lambda_event_source_mapping,
// aws_lambda_function_url and aws_lambda_function_event_invoke_config. Provider-shaped state
// matches live; unset arguments take the provider's defaults and are not drift; one live change
// per attribute class is drift on it; the writers revert it; a fresh read is clean; environment
// values never appear in a drift; code is compared only against state; one call per function
// serves its sub-resources; deleted objects are missing; bad input gets Lambda's own errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  AddPermissionCommand, CreateAliasCommand, CreateEventSourceMappingCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, DeleteAliasCommand,
  GetFunctionConfigurationCommand, LambdaClient, PublishVersionCommand, PutFunctionConcurrencyCommand, PutFunctionEventInvokeConfigCommand,
  RemovePermissionCommand, TagResourceCommand, UpdateAliasCommand, UpdateEventSourceMappingCommand, UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand, UpdateFunctionEventInvokeConfigCommand, UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import path from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runCheck, writeStateFile } from '../support/check-cli';
import { loadScenarioFile, type SandboxHandle } from '../../sandbox/src/index';
import { keyOf } from '../sandbox/helpers';
import { repoRoot } from '../support/lsp-client';
import type { AwsClients } from '../../server/src/cloud/clients';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import { LiveReader } from '../../server/src/cloud/reader';
import { declaredNeeds } from '../../server/src/drift/needs';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import { revertDrift } from '../../server/src/cloud/revert';
import { eventExplains } from '../../server/src/attribution/event-attributes';
import { driftMessage } from '../../server/src/drift/describe';
import type { StateInstance } from '../../server/src/model';
import { driftsOf } from './type-check-helpers';
import { startTypeSandbox } from './type-sandbox';
import { assertClean, assertDriftReverted, readLive } from '../support/type-suite';
import { diff, summary } from '../drift/helpers';

let sandbox: SandboxHandle;
let lambda: LambdaClient;
let clients: AwsClients;
let mappingId = '';
let codeSha = '';
let common: Awaited<ReturnType<typeof startTypeSandbox>>['common'];

const ZIP = Buffer.from('PK\u0003\u0004 orders handler v1');
const ZIP2 = Buffer.from('PK\u0003\u0004 orders handler v2');
const SECRET = 'hunter2-do-not-leak';

function inst(type: string, name: string, attributes: Record<string, unknown>): StateInstance {
  return { address: `${type}.${name}`, resourceAddress: `${type}.${name}`, type, name, module: '', attributes };
}

const role = () => `arn:aws:iam::${sandbox.accountId}:role/lambda-exec`;
const fnArn = (name: string) => `arn:aws:lambda:${sandbox.region}:${sandbox.accountId}:function:${name}`;
const queueArn = (name: string) => `arn:aws:sqs:${sandbox.region}:${sandbox.accountId}:${name}`;
const topicArn = (name: string) => `arn:aws:sns:${sandbox.region}:${sandbox.accountId}:${name}`;

/** As the AWS provider v5 records them after apply. */
const state = (): StateInstance[] => [
  inst('aws_lambda_function', 'orders', {
    id: 'orders', function_name: 'orders', arn: fnArn('orders'), role: role(), handler: 'index.handler', runtime: 'nodejs20.x', description: '',
    memory_size: 256, timeout: 10, architectures: ['x86_64'], package_type: 'Zip', ephemeral_storage: [{ size: 512 }], tracing_config: [{ mode: 'PassThrough' }],
    environment: [{ variables: { API_URL: 'https://api.example.com', DB_PASSWORD: SECRET } }], vpc_config: [], dead_letter_config: [], kms_key_arn: '', layers: [],
    reserved_concurrent_executions: -1, code_sha256: codeSha, source_code_hash: codeSha, filename: 'orders.zip', publish: false, version: '$LATEST',
    tags: { Team: 'payments' }, tags_all: { Team: 'payments' },
  }),
  inst('aws_lambda_permission', 'sns', {
    id: 'AllowSNS', statement_id: 'AllowSNS', statement_id_prefix: '', function_name: fnArn('orders'), qualifier: '', action: 'lambda:InvokeFunction',
    principal: 'sns.amazonaws.com', source_arn: topicArn('orders-events'), source_account: '', event_source_token: '', principal_org_id: '', function_url_auth_type: '',
  }),
  inst('aws_lambda_alias', 'live', {
    id: `${fnArn('orders')}:live`, arn: `${fnArn('orders')}:live`, name: 'live', function_name: 'orders', function_version: '1', description: 'production',
    routing_config: [{ additional_version_weights: { 2: 0.1 } }],
  }),
  inst('aws_lambda_event_source_mapping', 'queue', {
    id: mappingId, uuid: mappingId, function_name: fnArn('orders'), function_arn: fnArn('orders'), event_source_arn: queueArn('orders-in'), enabled: true,
    batch_size: 5, maximum_batching_window_in_seconds: 0, function_response_types: ['ReportBatchItemFailures'], filter_criteria: [], scaling_config: [],
  }),
  inst('aws_lambda_function_url', 'orders', {
    id: 'orders', function_name: 'orders', qualifier: '', authorization_type: 'AWS_IAM', invoke_mode: 'BUFFERED',
    cors: [{ allow_credentials: false, allow_headers: [], allow_methods: ['GET'], allow_origins: ['https://example.com'], expose_headers: [], max_age: 0 }],
  }),
  inst('aws_lambda_function_event_invoke_config', 'orders', {
    id: 'orders', function_name: 'orders', qualifier: '', maximum_retry_attempts: 1, maximum_event_age_in_seconds: 3600,
    destination_config: [{ on_failure: [{ destination: queueArn('orders-failed') }] }],
  }),
];

before(async () => {
  const started = await startTypeSandbox('lambda-admin', ['lambda:*', 'iam:CreateRole', 'sqs:*', 'cloudtrail:LookupEvents']);
  ({ sandbox, clients, common } = started);
  lambda = new LambdaClient(started.common);
  const iam = new IAMClient(started.common);
  await iam.send(new CreateRoleCommand({
    RoleName: 'lambda-exec',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  }));
  iam.destroy();
  const sqs = new SQSClient(started.common);
  await sqs.send(new CreateQueueCommand({ QueueName: 'orders-in' }));
  sqs.destroy();
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'orders', Role: role(), Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: ZIP }, MemorySize: 256, Timeout: 10,
    Environment: { Variables: { API_URL: 'https://api.example.com', DB_PASSWORD: SECRET } }, Tags: { Team: 'payments' },
  }));
  await lambda.send(new PublishVersionCommand({ FunctionName: 'orders' }));
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'orders', ZipFile: ZIP2, Publish: true }));
  codeSha = createHash('sha256').update(ZIP2).digest('base64');
  await lambda.send(new CreateAliasCommand({ FunctionName: 'orders', Name: 'live', FunctionVersion: '1', Description: 'production', RoutingConfig: { AdditionalVersionWeights: { 2: 0.1 } } }));
  await lambda.send(new AddPermissionCommand({ FunctionName: 'orders', StatementId: 'AllowSNS', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: topicArn('orders-events') }));
  mappingId = (await lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: fnArn('orders'), EventSourceArn: queueArn('orders-in'), BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'],
  }))).UUID!;
  await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'orders', AuthType: 'AWS_IAM', Cors: { AllowOrigins: ['https://example.com'], AllowMethods: ['GET'] } }));
  await lambda.send(new PutFunctionEventInvokeConfigCommand({
    FunctionName: 'orders', MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600, DestinationConfig: { OnFailure: { Destination: queueArn('orders-failed') } },
  }));
});

after(async () => {
  lambda?.destroy();
  await sandbox?.stop();
});

test('provider-shaped state of the Lambda types matches the live function and its sub-resources', async () => {
  await assertClean(clients, state());
});

test('one ListFunctions page, one call per function for each sub-resource family and for its reserved concurrency, one ListEventSourceMappings page', async () => {
  await fetch(`${sandbox.endpoint}/_sandbox/stats/reset`, { method: 'POST' });
  await readLive(clients, state(), { declared: false });
  const stats = await (await fetch(`${sandbox.endpoint}/_sandbox/stats`)).json() as Record<string, number>;
  const lambdaCalls = Object.fromEntries(Object.entries(stats).filter(([k]) => k.startsWith('lambda:')));
  assert.deepEqual(lambdaCalls, {
    'lambda:GetFunctionConcurrency': 1, 'lambda:GetPolicy': 1, 'lambda:ListAliases': 1, 'lambda:ListEventSourceMappings': 1, 'lambda:ListFunctionEventInvokeConfigs': 1,
    'lambda:ListFunctionUrlConfigs': 1, 'lambda:ListFunctions': 1,
  });
});

test('unset arguments take the provider defaults: a bare function is not drift', async () => {
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'bare', Role: role(), Handler: 'index.handler', Runtime: 'python3.12', Code: { ZipFile: ZIP } }));
  // Only what the configuration must set; everything else is compared against the provider's default.
  const bare = [inst('aws_lambda_function', 'bare', { id: 'bare', function_name: 'bare', role: role(), handler: 'index.handler', runtime: 'python3.12' })];
  const snapshot = await readLive(clients, bare, { declared: false });
  assert.equal(snapshot.get('aws_lambda_function.bare')?.status, 'found');
  // Through the engine, from HCL that sets nothing optional.
  const files = { 'main.tf': `resource "aws_lambda_function" "bare" {\n  function_name = "bare"\n  role = "${role()}"\n  handler = "index.handler"\n  runtime = "python3.12"\n  filename = "bare.zip"\n}\n` };
  const entry = snapshot.get('aws_lambda_function.bare');
  assert.ok(entry?.status === 'found');
  const r = await diff({ files, state: bare, live: [entry.resource] });
  assert.deepEqual(summary(r), []);
  // A hand-set memory size on the bare function is drift against the default 128.
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'bare', MemorySize: 512 }));
  const after = (await readLive(clients, bare, { declared: false })).get('aws_lambda_function.bare');
  assert.ok(after?.status === 'found');
  assert.deepEqual(summary(await diff({ files, state: bare, live: [after.resource] })), ['changed aws_lambda_function.bare memory_size']);
});

/** The configuration of `orders` (environment included), plus any extra arguments. */
const ordersHcl = (extra = '') => ({
  'main.tf': `resource "aws_lambda_function" "orders" {\n  function_name = "orders"\n  role = "${role()}"\n  handler = "index.handler"\n  runtime = "nodejs20.x"\n  memory_size = 256\n  timeout = 10\n`
    + `  environment {\n    variables = {\n      API_URL = "https://api.example.com"\n      DB_PASSWORD = "${SECRET}"\n    }\n  }\n  tags = { Team = "payments" }\n${extra}}\n`,
});

const CHANGES: Array<{ title: string; drift: string[]; change: () => Promise<unknown> }> = [
  { title: 'memory size', drift: ['aws_lambda_function.orders memory_size'], change: () => lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders', MemorySize: 1024 })) },
  { title: 'timeout', drift: ['aws_lambda_function.orders timeout'], change: () => lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders', Timeout: 60 })) },
  { title: 'tracing', drift: ['aws_lambda_function.orders tracing_config'], change: () => lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders', TracingConfig: { Mode: 'Active' } })) },
  { title: 'ephemeral storage', drift: ['aws_lambda_function.orders ephemeral_storage'], change: () => lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders', EphemeralStorage: { Size: 2048 } })) },
  {
    title: 'environment', drift: ['aws_lambda_function.orders environment'],
    change: () => lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders', Environment: { Variables: { API_URL: 'https://evil.example.com', DB_PASSWORD: SECRET, DEBUG: '1' } } })),
  },
  { title: 'reserved concurrency', drift: ['aws_lambda_function.orders reserved_concurrent_executions'], change: () => lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'orders', ReservedConcurrentExecutions: 5 })) },
  { title: 'tags', drift: ['aws_lambda_function.orders tags'], change: () => lambda.send(new TagResourceCommand({ Resource: fnArn('orders'), Tags: { Team: 'hotfix' } })) },
  { title: 'alias version', drift: ['aws_lambda_alias.live function_version', 'aws_lambda_alias.live routing_config'], change: () => lambda.send(new UpdateAliasCommand({ FunctionName: 'orders', Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } })) },
  { title: 'mapping batch size', drift: ['aws_lambda_event_source_mapping.queue batch_size'], change: () => lambda.send(new UpdateEventSourceMappingCommand({ UUID: mappingId, BatchSize: 10 })) },
  { title: 'mapping disabled', drift: ['aws_lambda_event_source_mapping.queue enabled'], change: () => lambda.send(new UpdateEventSourceMappingCommand({ UUID: mappingId, Enabled: false })) },
  { title: 'URL auth', drift: ['aws_lambda_function_url.orders authorization_type'], change: () => lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'orders', AuthType: 'NONE' })) },
  { title: 'URL CORS', drift: ['aws_lambda_function_url.orders cors'], change: () => lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'orders', Cors: { AllowOrigins: ['*'], AllowMethods: ['GET'] } })) },
  { title: 'retries', drift: ['aws_lambda_function_event_invoke_config.orders maximum_retry_attempts'], change: () => lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'orders', MaximumRetryAttempts: 0 })) },
  {
    title: 'destination', drift: ['aws_lambda_function_event_invoke_config.orders destination_config'],
    change: () => lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'orders', DestinationConfig: { OnFailure: { Destination: queueArn('elsewhere') } } })),
  },
];

for (const c of CHANGES) {
  test(`a live change to the ${c.title} is drift on ${c.drift.join(', ')}; the writer reverts it; a fresh read is clean`, async () => {
    await c.change();
    await assertDriftReverted(clients, state(), c.drift);
  });
}

test('an image function: image_uri (one GetFunction, only when declared) and a declared logging_config are drift and are written back', async () => {
  const image = (tag: string) => `${sandbox.accountId}.dkr.ecr.${sandbox.region}.amazonaws.com/orders:${tag}`;
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'orders-image', Role: role(), PackageType: 'Image', Code: { ImageUri: image('v1') }, LoggingConfig: { LogFormat: 'JSON' },
  }));
  const sha = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'orders-image' }))).CodeSha256;
  const imageState = () => [inst('aws_lambda_function', 'image', {
    id: 'orders-image', function_name: 'orders-image', role: role(), package_type: 'Image', image_uri: image('v1'), code_sha256: sha, reserved_concurrent_executions: -1,
    logging_config: [{ log_format: 'JSON', log_group: '', application_log_level: '', system_log_level: '' }],
  })];
  await assertClean(clients, imageState());
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders-image', LoggingConfig: { LogFormat: 'Text' } }));
  await assertDriftReverted(clients, imageState(), ['aws_lambda_function.image logging_config']);
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'orders-image', ImageUri: image('hotfix') }));
  // The image is the code: both the URI and the code hash moved; pointing the URI back restores both.
  const snapshot = await readLive(clients, imageState());
  assert.deepEqual(driftsOf(RESOURCE_TYPES, imageState(), snapshot).sort(), ['aws_lambda_function.image code_sha256', 'aws_lambda_function.image image_uri']);
  const entry = snapshot.get('aws_lambda_function.image');
  assert.ok(entry?.status === 'found');
  const outcome = await RESOURCE_TYPES.get('aws_lambda_function')!.revert({ id: 'orders-image', state: imageState()[0]!, live: entry.resource, attribute: 'image_uri', declared: image('v1') }, clients);
  assert.equal(outcome.ok, true, outcome.message);
  await assertClean(clients, imageState());
});

test('environment drift names the keys that differ and never a value; revert still writes the declared values', async () => {
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders', Environment: { Variables: { API_URL: 'https://api.example.com', DB_PASSWORD: 'changed-by-hand', DEBUG: '1' } } }));
  const snapshot = await readLive(clients, state());
  const entry = snapshot.get('aws_lambda_function.orders');
  assert.ok(entry?.status === 'found');
  assert.ok(!JSON.stringify(entry).includes('changed-by-hand') && !JSON.stringify(entry).includes(SECRET), 'the snapshot holds no environment value');
  const files = ordersHcl();
  const fn = state().filter((i) => i.type === 'aws_lambda_function');
  const r = await diff({ files, state: fn, live: [entry.resource] });
  assert.deepEqual(summary(r), ['changed aws_lambda_function.orders environment']);
  const drift = r.drifts[0]!;
  const shown = JSON.stringify(drift) + driftMessage(drift);
  assert.ok(!shown.includes(SECRET) && !shown.includes('changed-by-hand') && !shown.includes('hmac'), `no value in the drift: ${shown}`);
  assert.deepEqual(drift.difference, { added: ['DB_PASSWORD (live value)', 'DEBUG'], removed: ['DB_PASSWORD (declared value)'], kept: ['API_URL'] });
  assert.match(driftMessage(drift), /\+ DB_PASSWORD \(live value\), \+ DEBUG, - DB_PASSWORD \(declared value\)/);
  const outcome = await revertDrift(drift, snapshot, fn[0], RESOURCE_TYPES, clients);
  assert.equal(outcome.ok, true, outcome.message);
  const live = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'orders' }));
  assert.deepEqual(live.Environment?.Variables, { API_URL: 'https://api.example.com', DB_PASSWORD: SECRET });
  await assertClean(clients, state());
});

// Terraform's default for an undeclared reserved_concurrent_executions is -1 (unreserved): a reservation
// made by hand on a function whose code does not mention it is a plan diff, so the check reads it too.
test('a reservation made by hand on a function that declares none is drift on reserved_concurrent_executions, and is removed on revert', async () => {
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'orders', ReservedConcurrentExecutions: 7 }));
  const files = ordersHcl();
  assert.ok(!files['main.tf'].includes('reserved_concurrent_executions'));
  const fn = state().filter((i) => i.type === 'aws_lambda_function');
  const parsed = await Promise.all(Object.entries(files).map(([name, text]) => parseHclFile(`/ws/${name}`, text)));
  const read = await new LiveReader(clients, RESOURCE_TYPES).read(fn, { needs: declaredNeeds(parsed) });
  assert.deepEqual(read.failures, []);
  const entry = read.snapshot.get('aws_lambda_function.orders');
  assert.ok(entry?.status === 'found');
  const r = await diff({ files, state: fn, live: [entry.resource] });
  assert.deepEqual(summary(r), ['changed aws_lambda_function.orders reserved_concurrent_executions']);
  const outcome = await revertDrift(r.drifts[0]!, read.snapshot, fn[0], RESOURCE_TYPES, clients);
  assert.equal(outcome.ok, true, outcome.message);
  await assertClean(clients, state());
});

test('code is compared with the hash Terraform recorded, not the configuration: new code is drift on code_sha256 and cannot be reverted in place', async () => {
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'orders', ZipFile: Buffer.from('PK\u0003\u0004 hotfix') }));
  const fn = state().filter((i) => i.type === 'aws_lambda_function');
  const snapshot = await readLive(clients, fn);
  const entry = snapshot.get('aws_lambda_function.orders');
  assert.ok(entry?.status === 'found');
  // The configuration's filebase64sha256() is not evaluated; state's code_sha256 is what is compared.
  const files = ordersHcl('  filename = "orders.zip"\n  source_code_hash = filebase64sha256("orders.zip")\n');
  const r = await diff({ files, state: fn, live: [entry.resource] });
  assert.deepEqual(summary(r), ['changed aws_lambda_function.orders code_sha256 (state)']);
  const outcome = await RESOURCE_TYPES.get('aws_lambda_function')!.revert({ id: 'orders', state: fn[0]!, live: entry.resource, attribute: 'code_sha256', declared: codeSha }, clients);
  assert.equal(outcome.ok, false);
  assert.match(outcome.message, /deployment package.*terraform apply/);
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'orders', ZipFile: ZIP2 }));
  await assertClean(clients, state());
});

test('CloudTrail records Lambda writes under their versioned names, and attribution maps them to the attributes they change', async () => {
  const trail = new CloudTrailClient(common);
  const out = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'orders' }], MaxResults: 50 }));
  trail.destroy();
  const names = new Set((out.Events ?? []).map((e) => e.EventName));
  for (const n of ['CreateFunction20150331', 'UpdateFunctionConfiguration20150331v2', 'UpdateFunctionCode20150331v2', 'AddPermission20150331v2', 'UpdateAlias20150331', 'TagResource20170331v2']) {
    assert.ok(names.has(n), `${n} in ${[...names].join(', ')}`);
  }
  const update = (out.Events ?? []).find((e) => e.EventName === 'UpdateFunctionConfiguration20150331v2' && e.CloudTrailEvent?.includes('environment'));
  assert.ok(update, 'an UpdateFunctionConfiguration with environment was recorded');
  assert.ok(!update.CloudTrailEvent!.includes(SECRET), 'CloudTrail hides environment values');
  const parameterNames = Object.keys((JSON.parse(update.CloudTrailEvent!) as { requestParameters: Record<string, unknown> }).requestParameters);
  assert.equal(eventExplains({ eventName: 'UpdateFunctionConfiguration20150331v2', parameterNames }, ['environment']), true);
  assert.equal(eventExplains({ eventName: 'UpdateFunctionConfiguration20150331v2', parameterNames }, ['memory_size']), false);
  assert.equal(eventExplains({ eventName: 'UpdateAlias20150331' }, ['function_version']), true);
  assert.equal(eventExplains({ eventName: 'UpdateAlias20150331' }, ['tags']), false);
});

test('a permission removed by hand, or changed, is reported; Lambda cannot edit a statement, so revert leaves it to terraform apply', async () => {
  await lambda.send(new RemovePermissionCommand({ FunctionName: 'orders', StatementId: 'AllowSNS' }));
  await lambda.send(new AddPermissionCommand({ FunctionName: 'orders', StatementId: 'AllowSNS', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: topicArn('other') }));
  await assertDriftReverted(clients, state(), ['aws_lambda_permission.sns source_arn'], {
    declared: true, unrevertable: /Terraform replaces the permission/,
    undo: async () => {
      await lambda.send(new RemovePermissionCommand({ FunctionName: 'orders', StatementId: 'AllowSNS' }));
      await lambda.send(new AddPermissionCommand({ FunctionName: 'orders', StatementId: 'AllowSNS', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: topicArn('orders-events') }));
    },
  });
});

test('Lambda\'s own errors for bad input, through the real SDK', async () => {
  await assert.rejects(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'nope' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) =>
    e.name === 'ResourceNotFoundException' && /Function not found: arn:aws:lambda:.*:function:nope/.test(e.message) && e.$metadata?.httpStatusCode === 404);
  await assert.rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders', MemorySize: 64 })), (e: Error) =>
    e.name === 'ValidationException' && /memorySize.*greater than or equal to 128/.test(e.message));
  await assert.rejects(lambda.send(new CreateFunctionCommand({ FunctionName: 'orders', Role: role(), Handler: 'h', Runtime: 'nodejs20.x', Code: { ZipFile: ZIP } })), (e: Error) =>
    e.name === 'ResourceConflictException' && /already exist/.test(e.message));
  await assert.rejects(lambda.send(new AddPermissionCommand({ FunctionName: 'orders', StatementId: 'AllowSNS', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' })), (e: Error) =>
    e.name === 'ResourceConflictException');
  await assert.rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders', Runtime: 'cobol85' as 'nodejs20.x' })), (e: Error) => e.name === 'InvalidParameterValueException');
  await assert.rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders', Role: `arn:aws:iam::${sandbox.accountId}:role/missing` })), (e: Error) =>
    e.name === 'InvalidParameterValueException' && /cannot be assumed by Lambda/.test(e.message));
  // Unsigned: Lambda's front end answers in its own shape, whatever the path.
  const unsigned = await fetch(`${sandbox.endpoint}/2015-03-31/functions/orders/configuration`);
  assert.equal(unsigned.status, 403);
  assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  assert.match(await unsigned.text(), /Missing Authentication Token/);
  // Another principal without lambda:* is refused with Lambda's AccessDeniedException (HTTP 403).
  const denied = new LambdaClient({ ...common, credentials: keyOf(loadScenarioFile(path.join(repoRoot, 'sandbox/scenarios/demo.yaml')), 'carol') });
  await assert.rejects(denied.send(new GetFunctionConfigurationCommand({ FunctionName: 'orders' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) =>
    e.name === 'AccessDeniedException' && e.$metadata?.httpStatusCode === 403 && /lambda:GetFunctionConfiguration/.test(e.message));
  denied.destroy();
});

test('tidemark check (text, JSON, SARIF) reports a changed environment by key, with no value anywhere in its output', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-lambda-'));
  try {
    writeFileSync(path.join(dir, 'main.tf'), `provider "aws" {\n  region = "${sandbox.region}"\n}\n\n${ordersHcl()['main.tf']}`);
    writeStateFile(dir, [{ type: 'aws_lambda_function', name: 'orders', attributes: state()[0]!.attributes }]);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders', Environment: { Variables: { API_URL: 'https://api.example.com', DB_PASSWORD: 'leaked-if-you-see-this' } } }));
    for (const format of [[], ['--json'], ['--sarif']]) {
      const r = await runCheck(sandbox, common.credentials, dir, ['--no-attribution', ...format]);
      assert.equal(r.code, 2, r.out + r.err);
      assert.match(r.out, /environment/);
      for (const value of [SECRET, 'leaked-if-you-see-this', 'https://api.example.com']) assert.ok(!(r.out + r.err).includes(value), `${format.join('') || 'text'} shows ${value}`);
    }
    const text = await runCheck(sandbox, common.credentials, dir, ['--no-attribution']);
    assert.match(text.out, /\+ DB_PASSWORD \(live value\), - DB_PASSWORD \(declared value\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'orders', Environment: { Variables: { API_URL: 'https://api.example.com', DB_PASSWORD: SECRET } } }));
  }
});

test('deleted sub-resources read as missing', async () => {
  await lambda.send(new DeleteAliasCommand({ FunctionName: 'orders', Name: 'live' }));
  await lambda.send(new RemovePermissionCommand({ FunctionName: 'orders', StatementId: 'AllowSNS' }));
  const snapshot = await readLive(clients, state());
  assert.equal(snapshot.get('aws_lambda_alias.live')?.status, 'missing');
  assert.equal(snapshot.get('aws_lambda_permission.sns')?.status, 'missing');
  assert.equal(snapshot.get('aws_lambda_function.orders')?.status, 'found');
});
