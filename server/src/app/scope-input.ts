// Builds a request's scope from what the requester names: addresses, the resource blocks changed in
// the working tree against a git ref, or a `terraform show -json` plan; resolved through the local
// state to live ARNs. The CLI and the editor both come here. Every problem is one ScopeError line
// naming the address, file or ref.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { GrantScope, ScopeOrigin } from '../model';
import { resolveScope, ScopeError, ScopeRequest } from '../access/scope';
import { changedLines, instancesOfBlock, scopeFromPlan, touchedResourceBlocks } from '../access/scope-diff';
import { parseHclFile } from '../hcl/parse-file';
import { currentWorkspace, localStatePath, readLocalState } from '../state/local-state';
import { StateError } from '../state/parse-state';

export interface ScopeInputs {
  addresses?: readonly string[];
  /** Scope the resource blocks changed in the working tree against this ref (e.g. `HEAD`). */
  diffRef?: string;
  /** A `terraform show -json` plan file. */
  planFile?: string;
  /** The resource blocks of one file (the editor's buffer text) on these 1-based lines, or all of them. */
  blocks?: { file: string; text: string; lines?: number[] };
  /** State to resolve with (default: the local state of the current workspace). */
  stateFile?: string;
}

export function hasScopeInputs(inputs: ScopeInputs): boolean {
  return Boolean(inputs.addresses?.length || inputs.diffRef !== undefined || inputs.planFile !== undefined || inputs.blocks);
}

function git(root: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd: root, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 127) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Absolute module directory → module paths (`module.net.module.db`) from `terraform init`'s manifest; the root is ''. */
async function moduleDirs(root: string): Promise<Map<string, string[]>> {
  const dirs = new Map<string, string[]>([[path.resolve(root), ['']]]);
  let manifest: { Modules?: Array<{ Key?: unknown; Dir?: unknown }> };
  try {
    manifest = JSON.parse(await fs.readFile(path.join(root, '.terraform', 'modules', 'modules.json'), 'utf8'));
  } catch {
    return dirs;
  }
  for (const m of manifest.Modules ?? []) {
    if (typeof m.Key !== 'string' || !m.Key || typeof m.Dir !== 'string') continue;
    const dir = path.resolve(root, m.Dir);
    dirs.set(dir, [...(dirs.get(dir) ?? []), m.Key.split('.').map((k) => `module.${k}`).join('.')]);
  }
  return dirs;
}

/** The resource blocks changed in the working tree (tracked and untracked `.tf` files) against `ref`. */
async function requestsFromDiff(root: string, ref: string, instances: Parameters<typeof instancesOfBlock>[2]): Promise<ScopeRequest[]> {
  const top = await git(root, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0) throw new ScopeError(`--scope-from-diff: ${root} is not in a git repository`);
  if (ref.startsWith('-') || (await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).code !== 0) {
    throw new ScopeError(`--scope-from-diff ${ref}: no such commit or ref in this repository`);
  }
  const topDir = top.stdout.trim();
  const diff = await git(root, ['diff', '--no-color', '--no-ext-diff', '--no-renames', '--unified=0', ref, '--', '.']);
  if (diff.code !== 0) throw new ScopeError(`--scope-from-diff ${ref}: git diff failed (${diff.stderr.trim().split('\n')[0]})`);
  const lines = changedLines(diff.stdout);
  const untracked = await git(root, ['ls-files', '--others', '--exclude-standard', '-z', '--', '.']);
  for (const rel of untracked.stdout.split('\0').filter(Boolean)) {
    // ls-files prints paths relative to the cwd; diff relative to the top: keep one form.
    const fromTop = path.relative(topDir, path.resolve(root, rel));
    const text = await fs.readFile(path.join(topDir, fromTop), 'utf8').catch(() => '');
    lines.set(fromTop, text.split('\n').map((_, i) => i + 1));
  }
  const dirs = await moduleDirs(root);
  const out: ScopeRequest[] = [];
  for (const [rel, changed] of [...lines].sort(([a], [b]) => a.localeCompare(b))) {
    if (!rel.endsWith('.tf')) continue;
    const file = path.join(topDir, rel);
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    out.push(...await requestsFromBlocks(root, file, text, changed, dirs, instances, (shown, t) => ({ kind: 'diff', file: shown, startLine: t.startLine, endLine: t.endLine, ref })));
  }
  if (!out.length) throw new ScopeError(`--scope-from-diff ${ref}: no resource block changed against ${ref}`);
  return out;
}

