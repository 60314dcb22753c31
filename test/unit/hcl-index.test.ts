import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';
import type { Block, TopBlock } from '../../server/src/model';
import { disagreements } from '../support/hcl-agreement';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/hcl');
const read = (rel: string) => readFileSync(path.join(fixtures, rel), 'utf8');

/** The exact source text a range covers, using LSP (UTF-16) positions. */
function slice(text: string, range: Block['range']): string {
  const lines = text.split(/(?<=\r\n|\n)/);
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length, 0) + p.character;
  return text.slice(offset(range.start), offset(range.end));
}

async function realistic() {
  const text = read('realistic/main.tf');
  return { text, file: await parseHclFile(path.join(fixtures, 'realistic/main.tf'), text) };
}

const byAddress = (blocks: TopBlock[], address: string) => {
  const found = blocks.find((b) => b.address === address);
  assert.ok(found, `block ${address} missing; have ${blocks.map((b) => b.address).join(', ')}`);
  return found;
};

test('addresses for every top-level block kind', async () => {
  const { file } = await realistic();
  assert.deepEqual(
    file.blocks.map((b) => `${b.kind} ${b.address}`),
    [
      'terraform terraform', 'provider provider.aws', 'provider provider.aws.us', 'locals locals',
      'resource aws_vpc.main', 'resource aws_subnet.private', 'resource aws_subnet.named',
      'resource aws_security_group.web', 'resource aws_instance.web', 'data data.aws_ami.al2023',
      'resource aws_iam_role.app', 'resource aws_iam_role_policy.app', 'module module.logs',
      'variable var.region', 'variable var.env', 'variable var.egress_ports',
      'output output.vpc_id', 'output output.subnet_ids',
    ],
  );
  assert.deepEqual(file.errors, []);
});

test('ranges cover exactly the source of blocks, headers and attributes', async () => {
  const { text, file } = await realistic();
  const vpc = byAddress(file.blocks, 'aws_vpc.main');
  assert.ok(slice(text, vpc.range).startsWith('resource "aws_vpc" "main" {'));
  assert.ok(slice(text, vpc.range).endsWith('}'));
  assert.equal(slice(text, vpc.headerRange), 'resource "aws_vpc" "main" {');
  const cidr = vpc.attributes.find((a) => a.name === 'cidr_block')!;
  assert.equal(slice(text, cidr.range), 'cidr_block           = "10.0.0.0/16"', 'comment after the value is not part of it');
  assert.equal(slice(text, cidr.nameRange), 'cidr_block');
  assert.equal(slice(text, cidr.valueRange), '"10.0.0.0/16"');
  assert.equal(cidr.expression, '"10.0.0.0/16"');
  assert.equal(cidr.value, '10.0.0.0/16');
});

test('count, for_each and dynamic blocks keep their expressions and structure', async () => {
  const { file } = await realistic();
  const privateSubnet = byAddress(file.blocks, 'aws_subnet.private');
  assert.equal(privateSubnet.attributes.find((a) => a.name === 'count')!.expression, 'length(local.azs)');
  assert.equal(privateSubnet.attributes.find((a) => a.name === 'count')!.value, '${length(local.azs)}');
  const named = byAddress(file.blocks, 'aws_subnet.named');
  assert.equal(named.attributes.find((a) => a.name === 'for_each')!.value, '${local.cidr_map}');
  const sg = byAddress(file.blocks, 'aws_security_group.web');
  assert.deepEqual(sg.blocks.map((b) => [b.type, ...b.labels].join(' ')), ['ingress', 'ingress', 'dynamic egress', 'lifecycle']);
  assert.deepEqual(sg.blocks[1].attributes.find((a) => a.name === 'from_port')!.value, 80);
  const dynamic = sg.blocks[2];
  assert.deepEqual(dynamic.blocks.map((b) => b.type), ['content']);
  assert.equal(dynamic.blocks[0].attributes.find((a) => a.name === 'from_port')!.value, '${egress.value}');
  assert.deepEqual(sg.blocks[3].attributes.find((a) => a.name === 'ignore_changes')!.value, ['${description}']);
});

test('heredocs, non-ASCII text and interpolation', async () => {
  const { text, file } = await realistic();
  const web = byAddress(file.blocks, 'aws_instance.web');
  const userData = web.attributes.find((a) => a.name === 'user_data')!;
  assert.equal(userData.value, '#!/bin/bash\necho "hello ${var.env}" > /tmp/hello\n');
  assert.ok(slice(text, userData.range).endsWith('EOT'));
  const tags = web.attributes.find((a) => a.name === 'tags')!;
  assert.deepEqual(tags.value, { Name: 'web', Owner: 'Zoë Ørsted' });
  const sg = byAddress(file.blocks, 'aws_security_group.web');
  const description = sg.attributes.find((a) => a.name === 'description')!;
  assert.equal(slice(text, description.valueRange), '"Web tier — ingress from the internet"');
  const policy = byAddress(file.blocks, 'aws_iam_role_policy.app').attributes.find((a) => a.name === 'policy')!;
  assert.deepEqual(JSON.parse(policy.value as string).Statement[0].Action, 's3:GetObject');
});

