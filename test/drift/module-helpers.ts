// Engine inputs for workspaces with child modules: files by path under /ws (a module is a
// directory), state instances at full module addresses, an optional modules.json.
import path from 'node:path';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import type { ParsedHclFile } from '../../server/src/hcl/parse-file';
import type { LiveResource, StateInstance } from '../../server/src/model';
import { EMPTY_CONFIG } from '../../server/src/drift/config';
import { analyzeWorkspace, DiffContext, DriftReport } from '../../server/src/drift/engine';
import type { ManifestEntry, ModuleManifest, ModuleSources } from '../../server/src/drift/module-tree';
import { parseModulePath } from '../../server/src/drift/module-tree';
import { LiveSnapshot } from '../../server/src/drift/snapshot';
import { StateIndex, instanceAddress } from '../../server/src/state/parse-state';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';

export const ROOT = '/ws';

/** `module.app["blue"].aws_instance.this[0]` → a state instance with its module path and key. */
export function modInstance(address: string, attributes: Record<string, unknown>): StateInstance {
  const m = /^((?:module\.[\w-]+(?:\[(?:\d+|"[^"]*")\])?\.)*)([a-z0-9_]+)\.([\w-]+)(?:\[(\d+|"[^"]*")\])?$/.exec(address);
  if (!m) throw new Error(`bad address ${address}`);
  const module = m[1].replace(/\.$/, '');
  if (module && !parseModulePath(module)) throw new Error(`bad module path ${module}`);
  const indexKey = m[4] === undefined ? undefined : (JSON.parse(m[4]) as number | string);
  const resourceAddress = `${m[1]}${m[2]}.${m[3]}`;
  return { address: instanceAddress(resourceAddress, indexKey), resourceAddress, type: m[2], name: m[3], module, indexKey, attributes };
}

export function liveAt(address: string, type: string, id: string, attributes: Record<string, unknown>): LiveResource {
  return { address, type, id, attributes, readAt: '2026-01-01T00:00:00Z' };
}

export interface ModuleCase {
  /** Paths relative to /ws: `main.tf`, `modules/app/main.tf`, `.terraform/modules/vpc/main.tf`. */
  files: Record<string, string>;
  state?: StateInstance[];
  live?: LiveResource[];
  /** modules.json entries (Dir relative to /ws), or a problem as the file would give it. */
  manifest?: Array<{ Key: string; Source: string; Version?: string; Dir: string }> | { problem: string };
  region?: string;
}

export async function parseFiles(files: Record<string, string>): Promise<ParsedHclFile[]> {
  return Promise.all(Object.entries(files).map(([name, text]) => parseHclFile(path.join(ROOT, name), text)));
}

export function sourcesOf(parsed: ParsedHclFile[], manifest: ModuleCase['manifest']): ModuleSources {
  const byDir = new Map<string, ParsedHclFile[]>();
  for (const f of parsed) if (f.file.endsWith('.tf')) byDir.set(path.dirname(f.file), [...(byDir.get(path.dirname(f.file)) ?? []), f]);
  const file = path.join(ROOT, '.terraform/modules/modules.json');
  let m: ModuleManifest = { file };
  if (manifest && 'problem' in manifest) m = { file, problem: manifest.problem };
  else if (manifest) m = { file, entries: new Map(manifest.map((e): [string, ManifestEntry] => [e.Key, { key: e.Key, source: e.Source, version: e.Version, dir: path.resolve(ROOT, e.Dir) }])) };
  return {
    root: ROOT,
    manifest: m,
    filesOf: (dir) => (dir === ROOT ? undefined : byDir.get(dir)),
    allFiles: () => parsed.filter((f) => path.dirname(f.file) !== ROOT),
    display: (p) => path.relative(ROOT, p) || '.',
  };
}

export async function diffModules(c: ModuleCase): Promise<DriftReport> {
  const parsed = await parseFiles(c.files);
  const rootFiles = parsed.filter((f) => path.dirname(f.file) === ROOT);
  const state = Object.assign(new StateIndex(c.state ?? []), { present: true });
  const snapshot = new LiveSnapshot();
  snapshot.region = c.region;
  for (const l of c.live ?? []) snapshot.set(l.address, { status: 'found', resource: l });
  const ctx: DiffContext = { types: RESOURCE_TYPES, config: EMPTY_CONFIG, comments: new Map(), now: new Date('2026-06-01T00:00:00Z'), modules: sourcesOf(parsed, c.manifest) };
  return analyzeWorkspace(rootFiles, state, snapshot, ctx);
}

export function driftLines(r: DriftReport): string[] {
  return r.drifts.map((d) => `${d.address} ${d.attributePath.join('.')}: ${JSON.stringify(d.declared)} → ${JSON.stringify(d.live)}${d.basis === 'state' ? ' (vs state)' : ''} @${path.relative(ROOT, d.file)}:${d.range.start.line + 1}`).sort();
}
