// Outline (document symbols) and workspace symbols, straight from the index.
import { keyToUri, uriToKey } from '../../uri';
import { documentSymbols, workspaceSymbols } from '../symbols';
import type { EditorSession } from '../../app/editor-session';

export function register({ connection, index }: EditorSession): void {
  connection.onDocumentSymbol(async ({ textDocument }) => {
    await index.settled();
    const file = index.get(uriToKey(textDocument.uri));
    return file ? documentSymbols(file.blocks) : [];
  });

  connection.onWorkspaceSymbol(async ({ query }) => {
    await index.settled();
    return workspaceSymbols(index.blocks(), query, keyToUri);
  });
}
