// Pure builders: index blocks → LSP document and workspace symbols.
import { DocumentSymbol, SymbolInformation, SymbolKind } from 'vscode-languageserver';
import type { Attribute, Block, TopBlock } from '../model';

const KIND_BY_BLOCK: Record<string, SymbolKind> = {
  resource: SymbolKind.Class,
  data: SymbolKind.Struct,
  module: SymbolKind.Module,
  variable: SymbolKind.Variable,
  output: SymbolKind.Interface,
  locals: SymbolKind.Namespace,
  provider: SymbolKind.Package,
  terraform: SymbolKind.Namespace,
};

function attributeSymbol(attr: Attribute): DocumentSymbol {
  const detail = attr.expression.split(/\r?\n/)[0];
  return {
    name: attr.name,
    detail: detail.length > 60 ? detail.slice(0, 59) + '…' : detail,
    kind: SymbolKind.Property,
    range: attr.range,
    selectionRange: attr.nameRange,
  };
}

function nestedSymbol(block: Block): DocumentSymbol {
  return {
    name: [block.type, ...block.labels.map((l) => JSON.stringify(l))].join(' '),
    kind: SymbolKind.Object,
    range: block.range,
    selectionRange: block.headerRange,
    children: [...block.attributes.map(attributeSymbol), ...block.blocks.map(nestedSymbol)],
  };
}

export function documentSymbols(blocks: TopBlock[]): DocumentSymbol[] {
  return blocks.map((block) => ({
    name: block.address,
    detail: block.kind === 'other' ? block.type : block.kind,
    kind: KIND_BY_BLOCK[block.kind] ?? SymbolKind.Object,
    range: block.range,
    selectionRange: block.headerRange,
    children: [...block.attributes.map(attributeSymbol), ...block.blocks.map(nestedSymbol)],
  }));
}

/** Case-insensitive subsequence match, as VS Code's own symbol search does. */
export function fuzzyMatches(query: string, name: string): boolean {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let i = 0;
  for (const ch of n) if (ch === q[i]) i++;
  return i === q.length;
}

export function workspaceSymbols(blocks: TopBlock[], query: string, uriOf: (file: string) => string, limit = 500): SymbolInformation[] {
  const result: SymbolInformation[] = [];
  for (const block of blocks) {
    if (!fuzzyMatches(query, block.address)) continue;
    result.push({
      name: block.address,
      kind: KIND_BY_BLOCK[block.kind] ?? SymbolKind.Object,
      location: { uri: uriOf(block.file), range: block.headerRange },
      containerName: block.kind,
    });
    if (result.length >= limit) break;
  }
  return result;
}
