// Drift for the editor: which root modules the workspace has, their live snapshots, and the latest
// report per module. Edits re-diff against the cached snapshot (no network); reads happen on
// open, save, an interval and on request.
import path from 'node:path';
import { promises as fs, readFileSync } from 'node:fs';
import type { Drift, HclFile, Range } from '../model';
import type { WorkspaceIndex } from '../hcl/workspace-index';
import type { ParsedHclFile } from '../hcl/parse-file';
import type { AwsSettings } from '../cloud/aws-env';
import type { RevertOutcome } from '../cloud/types/resource-type';
import { DriftReport } from '../drift/engine';
import { IgnoreComment, parseIgnoreComments } from '../drift/ignore';
import { RESOURCE_TYPES } from '../cloud/types';
import { discoverRoots, STATE_MARKERS } from '../hcl/roots';
import { ConfigProblem, rootFilesOf, RootModule, RootModuleError, withoutBrokenBlocks } from './root-module';

export interface DriftSettings {
  aws: AwsSettings;
  /** Seconds between background refreshes; 0 turns them off. */
  refreshIntervalSeconds: number;
}

export interface ModuleStatus {
  root: string;
  connected: boolean;
  /** Why the module cannot be checked (bad credentials, corrupt state); shown once, logged. */
  error?: string;
  readAt?: string;
  refreshing: boolean;
}

/**
 * The first full read of a module can take long at scale: the resources of the files open in the
 * editor are read first and their diagnostics published, then the rest.
 */
export interface PriorityRead {
  /** The files open in the editor. */
  files: string[];
  /** Called once the open files' resources are read and diffed (the rest still unread: "not read yet", never drift). */
  publish(): Promise<void>;
}

interface ModuleEntry {
  module: RootModule;
  report: DriftReport;
  /** A full read has completed since the module connected: later full reads need no priority read. */
  fullyRead?: boolean;
  /** Bad overrides and variable values, with their place (see RootModule.configProblems). */
  problems?: ConfigProblem[];
  error?: string;
  connected: boolean;
  refreshing: boolean;
  connecting?: Promise<void>;
}

/** Folders of these files that hold a state of their own. */
async function foldersWithState(files: HclFile[]): Promise<Set<string>> {
  const out = new Set<string>();
  await Promise.all([...new Set(files.map((f) => path.dirname(f.file)))].map(async (dir) => {
    for (const marker of STATE_MARKERS) if (await fs.stat(path.join(dir, marker)).then(() => true, () => false)) out.add(dir);
  }));
  return out;
}

