// `tidemark types [--json]`: every supported resource type with the read family that reads it,
// the attributes it compares, those it deliberately does not (and why), and what revert can write.
import { RESOURCE_TYPES } from '../cloud/types';
import type { ResourceType } from '../cloud/types/resource-type';
import { parseArgs } from './args';
import { CliError, CliIO } from './io';

const HELP = `usage: tidemark types [--json | --markdown]

Lists every resource type Tidemark reads: its read family (the batched AWS calls that serve it),
the attributes it compares, the attributes it deliberately does not compare and why, and which
attributes revert can write back. --json prints one JSON array; --markdown prints the table the
README's type list is generated from (scripts/readme-types.mjs).`;

export interface TypeDescription {
  type: string;
  /** The read family (e.g. `ec2:DescribeRouteTables`), or `own read` for a type that reads itself. */
  family: string;
  /** The family that finds the container's unmanaged members (rules, routes, attachments), if any. */
  unmanagedMembers?: string;
  compared: Array<{ name: string; comparison: string; default?: unknown; forceNew?: boolean }>;
  tags: boolean;
  notCompared: Array<{ name: string; reason: string }>;
  revert: { supported: boolean; attributes: string[]; reason?: string; removesUnmanaged: boolean };
}

export function describeType(t: ResourceType): TypeDescription {
  const writable = t.attributes.filter((a) => !a.forceNew).map((a) => a.name);
  return {
    type: t.type,
    family: t.family?.family.name ?? 'own read',
    ...(t.members ? { unmanagedMembers: t.members.family.name } : {}),
    compared: t.attributes.map((a) => ({ name: a.name, comparison: a.compare, ...(a.default !== undefined ? { default: a.default } : {}), ...(a.forceNew ? { forceNew: true } : {}) })),
    tags: t.tags,
    notCompared: Object.entries(t.notCompared ?? {}).map(([name, reason]) => ({ name, reason })),
    revert: t.revertUnsupported
      ? { supported: false, attributes: [], reason: t.revertUnsupported, removesUnmanaged: Boolean(t.removeLive) }
      : { supported: writable.length > 0 || t.tags, attributes: [...writable, ...(t.tags ? ['tags'] : [])], removesUnmanaged: Boolean(t.removeLive) },
  };
}

export function describeTypes(types: ReadonlyMap<string, ResourceType> = RESOURCE_TYPES): TypeDescription[] {
  return [...types.values()].map(describeType).sort((a, b) => a.type.localeCompare(b.type));
}

function text(d: TypeDescription): string[] {
  const compared = d.compared.map((a) => `${a.name}${a.forceNew ? ' (replace)' : ''}`).concat(d.tags ? ['tags'] : []);
  const lines = [`${d.type}`, `  read by      ${d.family}${d.unmanagedMembers ? `; unmanaged members via ${d.unmanagedMembers}` : ''}`, `  compares     ${compared.join(', ') || '-'}`];
  for (const n of d.notCompared) lines.push(`  not compared ${n.name}: ${n.reason}`);
  lines.push(`  revert       ${d.revert.supported ? d.revert.attributes.join(', ') : `no${d.revert.reason ? ` (${d.revert.reason})` : ''}`}${d.revert.removesUnmanaged ? '; removes unmanaged members' : ''}`);
  return lines;
}

const code = (names: string[]): string => (names.length ? names.map((n) => `\`${n}\``).join(', ') : '–');

/** One Markdown table row per type: family, compared attributes (⟳ = forces replacement), revert. */
export function markdown(all: TypeDescription[]): string[] {
  const lines = ['| Type | Read family | Compares | Not compared | Revert writes |', '|---|---|---|---|---|'];
  for (const d of all) {
    const compared = d.compared.map((a) => `\`${a.name}\`${a.forceNew ? ' ⟳' : ''}`).concat(d.tags ? ['`tags`'] : []);
    const revert = d.revert.supported ? code(d.revert.attributes) : 'no';
    const members = d.unmanagedMembers ? `; unmanaged members via \`${d.unmanagedMembers}\`` : '';
    lines.push(`| \`${d.type}\` | \`${d.family}\`${members} | ${compared.join(', ') || '–'} | ${code(d.notCompared.map((n) => n.name))} | ${revert}${d.revert.removesUnmanaged ? '; removes unmanaged members' : ''} |`);
  }
  lines.push('', `${all.length} resource types; ⟳ = changing it makes Terraform replace the resource (reported, not written back).`);
  return lines;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help')) {
    io.out(HELP);
    return 0;
  }
  const parsed = parseArgs(args, { booleans: ['json', 'markdown'] });
  if (parsed.positional.length) throw new CliError(`unexpected argument ${parsed.positional[0]} (tidemark types takes only --json or --markdown)`);
  const all = describeTypes();
  if (parsed.flags.has('json')) {
    io.out(JSON.stringify(all, null, 2));
    return 0;
  }
  if (parsed.flags.has('markdown')) {
    for (const line of markdown(all)) io.out(line);
    return 0;
  }
  for (const d of all) for (const line of text(d)) io.out(line);
  io.out(`${all.length} resource types`);
  return 0;
}
