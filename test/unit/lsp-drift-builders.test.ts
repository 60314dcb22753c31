import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import { renderHcl } from '../../server/src/drift/render-hcl';
import type { Drift, TopBlock } from '../../server/src/model';
import { adoptLiveEdits, driftCodeActions, ignoreAttributeEdits, importEdits } from '../../server/src/lsp/drift-code-actions';
import { DRIFT_CODES, driftDiagnostic, isDriftData } from '../../server/src/lsp/drift-diagnostics';
import { driftHover } from '../../server/src/lsp/drift-hover';
import { driftLenses } from '../../server/src/lsp/drift-lens';

const SOURCE = `resource "aws_instance" "web" {
  ami           = "ami-1" # pinned by the platform team
  instance_type = "t3.micro"
  tags = {
    Name = local.name
    Env  = "prod"
  }
}

resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  lifecycle {
    ignore_changes = [description]
  }
}
`;

async function setup(): Promise<{ blocks: TopBlock[] }> {
  return { blocks: (await parseHclFile('/w/main.tf', SOURCE)).blocks };
}

function apply(edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///w/main.tf', 'terraform', 1, SOURCE), edits);
}

function drift(partial: Partial<Drift>): Drift {
  return {
    address: 'aws_instance.web', file: '/w/main.tf', attributePath: ['instance_type'], declared: 't3.micro', live: 't3.large',
    range: { start: { line: 2, character: 2 }, end: { line: 2, character: 28 } }, kind: 'changed', confidence: 'proven',
    resourceType: 'aws_instance', severity: 'warning', ...partial,
  };
}

test('adopt rewrites only the value, keeping alignment and the comment of other lines', async () => {
  const { blocks } = await setup();
  const text = apply(adoptLiveEdits(drift({}), blocks[0], renderHcl)!);
  assert.match(text, /^ {2}instance_type = "t3\.large"$/m);
  assert.match(text, /ami {11}= "ami-1" # pinned by the platform team/);
});

test('adopt of one tag rewrites the map and keeps the other entries as expressions', async () => {
  const { blocks } = await setup();
  const text = apply(adoptLiveEdits(drift({ attributePath: ['tags', 'Env'], declared: 'prod', live: 'staging' }), blocks[0], renderHcl)!);
  assert.match(text, /Name = local\.name/);
  assert.match(text, /Env {2}= "staging"/);
  const removed = apply(adoptLiveEdits(drift({ attributePath: ['tags', 'Env'], declared: 'prod', live: undefined }), blocks[0], renderHcl)!);
  assert.doesNotMatch(removed, /Env/);
  const added = apply(adoptLiveEdits(drift({ attributePath: ['tags', 'Owner'], declared: undefined, live: 'ops' }), blocks[0], renderHcl)!);
  assert.match(added, /Owner = "ops"/);
});

test('adopt of a set of nested blocks replaces the whole set', async () => {
  const { blocks } = await setup();
  const live = [
    { from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] },
    { from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] },
  ];
  const text = apply(adoptLiveEdits(drift({ address: 'aws_security_group.web', attributePath: ['ingress'], declared: [live[0]], live }), blocks[1], renderHcl)!);
  assert.equal((text.match(/ingress \{/g) ?? []).length, 2);
  assert.match(text, /from_port {3}= 22/);
  assert.match(text, /lifecycle \{/, 'other nested blocks stay');
});

test('adopt of an attribute that was not written adds it before the closing brace', async () => {
  const { blocks } = await setup();
  const text = apply(adoptLiveEdits(drift({ attributePath: ['monitoring'], declared: undefined, live: true }), blocks[0], renderHcl)!);
  assert.match(text, / {2}monitoring = true\n\}\n\nresource "aws_security_group"/);
});

test('ignore adds to an existing ignore_changes list, or creates the lifecycle block', async () => {
  const { blocks } = await setup();
  const created = apply(ignoreAttributeEdits(drift({}), blocks[0])!);
  assert.match(created, /\n {2}lifecycle \{\n {4}ignore_changes = \[instance_type\]\n {2}\}\n\}/);
  const extended = apply(ignoreAttributeEdits(drift({ address: 'aws_security_group.web', attributePath: ['name'] }), blocks[1])!);
  assert.match(extended, /ignore_changes = \[description, name\]/);
  const tag = apply(ignoreAttributeEdits(drift({ attributePath: ['tags', 'Env'] }), blocks[0])!);
  assert.match(tag, /ignore_changes = \[tags\["Env"\]\]/);
  assert.equal(ignoreAttributeEdits(drift({ address: 'aws_security_group.web', attributePath: ['description'] }), blocks[1]), undefined, 'already ignored');
});

test('import appends the generated HCL at the end of the file', () => {
  const edits = importEdits(drift({ kind: 'unmanaged', liveId: 'i-9', attributePath: [] }), 'resource "aws_instance" "x" {}\nimport {\n  to = aws_instance.x\n  id = "i-9"\n}\n', { line: 23, character: 0 })!;
  assert.match(apply(edits), /\}\n\nresource "aws_instance" "x" \{\}\nimport \{\n {2}to = aws_instance\.x\n {2}id = "i-9"\n\}\n$/);
  assert.equal(importEdits(drift({ kind: 'changed' }), 'x', { line: 0, character: 0 }), undefined);
});

