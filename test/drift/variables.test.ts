// Root-module variables as Terraform resolves them: precedence of the sources, string-form parsing
// of TF_VAR_ / -var by the declared type, conversion to the type, and errors that name their source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import { ModuleScope } from '../../server/src/drift/module-scope';
import { convert, parseTypeConstraint, TypeConstraintError } from '../../server/src/drift/variable-types';
import type { VariableInputs } from '../../server/src/drift/variables';
import { isUnknown, Unknown, Value } from '../../server/src/drift/values';
import { takeVariableArgs } from '../../server/src/cli/check';
import { diff, instance, live, summary } from './helpers';

async function scopeOf(files: Record<string, string>, inputs: VariableInputs = {}): Promise<ModuleScope> {
  const parsed = await Promise.all(Object.entries(files).map(([name, text]) => parseHclFile(`/ws/${name}`, text)));
  return new ModuleScope(parsed, { present: false, instancesOf: () => [] }, inputs);
}

const show = (v: Value): unknown => (isUnknown(v) ? `unknown: ${(v as Unknown).reason}` : v);

test('precedence: environment < terraform.tfvars < terraform.tfvars.json < *.auto.tfvars(.json) by name < -var/-var-file in order', async (t) => {
  const decl = 'variable "v" {\n  type = string\n  default = "default"\n}\n';
  const rows: Array<{ name: string; files?: Record<string, string>; inputs?: VariableInputs; want: string }> = [
    { name: 'default alone', want: 'default' },
    { name: 'TF_VAR_ over the default', inputs: { env: { v: 'env' } }, want: 'env' },
    { name: 'terraform.tfvars over TF_VAR_', files: { 'terraform.tfvars': 'v = "tfvars"\n' }, inputs: { env: { v: 'env' } }, want: 'tfvars' },
    { name: 'terraform.tfvars.json over terraform.tfvars', files: { 'terraform.tfvars': 'v = "tfvars"\n' }, inputs: { jsonFiles: [{ file: '/ws/terraform.tfvars.json', text: '{"v": "tfvars.json"}' }] }, want: 'tfvars.json' },
    { name: '*.auto.tfvars over terraform.tfvars.json', files: { 'x.auto.tfvars': 'v = "auto"\n' }, inputs: { jsonFiles: [{ file: '/ws/terraform.tfvars.json', text: '{"v": "tfvars.json"}' }] }, want: 'auto' },
    {
      name: 'auto files in lexical order of their names, .json mixed in',
      files: { 'b.auto.tfvars': 'v = "b"\n', 'a.auto.tfvars': 'v = "a"\n' },
      inputs: { jsonFiles: [{ file: '/ws/c.auto.tfvars.json', text: '{"v": "c-json"}' }, { file: '/ws/a0.auto.tfvars.json', text: '{"v": "a0-json"}' }] },
      want: 'c-json',
    },
    { name: 'a plain *.tfvars is not loaded automatically', files: { 'prod.tfvars': 'v = "prod"\n' }, want: 'default' },
    { name: '-var over every file and TF_VAR_', files: { 'z.auto.tfvars': 'v = "auto"\n' }, inputs: { env: { v: 'env' }, cli: [{ kind: 'var', name: 'v', raw: 'cli' }] }, want: 'cli' },
    {
      name: '-var and -var-file: the later one on the command line wins',
      inputs: { cli: [{ kind: 'var', name: 'v', raw: 'first' }, { kind: 'json-file', file: '/elsewhere/x.tfvars.json', text: '{"v": "second"}' }] },
      want: 'second',
    },
  ];
  for (const row of rows) {
    await t.test(row.name, async () => {
      const scope = await scopeOf({ 'variables.tf': decl, ...row.files }, row.inputs);
      assert.deepEqual(show(scope.variable('v')), row.want);
      assert.deepEqual(scope.variableProblems, []);
    });
  }
});

