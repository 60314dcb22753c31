// Where a workspace keeps its access files: policy and config (committed), ledger and lock (not).
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface AccessPaths {
  root: string;
  dir: string;
  policy: string;
  config: string;
  tests: string;
  ledger: string;
  lock: string;
}

export function accessPaths(root: string): AccessPaths {
  const dir = path.join(root, '.tidemark');
  return {
    root,
    dir,
    policy: path.join(dir, 'policy.cedar'),
    config: path.join(dir, 'config.yaml'),
    tests: path.join(dir, 'policy-tests.yaml'),
    ledger: path.join(dir, 'ledger'),
    lock: path.join(dir, 'broker.lock'),
  };
}

/** The nearest directory at or above `start` that has `.tidemark/policy.cedar`. */
export function findWorkspace(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, '.tidemark', 'policy.cedar'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
