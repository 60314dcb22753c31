// Which folders of a workspace are Terraform root modules: a folder is a root when it has state, a
// backend, or a `terraform` block (or, as older configurations do, a provider block), and no other
// root reaches it as a local module source (directly or through modules in between). Pure: the
// caller says which folders hold state.
import path from 'node:path';
import type { HclFile } from '../model';

export interface RootDiscovery {
  /** Root module folders, sorted. */
  roots: string[];
  /** Folders that would be roots on their own but are module sources of another root, with who uses them. */
  modules: Array<{ dir: string; usedBy: string }>;
}

function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../');
}

/** Folders that `module` blocks of the given files name as local sources. */
function localSources(dir: string, files: readonly HclFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    for (const b of f.blocks) {
      if (b.kind !== 'module') continue;
      const source = b.attributes.find((a) => a.name === 'source')?.value;
      if (typeof source === 'string' && isLocalSource(source)) out.push(path.resolve(dir, source));
    }
  }
  return out;
}

function claimsRoot(files: readonly HclFile[]): boolean {
  return files.some((f) => f.blocks.some((b) => b.kind === 'terraform' || b.kind === 'provider'));
}

/**
 * `files`: every indexed Terraform file of the workspace; `hasState`: folders with a state of
 * their own (terraform.tfstate, terraform.tfstate.d/, .terraform/terraform.tfstate).
 */
export function discoverRoots(files: readonly HclFile[], hasState: ReadonlySet<string>): RootDiscovery {
  const byDir = new Map<string, HclFile[]>();
  for (const f of files) {
    if (!f.file.endsWith('.tf') && !f.file.endsWith('.tf.json')) continue;
    const dir = path.dirname(f.file);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  const candidates = [...byDir.keys()].filter((dir) => hasState.has(dir) || claimsRoot(byDir.get(dir)!)).sort();
  // Everything each candidate reaches through local module sources (not counting itself).
  const usedBy = new Map<string, string>();
  for (const root of candidates) {
    const seen = new Set<string>([root]);
    const queue = localSources(root, byDir.get(root)!);
    while (queue.length) {
      const dir = queue.shift()!;
      if (seen.has(dir)) continue;
      seen.add(dir);
      if (!usedBy.has(dir)) usedBy.set(dir, root);
      queue.push(...localSources(dir, byDir.get(dir) ?? []));
    }
  }
  return {
    roots: candidates.filter((d) => !usedBy.has(d)),
    modules: candidates.filter((d) => usedBy.has(d)).map((dir) => ({ dir, usedBy: usedBy.get(dir)! })),
  };
}

/** State files a folder may hold: local state, workspaces' states, or a state `terraform init` pulled. */
export const STATE_MARKERS = ['terraform.tfstate', 'terraform.tfstate.d', path.join('.terraform', 'terraform.tfstate')];
