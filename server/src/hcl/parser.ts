import { Language, Parser, Tree } from 'web-tree-sitter';
import { assetPath } from '../assets';

let ready: Promise<Parser> | undefined;

/** One shared tree-sitter parser with the Terraform grammar; WASM loads once per process. */
export function loadTerraformParser(): Promise<Parser> {
  ready ??= (async () => {
    const runtime = assetPath('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtime });
    const language = await Language.load(
      assetPath('tree-sitter-terraform.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'),
    );
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return ready;
}

/** Parses text into a tree; positions and indices are in UTF-16 code units, as LSP expects. */
export async function parseTree(text: string): Promise<Tree> {
  const parser = await loadTerraformParser();
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