export class DriftService {
  private readonly modules = new Map<string, ModuleEntry>();
  /** Ignore comments per file: from the editor's text, or read once from disk for the indexed version of a closed file. */
  private readonly comments = new Map<string, { text?: string; indexed?: HclFile; parsed: IgnoreComment[] }>();

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly options: { env: NodeJS.ProcessEnv; settings: () => DriftSettings; textOf: (file: string) => string | undefined; log: (message: string) => void },
  ) {}

  /**
   * Root modules under the indexed workspace folders, found again whenever folders come or go:
   * roots no longer found are dropped (their folder was removed, or another root now calls them).
   * Returns the roots new since the last call.
   */
  async discover(): Promise<string[]> {
    // A folder other roots use as a module source is a module, not a root (see hcl/roots.ts).
    const files = this.index.allFiles();
    const { roots } = discoverRoots(files, await foldersWithState(files));
    for (const known of [...this.modules.keys()]) if (!roots.includes(known)) this.modules.delete(known);
    const added = roots.filter((root) => !this.modules.has(root));
    for (const root of roots) {
      if (!this.modules.has(root)) {
        this.modules.set(root, {
          module: new RootModule({ root, env: this.options.env, aws: this.options.settings().aws }),
          report: { drifts: [], unknown: [], notChecked: [], checked: 0 },
          connected: false,
          refreshing: false,
        });
      }
    }
    return added;
  }

  /** The root module a file belongs to: its own directory's, else the first root whose child modules use it. */
  rootOf(file: string): string | undefined {
    return this.rootsOf(file)[0];
  }

  /** Every root module whose tree uses this file: its own folder's, and those whose child modules live there. */
  rootsOf(file: string): string[] {
    const dir = path.dirname(file);
    if (this.modules.has(dir)) return [dir];
    return [...this.modules.keys()].filter((root) => this.belongsTo(file, root));
  }

  roots(): string[] {
    return [...this.modules.keys()];
  }

  /** The connected root module (clients, snapshot) for attribution; undefined until connected. */
  connectedModule(root: string): RootModule | undefined {
    const e = this.modules.get(root);
    return e?.connected ? e.module : undefined;
  }

  status(root: string): ModuleStatus | undefined {
    const e = this.modules.get(root);
    if (!e) return undefined;
    return { root, connected: e.connected, error: e.error, readAt: e.module.cache?.snapshot.readAt, refreshing: e.refreshing };
  }

  private files(root: string): ParsedHclFile[] {
    return rootFilesOf(root, this.index.allFiles());
  }

  /** Comments are re-parsed only for files whose text changed since the last diff. */
  private commentsFor(files: HclFile[]): Map<string, IgnoreComment[]> {
    const out = new Map<string, IgnoreComment[]>();
    for (const f of files) {
      const open = this.options.textOf(f.file);
      let cached = this.comments.get(f.file);
      if (open !== undefined) {
        if (cached?.text !== open) cached = { text: open, parsed: parseIgnoreComments(open) };
      } else if (!cached || cached.indexed !== f) {
        // A closed file: the index re-parses it (new object) when it changes on disk, so read it again only then.
        let text = '';
        try {
          text = readFileSync(f.file, 'utf8');
        } catch {
          // Gone since it was indexed: the next file event removes it.
        }
        cached = { indexed: f, parsed: parseIgnoreComments(text) };
      }
      this.comments.set(f.file, cached);
      out.set(f.file, cached.parsed);
    }
    return out;
  }

  /** Connects (config, credentials, state) once; errors are kept and reported, never thrown. */
  private connect(entry: ModuleEntry): Promise<void> {
    entry.connecting ??= (async () => {
      try {
        await entry.module.loadConfig();
        await entry.module.connect(withoutBrokenBlocks(this.files(entry.module.root)).files);
        entry.connected = true;
        entry.error = undefined;
      } catch (error) {
        entry.error = error instanceof RootModuleError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
        entry.connecting = undefined; // allow a retry on the next refresh
      }
    })();
    return entry.connecting;
  }

  /**
   * Reads live state (all of it, or some addresses), then re-diffs. Returns the failures. The first
   * full read of a module reads `priority`'s files first (see PriorityRead).
   */
  async refresh(root: string, addresses?: string[], priority?: PriorityRead): Promise<string[]> {
    const entry = this.modules.get(root);
    if (!entry) return [];
    entry.refreshing = true;
    try {
      await this.connect(entry);
      if (!entry.connected) return entry.error ? [entry.error] : [];
      entry.module.setFiles(withoutBrokenBlocks(this.files(root)).files);
      const started = Date.now();
      if (!addresses?.length) await entry.module.loadModules(withoutBrokenBlocks(this.files(root)).files, () => this.index.allFiles());
      const early = !addresses?.length && !entry.fullyRead && priority ? await this.readFirst(entry, priority) : [];
      const result = addresses?.length ? await entry.module.refreshResources(addresses) : await entry.module.refreshAll();
      if (!addresses?.length) entry.fullyRead = true;
      const calls = entry.module.totalCalls();
      this.options.log(`read live state for ${path.basename(root)}${addresses?.length ? ` (${addresses.length} resources)` : ''} in ${Date.now() - started} ms (${calls} API calls so far)`);
      this.reanalyze(root);
      // A priority read's failure the full read repeats is reported once.
      const failures = [...new Set([...early, ...result.failures])];
      return result.fatal ? [result.fatal, ...failures] : failures;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      entry.error = message;
      return [message];
    } finally {
      entry.refreshing = false;
    }
  }

  /**
   * Reads the resources the open files declare (in this root's tree), re-diffs and publishes, before
   * the full read. What is not read yet has no snapshot entry: "not read from the cloud yet", never drift.
   */
  private async readFirst(entry: ModuleEntry, priority: PriorityRead): Promise<string[]> {
    const root = entry.module.root;
    // Without state, instances are matched by the full read's listing: nothing to read first.
    if (!entry.module.statePresent) return [];
    const addresses = [...new Set(priority.files.flatMap((f) => {
      // The root's own files, and a child module's under each instance that uses it (the module tree, not yet the report's).
      const dir = path.dirname(f);
      const prefixes = dir === root ? [''] : entry.module.moduleInstancePathsIn(dir).map((m) => `${m}.`);
      const declared = prefixes.length ? (this.index.get(f)?.blocks ?? []).filter((b) => b.kind === 'resource').map((b) => b.address) : [];
      return prefixes.flatMap((p) => declared.map((a) => p + a));
    }))];
    // Worth it only when the open files hold at most half the module: else it would read most of it twice.
    const wanted = new Set(addresses);
    const instances = entry.module.state.instances;
    if (addresses.length === 0 || instances.filter((i) => wanted.has(i.resourceAddress)).length * 2 > instances.length) return [];
    const started = Date.now();
    const result = await entry.module.refreshResources(addresses);
    this.options.log(`read live state for ${path.basename(root)}'s open files first (${addresses.length} resources) in ${Date.now() - started} ms`);
    this.reanalyze(root);
    await priority.publish();
    return result.fatal ? [result.fatal, ...result.failures] : result.failures;
  }

  /** Pure re-diff against the cached snapshot: what every keystroke costs. */
  reanalyze(root: string): DriftReport | undefined {
    const entry = this.modules.get(root);
    if (!entry) return undefined;
    const { files } = withoutBrokenBlocks(this.files(root));
    const report = entry.connected ? entry.module.analyze(files, this.commentsFor(files)) : { drifts: [], unknown: [], notChecked: [], checked: 0 };
    entry.report = { ...report, drifts: report.drifts.map((d) => ({ ...d, root })) };
    entry.problems = entry.module.configProblems(files);
    return entry.report;
  }

  report(root: string): DriftReport | undefined {
    return this.modules.get(root)?.report;
  }

  driftsFor(file: string): Drift[] {
    // A child module's file holds the drift of every root whose tree uses it (each drift names its
    // root then); a caller's file also shows the drift of the instances it calls when their code is
    // installed or shared (see callerSite).
    const shared = this.rootsOf(file).length > 1;
    return [...this.modules.values()].flatMap((e) => e.report.drifts.flatMap((d) => [
      ...(d.file === file ? [shared ? { ...d, note: [d.note, `in root module ${this.rootLabel(e.module.root, file)}`].filter(Boolean).join('; ') } : d] : []),
      ...(d.callers ?? []).filter((c) => c.file === file).map((c): Drift => ({
        ...d, file: c.file, range: c.range,
        note: [d.note, `declared in ${path.relative(path.dirname(c.file), d.file)}:${d.range.start.line + 1}${c.argument ? `, whose value this call's ${c.argument} sets` : ''}`].filter(Boolean).join('; '),
      })),
    ]));
  }

  /** A root folder as people name it: relative to the folder holding every root and the file (`envs/prod`). */
  private rootLabel(root: string, file: string): string {
    const dirs = [...this.modules.keys(), path.dirname(file)];
    let base = path.dirname(root);
    while (!dirs.every((d) => d === base || d.startsWith(base + path.sep)) && path.dirname(base) !== base) base = path.dirname(base);
    return path.relative(base, root) || path.basename(root);
  }

  /** Whether a file's diagnostics come from this root: its own files and those of the child modules it uses. */
  belongsTo(file: string, root: string): boolean {
    const dir = path.dirname(file);
    return dir === root || (this.modules.get(root)?.report.moduleInstances ?? []).some((m) => m.dir === dir);
  }

  /** Configuration problems placed in this file: shown as errors, like syntax errors. */
  problemsFor(file: string): Array<{ message: string; range: Range; severity?: 'error' | 'warning' | 'hint' }> {
    const root = this.rootOf(file);
    const problems = root ? this.modules.get(root)?.problems ?? [] : [];
    // Module calls that cannot be evaluated sit on the call block, in whichever root's tree they are.
    const modules = [...this.modules.values()].flatMap((e) => e.report.moduleProblems ?? []).filter((p) => p.file === file);
    return [
      ...problems.filter((p) => p.file === file).map((p) => ({ message: p.message, range: p.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } })),
      ...modules.map((p) => ({ message: p.message, range: p.range, severity: p.severity })),
    ];
  }

  allDrifts(): Drift[] {
    return [...this.modules.values()].flatMap((e) => e.report.drifts);
  }

  unchecked(): Array<{ address: string; reason: string; root: string }> {
    return [...this.modules.values()].flatMap((e) => [
      ...e.report.notChecked.map((n) => ({ address: n.address, reason: n.reason, root: e.module.root })),
      ...e.report.unknown.filter((u) => u.attributePath.length === 0).map((u) => ({ address: u.address, reason: u.reason, root: e.module.root })),
      ...(e.error ? [{ address: path.basename(e.module.root), reason: e.error, root: e.module.root }] : []),
    ]);
  }

  readAt(file: string): string | undefined {
    const root = this.rootOf(file);
    return root ? this.modules.get(root)?.module.cache?.snapshot.readAt : undefined;
  }

  /** `root`: the diagnostic's root, when the file serves several (the same address may drift in each). */
  findDrift(file: string, address: string, attributePath: string[], root?: string): Drift | undefined {
    return this.driftsFor(file).find((d) => d.address === address && d.attributePath.join('\u0000') === attributePath.join('\u0000') && (!root || d.root === root));
  }

  canRevert(drift: Drift): boolean {
    if (drift.kind === 'unmanaged') return Boolean(drift.resourceType && RESOURCE_TYPES.get(drift.resourceType)?.removeLive);
    return drift.kind === 'changed' && Boolean(drift.resourceType && RESOURCE_TYPES.has(drift.resourceType));
  }

  async revert(drift: Drift): Promise<RevertOutcome> {
    const root = drift.root ?? this.rootOf(drift.file);
    const entry = root ? this.modules.get(root) : undefined;
    if (!entry?.connected) return { ok: false, message: `${drift.address}: not connected to AWS${entry?.error ? ` (${entry.error})` : ''}` };
    const outcome = await entry.module.revert(drift);
    this.reanalyze(entry.module.root);
    return outcome;
  }

  /** HCL (resource block + import block) for an unmanaged live object, when its type supports it. */
  importHcl(drift: Drift): string | undefined {
    const root = drift.root ?? this.rootOf(drift.file);
    return root ? this.modules.get(root)?.module.importHcl(drift.liveId) : undefined;
  }

  /**
   * State addresses of the resources a file declares in a root's tree: what a save re-reads. In a
   * child module's file they carry each calling instance's prefix (`module.app["blue"].aws_instance.this`).
   */
  addressesIn(file: string, root: string): string[] {
    const declared = (this.index.get(file)?.blocks ?? []).filter((b) => b.kind === 'resource').map((b) => b.address);
    const dir = path.dirname(file);
    if (dir === root) return declared;
    const instances = (this.modules.get(root)?.report.moduleInstances ?? []).filter((m) => m.dir === dir);
    return instances.flatMap((m) => declared.map((a) => `${m.path}.${a}`));
  }

  applySettings(): void {
    // New AWS settings mean new clients: reconnect every module on its next refresh.
    for (const [root, entry] of this.modules) {
      this.modules.set(root, { ...entry, module: new RootModule({ root, env: this.options.env, aws: this.options.settings().aws }), connected: false, connecting: undefined, fullyRead: false });
    }
  }
}
