// Which folders are root modules: state, a backend or a terraform block, and not a module source of another root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import { discoverRoots } from '../../server/src/hcl/roots';

async function files(tree: Record<string, string>) {
  return Promise.all(Object.entries(tree).map(([name, text]) => parseHclFile(`/repo/${name}`, text)));
}

const TF = 'terraform {\n  required_version = ">= 1.5"\n}\n';

test('envs/prod and envs/staging are roots; the shared modules folder they call is not, even with a terraform block', async () => {
  const found = discoverRoots(await files({
    'envs/prod/main.tf': `${TF}module "net" {\n  source = "../../modules/net"\n}\n`,
    'envs/staging/main.tf': 'module "net" {\n  source = "../../modules/net"\n}\n',
    'modules/net/main.tf': `${TF}module "sub" {\n  source = "./sub"\n}\n`,
    'modules/net/sub/main.tf': TF,
    'scratch/notes.tf': 'variable "x" {}\n',
  }), new Set(['/repo/envs/staging']));
  assert.deepEqual(found.roots, ['/repo/envs/prod', '/repo/envs/staging'], 'staging is a root by its state alone');
  assert.deepEqual(found.modules, [{ dir: '/repo/modules/net', usedBy: '/repo/envs/prod' }, { dir: '/repo/modules/net/sub', usedBy: '/repo/envs/prod' }]);
});

test('a folder with only a provider block is a root (older configurations); a registry source is not a folder', async () => {
  const found = discoverRoots(await files({
    'legacy/main.tf': 'provider "aws" {\n  region = "us-east-1"\n}\nmodule "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
  }), new Set());
  assert.deepEqual(found.roots, ['/repo/legacy']);
});
