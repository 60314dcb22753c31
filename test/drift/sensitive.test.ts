// Sensitive and state-only attributes in the engine (pure): a Lambda function's environment drift
// names keys, never values, in every serialized form, while Revert keeps the declared value; code
// is compared with the hash recorded in state, never with the configured expression.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { driftMessage } from '../../server/src/drift/describe';
import { secretDigest } from '../../server/src/cloud/types/lambda-common';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import { sameValue } from '../../server/src/revert/plan';
import { diff, instance, live, summary } from './helpers';

const SECRET = 'pa55-w0rd-never-shown';
const hcl = (env: string, extra = '') => ({
  'main.tf': `resource "aws_lambda_function" "f" {\n  function_name = "f"\n  role = "arn:aws:iam::123456789012:role/r"\n  handler = "index.h"\n  runtime = "nodejs20.x"\n${env}${extra}}\n`,
});
const ENV = `  environment {\n    variables = {\n      TOKEN = "${SECRET}"\n      MODE = "prod"\n    }\n  }\n`;
const liveFn = (vars: Record<string, string>, extra: Record<string, unknown> = {}) => live('aws_lambda_function.f', 'aws_lambda_function', 'f', {
  function_name: 'f', role: 'arn:aws:iam::123456789012:role/r', handler: 'index.h', runtime: 'nodejs20.x', description: '', memory_size: 128, timeout: 3,
  architectures: ['x86_64'], package_type: 'Zip', ephemeral_storage: [{ size: 512 }], tracing_config: [{ mode: 'PassThrough' }],
  environment: Object.keys(vars).length ? [{ variables: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, secretDigest(v)])) }] : [],
  vpc_config: [], dead_letter_config: [], kms_key_arn: '', layers: [], code_sha256: 'abc=', source_code_hash: 'abc=', tags: {}, ...extra,
});
const state = (attrs: Record<string, unknown> = {}) => [instance('aws_lambda_function.f', { id: 'f', function_name: 'f', code_sha256: 'abc=', ...attrs })];

test('equal environment values (read as digests) are no drift', async () => {
  const r = await diff({ files: hcl(ENV), state: state(), live: [liveFn({ TOKEN: SECRET, MODE: 'prod' })] });
  assert.deepEqual(summary(r), []);
});

test('a changed secret is drift on environment naming the key; no value appears in the drift, its message or its JSON', async () => {
  const r = await diff({ files: hcl(ENV), state: state(), live: [liveFn({ TOKEN: 'rotated-by-hand', MODE: 'prod', EXTRA: 'x' })] });
  assert.deepEqual(summary(r), ['changed aws_lambda_function.f environment']);
  const d = r.drifts[0]!;
  assert.deepEqual(d.difference, { added: ['EXTRA', 'TOKEN (live value)'], removed: ['TOKEN (declared value)'], kept: ['MODE'] });
  const hidden = /^\(sensitive [0-9a-f]{16}\)$/;
  assert.deepEqual(Object.keys(d.declared as object), ['MODE', 'TOKEN']);
  assert.deepEqual(Object.keys(d.live as object), ['EXTRA', 'MODE', 'TOKEN']);
  for (const v of [...Object.values(d.declared as object), ...Object.values(d.live as object)]) assert.match(String(v), hidden);
  // Equal values show equal tokens, different values different ones: a redacted value still compares.
  assert.equal((d.declared as Record<string, string>).MODE, (d.live as Record<string, string>).MODE);
  assert.notEqual((d.declared as Record<string, string>).TOKEN, (d.live as Record<string, string>).TOKEN);
  const shown = JSON.stringify(d) + driftMessage(d);
  for (const value of [SECRET, 'rotated-by-hand', 'prod', 'hmac']) assert.ok(!shown.includes(value), `${value} leaked: ${shown}`);
  // Revert's value is held apart from every serialized form, and survives copies of the drift (attribution spreads them).
  const copy = { ...d, attribution: undefined };
  assert.deepEqual(copy.writeBack?.reveal(), [{ variables: { TOKEN: SECRET, MODE: 'prod' } }]);
  assert.ok(!inspect(copy, { depth: 10, showHidden: true }).includes(SECRET), 'util.inspect shows no value');
});

test('an environment declared through an unknown value is compared against state, still without values', async () => {
  const files = hcl('  environment {\n    variables = { TOKEN = var.token }\n  }\n', '');
  const r = await diff({ files: { ...files, 'vars.tf': 'variable "token" {}\n' }, state: state({ environment: [{ variables: { TOKEN: SECRET } }] }), live: [liveFn({ TOKEN: 'other' })] });
  assert.deepEqual(summary(r), ['changed aws_lambda_function.f environment (state)']);
  assert.ok(!JSON.stringify(r.drifts[0]).includes(SECRET));
});

test('code is compared only against the hash in state: a configured filebase64sha256() is never evaluated, nothing recorded means nothing compared', async () => {
  const code = '  filename = "f.zip"\n  source_code_hash = filebase64sha256("f.zip")\n';
  assert.deepEqual(summary(await diff({ files: hcl('', code), state: state(), live: [liveFn({})] })), []);
  assert.deepEqual(summary(await diff({ files: hcl('', code), state: state(), live: [liveFn({}, { code_sha256: 'new=' })] })), ['changed aws_lambda_function.f code_sha256 (state)']);
  // A literal that is not the package's hash (a trigger) is not compared with live either.
  assert.deepEqual(summary(await diff({ files: hcl('', '  source_code_hash = "v2"\n'), state: state({ source_code_hash: 'v2' }), live: [liveFn({}, { source_code_hash: 'v2' })] })), []);
  assert.deepEqual(summary(await diff({ files: hcl(''), state: [instance('aws_lambda_function.f', { id: 'f', function_name: 'f' })], live: [liveFn({}, { code_sha256: 'new=' })] })), []);
});

test('auto-revert\'s recheck can tell a secret changed again after the plan, from redacted values alone', async () => {
  const planned = (await diff({ files: hcl(ENV), state: state(), live: [liveFn({ TOKEN: 'rotated-by-hand', MODE: 'prod' })] })).drifts[0]!;
  const same = (await diff({ files: hcl(ENV), state: state(), live: [liveFn({ TOKEN: 'rotated-by-hand', MODE: 'prod' })] })).drifts[0]!;
  const again = (await diff({ files: hcl(ENV), state: state(), live: [liveFn({ TOKEN: 'rotated-twice', MODE: 'prod' })] })).drifts[0]!;
  const eq = (a: unknown, b: unknown) => sameValue(RESOURCE_TYPES, 'aws_lambda_function', ['environment'], a, b);
  assert.equal(eq(same.live, planned.live), true, 'unchanged since the plan');
  assert.equal(eq(again.live, planned.live), false, 'changed again since the plan');
  // The step's target (the redacted declared value) equals live once the declared values are back.
  assert.equal(eq([{ variables: { TOKEN: secretDigest(SECRET), MODE: secretDigest('prod') } }], planned.declared), true);
  assert.equal(eq(liveFn({ TOKEN: 'rotated-by-hand', MODE: 'prod' }).attributes.environment, planned.declared), false);
});
