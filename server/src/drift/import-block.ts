// HCL that brings an unmanaged live object under Terraform: an `import {}` block plus a resource
// block with the attributes that were read (Terraform fills in the rest on the next plan).
import type { LiveResource } from '../model';
import { renderHcl, renderPolicy } from './render-hcl';
import type { TypeSchema } from './schema';

/** `providerTags`: the provider's default_tags, which the block inherits and so does not repeat. */
export function importBlock(live: LiveResource, schema: TypeSchema, providerTags: Record<string, string> = {}, label = schema.suggestName(live)): string {
  const address = `${schema.type}.${label}`;
  const lines = [`import {`, `  to = ${address}`, `  id = ${renderHcl(schema.importId(live))}`, `}`, '', `resource "${schema.type}" "${label}" {`];
  for (const rule of schema.attributes) {
    const v = live.attributes[rule.name];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (rule.default !== undefined && JSON.stringify(rule.default) === JSON.stringify(v)) continue;
    if (rule.compare === 'blocks' && Array.isArray(v)) {
      for (const block of v) lines.push(`  ${rule.name} ${renderHcl(block, 2)}`);
    } else if (rule.compare === 'policy' && typeof v === 'string') {
      lines.push(`  ${rule.name} = ${renderPolicy(v, 2)}`);
    } else {
      lines.push(`  ${rule.name} = ${renderHcl(v, 2)}`);
    }
  }
  const own = Object.entries((live.attributes.tags ?? {}) as Record<string, unknown>).filter(([k, v]) => providerTags[k] !== v);
  if (schema.tags && own.length) lines.push(`  tags = ${renderHcl(Object.fromEntries(own), 2)}`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
