// The workspace's Terraform files, parsed and kept current. Each update re-parses only that file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SyntaxProblem, TopBlock } from '../model';
import { isUtf8 } from 'node:buffer';
import { IncrementalState, parseHclFileIncrementally, ParsedHclFile, unindexed } from './parse-file';
import { fileTooLarge, notUtf8 } from './limits';

/** Directories that never hold the user's own configuration. */
const SKIPPED_DIRS = new Set(['.terraform', '.git', 'node_modules', '.tidemark']);

export function isTerraformFile(file: string): boolean {
  return file.endsWith('.tf') || file.endsWith('.tfvars');
}

export async function findTerraformFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable directories are not part of the workspace
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
      } else if (entry.isFile() && isTerraformFile(entry.name)) {
        found.push(full);
      }
    }
  };
  await walk(root);
  return found.sort();
}

/**
 * Reads a file for the index: one too large is refused by its size before it is read, and one
 * that is not UTF-8 (binary data, another encoding) is refused before any parser sees it.
 */
async function readTerraformFile(file: string): Promise<{ text: string } | { problem: SyntaxProblem }> {
  const tooLarge = fileTooLarge((await fs.stat(file)).size);
  if (tooLarge) return { problem: tooLarge };
  const bytes = await fs.readFile(file);
  const text = bytes.toString('utf8');
  return isUtf8(bytes) ? { text } : { problem: notUtf8(text) };
}

export class WorkspaceIndex {
  private readonly files = new Map<string, ParsedHclFile>();
  /** Latest update per file, so a slow parse of an older text never overwrites a newer one. */
  private readonly generation = new Map<string, number>();

  /** Parses in flight, so requests can wait until the index reflects every edit already received. */
  private readonly pending = new Set<Promise<unknown>>();
  /** Trees of files open in the editor (those with a version), for incremental re-parsing. */
  private readonly incremental = new Map<string, IncrementalState>();
  /** Parses of one file run one after another, each building on the tree of the one before. */
  private readonly queue = new Map<string, Promise<unknown>>();

  update(file: string, text: string, version?: number): Promise<ParsedHclFile> {
    const gen = (this.generation.get(file) ?? 0) + 1;
    this.generation.set(file, gen);
    const keep = version !== undefined;
    const run = async (): Promise<ParsedHclFile> => {
      const previous = this.incremental.get(file);
      this.incremental.delete(file);
      const { parsed, state } = await parseHclFileIncrementally(file, text, version, keep ? previous : undefined, keep);
      if (!keep) previous?.tree.delete();
      if (state) {
        if (this.generation.get(file) === gen) this.incremental.set(file, state);
        else state.tree.delete();
      }
      if (this.generation.get(file) === gen) this.files.set(file, parsed);
      return this.files.get(file) ?? parsed;
    };
    const prior = this.queue.get(file) ?? Promise.resolve();
    const work = prior.then(run, run);
    this.queue.set(file, work);
    const cleanup = () => {
      if (this.queue.get(file) === work) this.queue.delete(file);
    };
    work.then(cleanup, cleanup);
    return this.track(work);
  }

  /** Runs work the index must finish before it answers queries (parses, folder scans). */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = () => this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves once every parse started so far has landed. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  updateFromDisk(file: string): Promise<ParsedHclFile | undefined> {
    return this.track(
      readTerraformFile(file).then(
        (read) => ('text' in read ? this.update(file, read.text) : this.refuse(file, read.problem)),
        () => {
          this.remove(file);
          return undefined;
        },
      ),
    );
  }

  /** Records a file that is not indexed, with the one problem that says why. */
  private refuse(file: string, problem: SyntaxProblem): ParsedHclFile {
    this.remove(file);
    const parsed = unindexed(file, undefined, problem);
    this.files.set(file, parsed);
    return parsed;
  }

  remove(file: string): void {
    this.generation.set(file, (this.generation.get(file) ?? 0) + 1);
    this.files.delete(file);
    this.incremental.get(file)?.tree.delete();
    this.incremental.delete(file);
  }

  /** Removes every file under a folder (a deleted or renamed directory). */
  removeUnder(folder: string): string[] {
    const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
    const removed = [...this.files.keys()].filter((f) => f.startsWith(prefix));
    for (const f of removed) this.remove(f);
    return removed;
  }

  addFolder(root: string): Promise<ParsedHclFile[]> {
    return this.track(
      (async () => {
        const parsed: ParsedHclFile[] = [];
        for (const file of await findTerraformFiles(root)) {
          const result = await this.updateFromDisk(file);
          if (result) parsed.push(result);
        }
        return parsed;
      })(),
    );
  }

  get(file: string): ParsedHclFile | undefined {
    return this.files.get(file);
  }

  allFiles(): ParsedHclFile[] {
    return [...this.files.values()].sort((a, b) => a.file.localeCompare(b.file));
  }

  blocks(): TopBlock[] {
    return this.allFiles().flatMap((f) => f.blocks);
  }

  findBlock(address: string): TopBlock | undefined {
    return this.blocks().find((b) => b.address === address);
  }
}