test('TF_VAR_ values are parsed by the declared type', async (t) => {
  const rows: Array<{ type?: string; raw: string; want: unknown }> = [
    { type: 'list(string)', raw: '["10.0.0.0/16"]', want: ['10.0.0.0/16'] },
    { type: 'list(string)', raw: '[1, true]', want: ['1', 'true'] },
    { type: 'set(string)', raw: '["a", "b", "a"]', want: ['a', 'b'] },
    { type: 'map(string)', raw: '{ Team = "core", Tier = 2 }', want: { Team: 'core', Tier: '2' } },
    { type: 'object({ name = string, port = optional(number, 443) })', raw: '{ name = "web", extra = 1 }', want: { name: 'web', port: 443 } },
    { type: 'tuple([string, number])', raw: '["a", "5"]', want: ['a', 5] },
    { type: 'any', raw: '{ a = 1 }', want: { a: 1 } },
    { type: 'list', raw: '["x"]', want: ['x'] },
    // Primitive types (and no type at all) take the string literally, then convert it.
    { type: 'string', raw: '["not", "parsed"]', want: '["not", "parsed"]' },
    { raw: '["not", "parsed"]', want: '["not", "parsed"]' },
    { type: 'number', raw: '8080', want: 8080 },
    { type: 'bool', raw: 'true', want: true },
    { type: 'string', raw: '"quoted"', want: '"quoted"' },
  ];
  for (const row of rows) {
    await t.test(`${row.type ?? '(no type)'} from ${row.raw}`, async () => {
      const scope = await scopeOf({ 'variables.tf': `variable "v" {\n${row.type ? `  type = ${row.type}\n` : ''}}\n` }, { env: { v: row.raw } });
      assert.deepEqual(show(scope.variable('v')), row.want);
      assert.deepEqual(scope.variableProblems, []);
    });
  }
});

test('values Terraform rejects make the variable unknown and are reported, naming the variable and its source', async (t) => {
  const rows: Array<{ name: string; files: Record<string, string>; inputs?: VariableInputs; problem: RegExp; file?: string }> = [
    { name: 'TF_VAR_ that is not HCL for a list', files: { 'v.tf': 'variable "cidrs" {\n  type = list(string)\n}\n' }, inputs: { env: { cidrs: '["10.0.0.0/16"' } }, problem: /environment variable TF_VAR_cidrs is not a valid value for var\.cidrs of type list\(string\)/ },
    { name: 'TF_VAR_ bare CIDR for a list', files: { 'v.tf': 'variable "cidrs" {\n  type = list(string)\n}\n' }, inputs: { env: { cidrs: '10.0.0.0/16' } }, problem: /environment variable TF_VAR_cidrs is not a (valid|constant) value for var\.cidrs/ },
    { name: 'TF_VAR_ that does not convert to number', files: { 'v.tf': 'variable "n" {\n  type = number\n  default = 1\n}\n' }, inputs: { env: { n: 'ten' } }, problem: /TF_VAR_n: invalid value for var\.n: var\.n: number required, got "ten"/ },
    { name: 'TF_VAR_ with a reference', files: { 'v.tf': 'variable "l" {\n  type = list(string)\n}\n' }, inputs: { env: { l: '[var.x]' } }, problem: /TF_VAR_l is not a constant value/ },
    { name: 'object missing a required attribute', files: { 'v.tf': 'variable "o" {\n  type = object({ a = string })\n}\n' }, inputs: { env: { o: '{ b = "x" }' } }, problem: /attribute "a" is required/ },
    { name: 'tfvars value of the wrong type', files: { 'v.tf': 'variable "b" {\n  type = bool\n}\n', 'terraform.tfvars': '\nb = "maybe"\n' }, problem: /terraform\.tfvars:2: invalid value for var\.b/, file: '/ws/terraform.tfvars' },
    { name: 'default that does not match an overridden type', files: { 'v.tf': 'variable "p" {\n  default = "abc"\n}\n', 'override.tf': 'variable "p" {\n  type = number\n}\n' }, problem: /default of var\.p: invalid value/ },
    { name: '-var for an undeclared variable (TF_VAR_ for one is ignored)', files: { 'v.tf': 'variable "s" {\n  type = string\n}\n' }, inputs: { env: { other: 'x' }, cli: [{ kind: 'var', name: 'typo', raw: '1' }] }, problem: /-var typo=…: the root module does not declare a variable named "typo"/ },
    { name: 'tfvars.json that is not JSON', files: { 'v.tf': 'variable "s" {\n  type = string\n  default = "d"\n}\n' }, inputs: { jsonFiles: [{ file: '/ws/terraform.tfvars.json', text: '{ s: ' }] }, problem: /terraform\.tfvars\.json: not valid JSON/ },
  ];
  for (const row of rows) {
    await t.test(row.name, async () => {
      const scope = await scopeOf(row.files, row.inputs);
      assert.equal(scope.variableProblems.length, 1, JSON.stringify(scope.variableProblems));
      assert.match(scope.variableProblems[0].message, row.problem);
      if (row.file) assert.equal(scope.variableProblems[0].file, row.file);
      const name = Object.values(row.files)[0].match(/variable "(\w+)"/)![1];
      assert.ok(isUnknown(scope.variable(name)), `var.${name} is unknown, never a guess: ${JSON.stringify(scope.variable(name))}`);
    });
  }
});

