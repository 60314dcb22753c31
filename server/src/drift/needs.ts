// Which arguments each declared resource sets: the reader skips per-object calls nobody needs.
import type { HclFile } from '../model';

export function declaredNeeds(files: HclFile[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const f of files) {
    for (const b of f.blocks) {
      if (b.kind !== 'resource') continue;
      const names = new Set<string>(['tags']);
      for (const a of b.attributes) names.add(a.name);
      for (const n of b.blocks) names.add(n.type === 'dynamic' ? n.labels[0] ?? '' : n.type);
      out.set(b.address, names);
    }
  }
  return out;
}