/** The state instances of the resource blocks of `file` that contain `lines` (all blocks when undefined). */
async function requestsFromBlocks(
  root: string, file: string, text: string, lines: readonly number[] | undefined, dirs: Map<string, string[]>,
  instances: Parameters<typeof instancesOfBlock>[2], origin: (shown: string, t: { startLine: number; endLine: number }) => ScopeOrigin | undefined,
): Promise<ScopeRequest[]> {
  const all = lines ?? text.split('\n').map((_, i) => i + 1);
  const touched = touchedResourceBlocks((await parseHclFile(file, text)).blocks, all);
  if (!touched.length) return [];
  const modulePaths = dirs.get(path.dirname(path.resolve(file)));
  const shown = path.relative(root, file) || path.basename(file);
  if (!modulePaths) throw new ScopeError(`${shown}: neither in the root module nor in a module directory .terraform/modules/modules.json lists (run terraform init)`);
  const out: ScopeRequest[] = [];
  for (const t of touched) {
    const from = origin(shown, t);
    for (const inst of instancesOfBlock(t.block, modulePaths, instances)) out.push({ address: inst.address, tagsOnly: t.tagsOnly && lines !== undefined, ...(from ? { origin: from } : {}) });
  }
  return out;
}

/** The scope for the inputs, or undefined when none were given. Throws ScopeError (one line). */
export async function buildScope(root: string, inputs: ScopeInputs, env: NodeJS.ProcessEnv): Promise<GrantScope[] | undefined> {
  if (!hasScopeInputs(inputs)) return undefined;
  const workspace = await currentWorkspace(root, env);
  const file = inputs.stateFile ? path.resolve(root, inputs.stateFile) : localStatePath(root, workspace);
  const first = inputs.addresses?.[0] ?? (inputs.planFile !== undefined ? `--scope-from-plan ${inputs.planFile}` : `--scope-from-diff ${inputs.diffRef}`);
  let state;
  try {
    state = await readLocalState(file);
  } catch (error) {
    if (error instanceof StateError) throw new ScopeError(error.message);
    throw error;
  }
  if (!state) throw new ScopeError(`${inputs.stateFile ?? path.relative(root, file)}: no state file, so ${first} cannot be resolved (pass --state FILE)`);
  const requests: ScopeRequest[] = (inputs.addresses ?? []).map((address) => ({ address }));
  if (inputs.diffRef !== undefined) requests.push(...await requestsFromDiff(root, inputs.diffRef, state.instances));
  if (inputs.blocks) {
    const { file: blockFile, text, lines } = inputs.blocks;
    const found = await requestsFromBlocks(root, blockFile, text, lines, await moduleDirs(root), state.instances, () => undefined);
    if (!found.length) throw new ScopeError(`${path.relative(root, blockFile) || blockFile}: no resource block ${lines ? 'in the selection' : 'in this file'}`);
    requests.push(...found);
  }
  if (inputs.planFile !== undefined) {
    const planPath = path.resolve(root, inputs.planFile);
    const text = await fs.readFile(planPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ScopeError(`${inputs.planFile}: cannot read the plan (${error.code === 'ENOENT' ? 'no such file' : error.message})`);
    });
    requests.push(...scopeFromPlan(text, inputs.planFile, state.instances, inputs.stateFile ? `the state in ${inputs.stateFile}` : `the state of workspace '${workspace}'`));
  }
  return resolveScope(requests, state.instances);
}
