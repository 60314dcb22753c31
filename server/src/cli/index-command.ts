import path from 'node:path';
import { promises as fs } from 'node:fs';
import type { Attribute, Block, Range } from '../model';
import { WorkspaceIndex } from '../hcl/workspace-index';
import { parseArgs } from './args';
import { CliError, CliIO } from './io';

const HELP = `usage: tidemark index [dir] [--json]

Prints every Terraform block found under dir (default: the current directory)
with file:line, or with --json one JSON object per line per block.`;

interface AttributeJson {
  name: string;
  range: Range;
  value: unknown;
}

interface BlockJson {
  type: string;
  labels: string[];
  range: Range;
  attributes: AttributeJson[];
  blocks: BlockJson[];
}

function attributeJson(a: Attribute): AttributeJson {
  return { name: a.name, range: a.range, value: a.value };
}

function blockJson(b: Block): BlockJson {
  return { type: b.type, labels: b.labels, range: b.range, attributes: b.attributes.map(attributeJson), blocks: b.blocks.map(blockJson) };
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help')) {
    io.out(HELP);
    return 0;
  }
  const parsed = parseArgs(args, { booleans: ['json'] });
  if (parsed.positional.length > 1) throw new CliError('expects at most one directory');
  const root = path.resolve(io.cwd, parsed.positional[0] ?? '.');
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) throw new CliError(`${parsed.positional[0] ?? root}: not a directory`);

  const index = new WorkspaceIndex();
  const files = await index.addFolder(root);
  const json = parsed.flags.has('json');
  let problems = 0;
  for (const file of files) {
    const rel = path.relative(io.cwd, file.file) || file.file;
    for (const block of file.blocks) {
      if (json) {
        io.out(JSON.stringify({ address: block.address, kind: block.kind, file: path.relative(root, file.file), headerRange: block.headerRange, ...blockJson(block) }));
      } else {
        const attrs = block.attributes.map((a) => a.name).join(', ');
        io.out(`${rel}:${block.range.start.line + 1}  ${block.address}${attrs ? `  (${attrs})` : ''}`);
      }
    }
    for (const error of file.errors) {
      problems++;
      const where = `${rel}:${error.range.start.line + 1}:${error.range.start.character + 1}`;
      if (json) io.err(JSON.stringify({ file: path.relative(root, file.file), range: error.range, error: error.message }));
      else io.err(`${where}: ${error.message}`);
    }
  }
  if (!json) {
    const blocks = files.reduce((n, f) => n + f.blocks.length, 0);
    io.out(`\n${blocks} blocks in ${files.length} files${problems ? `, ${problems} syntax errors` : ''}`);
  }
  return problems > 0 ? 1 : 0;
}
