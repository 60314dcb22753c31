// The language server's entry: it answers `initialize` from the capabilities alone, then starts the
// engine (index, drift, access: lsp/handlers) when `initialized` arrives — the first message an editor
// may send after the answer, so every later message finds its handler registered.
import { createConnection, InitializeParams, ProposedFeatures, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { initializeResult, type StartEditor } from './lsp/handlers/capabilities';

/** Serves LSP on this process's stdio or IPC channel; `loadEditor` brings the engine in once it is needed. */
export function listen(loadEditor: () => StartEditor): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  let params: InitializeParams | undefined;
  connection.onInitialize((p) => {
    params = p;
    return initializeResult();
  });
  connection.onInitialized(() => {
    if (!params) return;
    try {
      loadEditor()(connection, documents, params);
    } catch (error) {
      connection.console.error(`[tidemark] the language server could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  documents.listen(connection);
  connection.listen();
}
