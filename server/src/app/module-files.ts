// The files of a root module's child modules, found the way `terraform init` lays them out: a
// local source is a directory relative to its caller, any other source is wherever
// `.terraform/modules/modules.json` says it was installed (under TF_DATA_DIR when set). Files the
// workspace index already holds come from it (so edits re-diff at once); the rest (installed
// modules, local ones outside the workspace) are read from disk on each full live read.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { WorkspaceIndex } from '../hcl/workspace-index';
import type { ParsedHclFile } from '../hcl/parse-file';
import { isLocalSource, ManifestEntry, ModuleManifest, ModuleSources } from '../drift/module-tree';
import { isObject } from '../drift/values';

/** Far beyond real configurations: stops a pathological tree from reading the whole disk. */
const MAX_MODULE_DIRS = 2000;

/** `.terraform/modules/modules.json` of a root (TF_DATA_DIR moves `.terraform`), parsed with every way it can be wrong said once. */
export async function readModuleManifest(root: string, env: NodeJS.ProcessEnv, display: (p: string) => string): Promise<ModuleManifest> {
  const dataDir = env.TF_DATA_DIR ? path.resolve(root, env.TF_DATA_DIR) : path.join(root, '.terraform');
  const file = path.join(dataDir, 'modules', 'modules.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file };
    return { file, problem: `${display(file)} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { file, problem: `${display(file)} is not valid JSON (${(error as Error).message})` };
  }
  if (!isObject(doc) || !Array.isArray(doc.Modules)) return { file, problem: `${display(file)} has no "Modules" list` };
  const entries = new Map<string, ManifestEntry>();
  for (const [i, m] of doc.Modules.entries()) {
    if (!isObject(m) || typeof m.Key !== 'string' || typeof m.Dir !== 'string' || typeof m.Source !== 'string') {
      return { file, problem: `${display(file)}: Modules[${i}] needs string "Key", "Source" and "Dir"` };
    }
    if (m.Key === '') continue; // the root module itself
    entries.set(m.Key, { key: m.Key, source: m.Source, version: typeof m.Version === 'string' ? m.Version : undefined, dir: path.resolve(root, m.Dir) });
  }
  return { file, entries };
}

/** Blocks whose text HCL rejected carry no values: they are listed, never diffed. */
export function withoutBrokenBlocks(files: ParsedHclFile[]): { files: ParsedHclFile[]; broken: Array<{ address: string; file: string; line: number }> } {
  const broken: Array<{ address: string; file: string; line: number }> = [];
  const kept = files.map((f) => {
    if (f.errors.length === 0) return f;
    const blocks = f.blocks.filter((b) => {
      const bad = f.errors.some((e) => e.range.start.line >= b.range.start.line && e.range.start.line <= b.range.end.line);
      if (bad && b.kind === 'resource') broken.push({ address: b.address, file: f.file, line: b.range.start.line + 1 });
      return !bad;
    });
    return { ...f, blocks };
  });
  return { files: kept, broken };
}

/** The .tf files of each directory, from a list of indexed files. */
function byDirectory(files: ParsedHclFile[]): Map<string, ParsedHclFile[]> {
  const out = new Map<string, ParsedHclFile[]>();
  for (const f of files) {
    if (!f.file.endsWith('.tf')) continue;
    const dir = path.dirname(f.file);
    out.set(dir, [...(out.get(dir) ?? []), f]);
  }
  return out;
}

export class ModuleFiles {
  private manifest: ModuleManifest;
  private readonly disk = new Map<string, ParsedHclFile[] | undefined>();

  /** `indexed()`: every file the workspace index holds (child modules inside the workspace are among them). */
  constructor(readonly root: string, private readonly indexed: () => ParsedHclFile[], private readonly display: (p: string) => string) {
    this.manifest = { file: path.join(root, '.terraform', 'modules', 'modules.json') };
  }

  /** Reads the manifest and every module directory the calls reach that the index does not hold. */
  async load(rootFiles: ParsedHclFile[], env: NodeJS.ProcessEnv): Promise<void> {
    this.manifest = await readModuleManifest(this.root, env, this.display);
    this.disk.clear();
    const indexed = byDirectory(this.indexed());
    const seen = new Set<string>([this.root]);
    const queue: Array<{ dir: string; key: string; files: ParsedHclFile[] }> = [{ dir: this.root, key: '', files: rootFiles }];
    while (queue.length && seen.size < MAX_MODULE_DIRS) {
      const { dir, key, files } = queue.shift()!;
      for (const f of files) {
        for (const b of f.blocks) {
          if (b.kind !== 'module' || !b.labels[0]) continue;
          const source = b.attributes.find((a) => a.name === 'source')?.value;
          if (typeof source !== 'string') continue;
          const childKey = key ? `${key}.${b.labels[0]}` : b.labels[0];
          const childDir = isLocalSource(source) ? path.resolve(dir, source) : this.manifest.entries?.get(childKey)?.dir;
          if (!childDir || seen.has(childDir)) continue;
          seen.add(childDir);
          const fromIndex = indexed.get(childDir);
          const childFiles = fromIndex ?? (await this.readDir(childDir));
          if (!fromIndex) this.disk.set(childDir, childFiles);
          if (childFiles?.length) queue.push({ dir: childDir, key: childKey, files: childFiles });
        }
      }
    }
  }

  private async readDir(dir: string): Promise<ParsedHclFile[] | undefined> {
    const names = await fs.readdir(dir).catch(() => undefined);
    const tf = (names ?? []).filter((n) => n.endsWith('.tf')).sort();
    if (!tf.length) return undefined;
    const index = new WorkspaceIndex();
    const parsed = (await Promise.all(tf.map((n) => index.updateFromDisk(path.join(dir, n))))).filter((f): f is ParsedHclFile => Boolean(f));
    return withoutBrokenBlocks(parsed).files;
  }

  /** The view the drift engine uses: synchronous, so a keystroke re-diffs without I/O. */
  sources(): ModuleSources {
    const indexed = byDirectory(this.indexed());
    indexed.delete(this.root);
    const kept = new Map([...indexed].map(([dir, files]) => [dir, withoutBrokenBlocks(files).files]));
    const filesOf = (dir: string): ParsedHclFile[] | undefined => kept.get(dir) ?? this.disk.get(dir);
    return {
      root: this.root,
      manifest: this.manifest,
      filesOf,
      allFiles: () => [...[...kept.values()].flat(), ...[...this.disk.values()].flatMap((f) => f ?? [])],
      display: this.display,
    };
  }
}