test('tfvars values convert to the declared type; nullable = false turns null into the default', async () => {
  const scope = await scopeOf({
    'v.tf': 'variable "n" {\n  type = number\n}\nvariable "l" {\n  type = list(string)\n}\nvariable "k" {\n  type = string\n  default = "d"\n  nullable = false\n}\n',
    'terraform.tfvars': 'n = "5"\nl = [1, 2]\nk = null\n',
  });
  assert.equal(scope.variable('n'), 5);
  assert.deepEqual(scope.variable('l'), ['1', '2']);
  assert.equal(scope.variable('k'), 'd');
});

test('type constraints and conversion table', () => {
  const ok: Array<[string, unknown, unknown]> = [
    ['string', 5, '5'],
    ['string', false, 'false'],
    ['number', '1.5e2', 150],
    ['bool', 'false', false],
    ['map(number)', { a: '1' }, { a: 1 }],
    ['list(list(number))', [['1'], [2]], [[1], [2]]],
    ['object({ a = optional(string) })', {}, { a: null }],
  ];
  for (const [type, value, want] of ok) assert.deepEqual(convert(value as never, parseTypeConstraint(type)), want, `${type} ${JSON.stringify(value)}`);
  const bad: Array<[string, unknown]> = [['number', 'x'], ['bool', 'yes'], ['list(string)', 'a'], ['map(string)', ['a']], ['tuple([string])', ['a', 'b']], ['string', ['a']]];
  for (const [type, value] of bad) assert.throws(() => convert(value as never, parseTypeConstraint(type)), TypeConstraintError, `${type} ${JSON.stringify(value)}`);
  assert.throws(() => parseTypeConstraint('strin g'));
  assert.throws(() => parseTypeConstraint('foo(string)'));
});

test('a list variable from TF_VAR_ is compared as a list: no false drift', async () => {
  const report = await diff({
    files: {
      'v.tf': 'variable "cidrs" {\n  type = list(string)\n}\n',
      'sg.tf': 'resource "aws_security_group" "web" {\n  name = "web"\n  ingress {\n    from_port = 443\n    to_port = 443\n    protocol = "tcp"\n    cidr_blocks = var.cidrs\n  }\n}\n',
    },
    env: { cidrs: '["10.0.0.0/16"]' },
    state: [instance('aws_security_group.web', { id: 'sg-1', name: 'web' })],
    live: [live('aws_security_group.web', 'aws_security_group', 'sg-1', { name: 'web', ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.0.0.0/16'] }] })],
  });
  assert.deepEqual(summary(report), []);
  assert.equal(report.checked, 1);
});

test('check takes -var and -var-file in command-line order, in every spelling', () => {
  const { rest, variables } = takeVariableArgs(['examples/demo', '-var', 'a=1', '--var=b=x=y', '-var-file=prod.tfvars', '--json', '--var-file', '/abs/x.tfvars.json'], '/home/u');
  assert.deepEqual(rest, ['examples/demo', '--json']);
  assert.deepEqual(variables, [
    { kind: 'var', name: 'a', raw: '1' },
    { kind: 'var', name: 'b', raw: 'x=y' },
    { kind: 'file', file: '/home/u/prod.tfvars' },
    { kind: 'file', file: '/abs/x.tfvars.json' },
  ]);
  assert.throws(() => takeVariableArgs(['-var', 'novalue'], '/'), /expected NAME=VALUE/);
  assert.throws(() => takeVariableArgs(['-var'], '/'), /needs a value/);
});
