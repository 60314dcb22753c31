// A root module keeps its last evaluation of the module calls (the tree the live read plans and
// routes with, and the providers check walks) until one of its inputs changes. Through edits of a
// child module's file and of the calls, what it reports must equal a fresh root module's analysis.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rootFilesOf, RootModule, withoutBrokenBlocks } from '../../server/src/app/root-module';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';

let dir: string;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-tree-memo-'));
  mkdirSync(path.join(dir, 'app'));
  writeFileSync(path.join(dir, 'main.tf'), 'provider "aws" {\n  region = "us-east-1"\n}\n\nmodule "app" {\n  source = "./app"\n}\n');
  writeFileSync(path.join(dir, 'app', 'main.tf'), 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n');
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the kept module tree gives the same problems as a fresh evaluation after every edit', async () => {
  const index = new WorkspaceIndex();
  await index.addFolder(dir);
  const kept = new RootModule({ root: dir, env: {} });
  let version = 1;
  const problemsOf = async (module: RootModule) => {
    const files = withoutBrokenBlocks(rootFilesOf(dir, index.allFiles())).files;
    module.setFiles(files);
    await module.loadModules(files, () => index.allFiles());
    return module.configProblems(files).map((p) => p.message);
  };
  const compare = async (label: string) => {
    const incremental = await problemsOf(kept);
    assert.deepEqual(incremental, await problemsOf(new RootModule({ root: dir, env: {} })), label);
    return incremental;
  };
  const edit = async (file: string, text: string) => index.update(path.join(dir, file), text, ++version);

  assert.deepEqual(await compare('start'), []);
  await edit('app/main.tf', 'resource "aws_sqs_queue" "q" {\n  name     = "q"\n  provider = aws.nowhere\n}\n');
  assert.equal((await compare('a child resource names an undefined provider')).length, 1);
  await edit('main.tf', 'provider "aws" {\n  region = "us-east-1"\n}\n\nprovider "aws" {\n  alias  = "nowhere"\n  region = "us-west-2"\n}\n\nmodule "app" {\n  source = "./app"\n  providers = {\n    aws.nowhere = aws.nowhere\n  }\n}\n');
  assert.deepEqual(await compare('the call passes it now'), []);
  await edit('main.tf', 'provider "aws" {\n  region = "us-east-1"\n}\n\nmodule "app" {\n  source = "./app"\n}\n');
  assert.equal((await compare('the call no longer passes it')).length, 1);
  // The child modules' provider problems are kept between checks too: a root edit elsewhere, the same
  // check twice (a live refresh changes none of their inputs), then the child file alone fixed.
  await edit('main.tf', 'provider "aws" {\n  region = "us-east-1"\n}\n\nvariable "unused" {}\n\nmodule "app" {\n  source = "./app"\n}\n');
  assert.equal((await compare('an unrelated root edit')).length, 1);
  assert.equal((await compare('checked again, nothing changed')).length, 1);
  await edit('app/main.tf', 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n');
  assert.deepEqual(await compare('the child file alone fixed'), []);
  await edit('app/main.tf', 'resource "aws_sqs_queue" "q" {\n  name     = "q"\n  provider = aws.elsewhere\n}\n');
  assert.match((await compare('the child file alone broken again'))[0] ?? '', /elsewhere/);
});
