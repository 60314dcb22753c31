// Which arguments each declared resource sets: the reader skips per-object calls nobody needs.
// Child modules' resources are keyed by their full address (`module.app["blue"].aws_vpc.this`).
import type { HclFile } from '../model';

/** `only`: the resource addresses a partial read needs (a refresh of a few), instead of every block's. */
export function declaredNeeds(files: HclFile[], modules: ReadonlyArray<{ path: string; files: HclFile[] }> = [], only?: ReadonlySet<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (prefix: string, list: HclFile[]): void => {
    for (const f of list) {
      for (const b of f.blocks) {
        if (b.kind !== 'resource') continue;
        if (only && !only.has(`${prefix}${b.address}`)) continue;
        const names = new Set<string>(['tags']);
        for (const a of b.attributes) names.add(a.name);
        for (const n of b.blocks) names.add(n.type === 'dynamic' ? n.labels[0] ?? '' : n.type);
        out.set(`${prefix}${b.address}`, names);
      }
    }
  };
  add('', files);
  for (const m of modules) add(`${m.path}.`, m.files);
  return out;
}