test('CRLF line endings give the same positions as LF', async () => {
  const crlf = read('realistic/crlf.tf');
  const lf = crlf.replace(/\r\n/g, '\n');
  const a = await parseHclFile('/crlf.tf', crlf);
  const b = await parseHclFile('/lf.tf', lf);
  const shape = (f: typeof a) => f.blocks.map((blk) => [blk.range, blk.attributes.map((x) => [x.range, x.value])]);
  assert.deepEqual(shape(a), shape(b));
  assert.deepEqual(a.blocks[0].attributes[1].value, { Note: 'línea con acentos' });
  assert.equal(a.blocks[0].attributes[0].range.end.character, '  bucket = "crlf-bucket"'.length);
});

test('.tfvars files index their attributes', async () => {
  const file = await parseHclFile('/prod.tfvars', read('realistic/prod.tfvars'));
  assert.deepEqual(Object.fromEntries(file.attributes.map((a) => [a.name, a.value])), { region: 'eu-west-1', env: 'prod', egress_ports: [443] });
});

test('a syntax error is reported at its exact position and valid blocks around it survive', async () => {
  const file = await parseHclFile('/broken.tf', read('broken/broken.tf'));
  assert.deepEqual(file.blocks.map((b) => b.address), ['aws_instance.ok_before', 'aws_s3_bucket.broken', 'aws_instance.ok_after']);
  assert.equal(file.errors.length, 1);
  assert.deepEqual(file.errors[0].range.start, { line: 5, character: 11 });
  assert.match(file.errors[0].message, /Invalid expression/);
  const broken = byAddress(file.blocks, 'aws_s3_bucket.broken');
  assert.equal(broken.attributes.find((a) => a.name === 'bucket')!.value, undefined, 'no value is invented for broken text');
  assert.equal(byAddress(file.blocks, 'aws_instance.ok_after').attributes[0].value, 't3.micro');
});

test('an unclosed block does not swallow the blocks after it', async () => {
  const file = await parseHclFile('/unclosed.tf', read('broken/unclosed.tf'));
  assert.deepEqual(file.blocks.map((b) => b.address), ['aws_vpc.unclosed', 'aws_vpc.next']);
  assert.equal(byAddress(file.blocks, 'aws_vpc.next').attributes[0].value, '10.2.0.0/16');
  assert.equal(file.errors.length, 1);
  assert.match(file.errors[0].message, /Unclosed configuration block/);
  assert.equal(file.errors[0].range.start.line, 0);
});

test('garbage text gives errors, never an exception', async () => {
  for (const text of ['}}}', '"unterminated', 'resource', '= = =', '\u0000\u0001', 'a = <<EOT\nno end', '']) {
    const file = await parseHclFile('/garbage.tf', text);
    if (text.trim()) assert.ok(file.errors.length > 0, `expected an error for ${JSON.stringify(text)}`);
    else assert.deepEqual(file.errors, []);
  }
});

test('the index agrees with HashiCorp\'s HCL parser on every fixture', async () => {
  for (const rel of ['realistic/main.tf', 'realistic/crlf.tf', 'realistic/prod.tfvars']) {
    const text = read(rel);
    const file = await parseHclFile(rel, text);
    assert.deepEqual(await disagreements(file, text), [], rel);
  }
});

test('workspace index: incremental updates replace only the changed file', async () => {
  const index = new WorkspaceIndex();
  await index.addFolder(path.join(fixtures, 'realistic'));
  const before = index.blocks().length;
  assert.ok(index.findBlock('aws_s3_bucket.crlf'));
  await index.update(path.join(fixtures, 'realistic/crlf.tf'), 'resource "aws_s3_bucket" "renamed" {}\n', 7);
  assert.equal(index.blocks().length, before);
  assert.equal(index.findBlock('aws_s3_bucket.crlf'), undefined);
  assert.equal(index.get(path.join(fixtures, 'realistic/crlf.tf'))!.version, 7);
  index.remove(path.join(fixtures, 'realistic/crlf.tf'));
  assert.equal(index.blocks().length, before - 1);
});

test('incremental parsing of an open document always equals a fresh parse', async () => {
  const file = path.join(fixtures, 'realistic/main.tf');
  let text = read('realistic/main.tf');
  const index = new WorkspaceIndex();
  await index.update(file, text, 1);
  // Deterministic pseudo-random edits: inserts, deletes, line breaks, a broken brace and its fix.
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pieces = ['x', '\n', '"', '}', ' = 1', '# note\n', 'é', '\r\n', '{'];
  const strip = (f: { blocks: unknown; errors: unknown }) => JSON.parse(JSON.stringify({ blocks: f.blocks, errors: f.errors }));
  for (let version = 2; version < 60; version++) {
    const at = random(text.length);
    if (random(3) === 0) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + random(5)));
    else text = text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at);
    const incremental = await index.update(file, text, version);
    const fresh = await parseHclFile(file, text, version);
    assert.deepEqual(strip(incremental), strip(fresh), `after edit ${version}`);
  }
});
