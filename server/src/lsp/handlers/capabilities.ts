// What the server answers to `initialize`: its capabilities, fixed, so the answer needs none of the
// engine. The entry (server.ts) loads only this and the LSP library before answering.
import { Connection, InitializeParams, InitializeResult, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Commands } from '../../protocol';

/** Starts the editor engine on a connection whose `initialize` was answered, from within `initialized`. */
export type StartEditor = (connection: Connection, documents: TextDocuments<TextDocument>, params: InitializeParams) => void;

export function initializeResult(): InitializeResult {
  const fileFilter = { filters: [{ pattern: { glob: '**/*.{tf,tfvars}' } }] };
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      documentSymbolProvider: { label: 'Tidemark' },
      workspaceSymbolProvider: true,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: [Commands.revertLive, Commands.refresh] },
      workspace: {
        workspaceFolders: { supported: true, changeNotifications: true },
        fileOperations: { didCreate: fileFilter, didDelete: { filters: [{ pattern: { glob: '**' } }] }, didRename: { filters: [{ pattern: { glob: '**' } }] } },
      },
    },
    serverInfo: { name: 'tidemark', version: '0.1.0' },
  };
}