test('diagnostic: stable code per kind, hint when suppressed, data round-trips for quick fixes', () => {
  const d = driftDiagnostic(drift({}));
  assert.equal(d.code, DRIFT_CODES.changed);
  assert.equal(d.source, 'tidemark');
  assert.equal(d.severity, 2);
  assert.match(String(d.message), /aws_instance\.web: instance_type is "t3\.large" live but "t3\.micro" in the configuration/);
  assert.ok(isDriftData(d.data));
  const hint = driftDiagnostic(drift({ suppressed: { source: 'comment', reason: 'load test', until: '2026-12-31' } }));
  assert.equal(hint.severity, 4);
  assert.match(String(hint.message), /ignored by comment: load test, until 2026-12-31/);
  assert.equal(driftDiagnostic(drift({ kind: 'unmanaged' })).code, 'drift.unmanaged');
  assert.equal(isDriftData({ address: 1 }), false);
});

test('code actions: adopt is preferred, revert is a confirmed command, ignore edits lifecycle', async () => {
  const { blocks } = await setup();
  const d = drift({});
  const diagnostic = driftDiagnostic(d);
  const actions = driftCodeActions({ diagnostic, data: diagnostic.data, drift: d, block: blocks[0], uri: 'file:///w/main.tf', render: renderHcl, endOfFile: { line: 23, character: 0 }, canRevert: true });
  assert.deepEqual(actions.map((a) => a.title), [
    'Adopt live value of instance_type',
    'Revert live aws_instance.web instance_type to the declared value…',
    'Ignore instance_type (lifecycle.ignore_changes)',
  ]);
  assert.equal(actions[0].isPreferred, true);
  assert.equal(actions[1].command?.command, 'tidemark.server.revertLive');
});

test('hover shows declared and live, the read time and an inferred match', () => {
  const hover = driftHover([drift({ confidence: 'inferred' })], '2026-11-25T10:00:00.000Z', new Date('2026-11-25T10:00:30.000Z'))!;
  assert.match(hover.value, /Declared:\n\n```json\n"t3\.micro"\n```/);
  assert.match(hover.value, /Live:\n\n```json\n"t3\.large"\n```/);
  assert.match(hover.value, /matched by tags\/name, not by Terraform state/);
  assert.match(hover.value, /read 2026-11-25 10:00:00 UTC \(30 s ago\)/);
  assert.equal(driftHover([], undefined, new Date()), undefined);
});

test('code lens counts drifted attributes per block and offers a refresh', async () => {
  const { blocks } = await setup();
  const lenses = driftLenses(blocks, [drift({}), drift({ attributePath: ['ami'] }), drift({ address: 'aws_instance.web', suppressed: { source: 'config' } })], 'tidemark.server.refresh');
  assert.equal(lenses.length, 1);
  assert.equal(lenses[0].command?.title, '$(warning) 2 attributes drifted · refresh');
  assert.deepEqual(lenses[0].command?.arguments, [['aws_instance.web']]);
});

test('adopt at the origin: the title says where and what else changes; a second action replaces only this attribute', async () => {
  const { blocks } = await setup();
  const origin = { kind: 'tfvars' as const, file: '/w/terraform.tfvars', range: { start: { line: 0, character: 7 }, end: { line: 0, character: 17 } }, indent: 0, where: 'terraform.tfvars:1', alsoChanges: ['module.app["green"]'] };
  const d = drift({ origin });
  const diagnostic = driftDiagnostic(d);
  const actions = driftCodeActions({ diagnostic, data: diagnostic.data, drift: d, block: blocks[0], uri: 'file:///w/main.tf', render: renderHcl, endOfFile: { line: 23, character: 0 }, canRevert: false, originUri: 'file:///w/terraform.tfvars' });
  assert.deepEqual(actions.filter((a) => a.title.startsWith('Adopt')).map((a) => a.title), [
    'Adopt live value of instance_type in terraform.tfvars:1 (also changes module.app["green"])',
    'Adopt live value of instance_type here only (replaces the reference)',
  ]);
  assert.deepEqual(actions[0].edit?.changes?.['file:///w/terraform.tfvars'], [{ range: origin.range, newText: '"t3.large"' }]);
  assert.equal(actions[0].isPreferred, true);
  assert.ok(actions[1].edit?.changes?.['file:///w/main.tf']);
  const alone = driftCodeActions({ diagnostic, data: diagnostic.data, drift: drift({ origin: { ...origin, alsoChanges: [] } }), block: blocks[0], uri: 'file:///w/main.tf', render: renderHcl, endOfFile: { line: 23, character: 0 }, canRevert: false, originUri: 'file:///w/terraform.tfvars' });
  assert.deepEqual(alone.filter((a) => a.title.startsWith('Adopt')).map((a) => a.title), ['Adopt live value of instance_type in terraform.tfvars:1']);
});
