// Every handler module of the language server, one concern each; server.ts registers them in this order.
import type { Connection, InitializeParams, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { EditorSession } from '../../app/editor-session';
import * as access from './access';
import * as codeActions from './code-actions';
import * as codeLens from './code-lens';
import * as commands from './commands';
import * as documents from './documents';
import * as driftRequests from './drift-requests';
import * as hover from './hover';
import * as lifecycle from './lifecycle';
import * as symbols from './symbols';

export const HANDLERS: ReadonlyArray<{ register(session: EditorSession): void }> = [
  lifecycle, documents, symbols, hover, codeActions, codeLens, commands, driftRequests, access,
];

/** The editor engine on an initialized connection: one session, every handler, then the first index and read. */
export function startEditor(connection: Connection, documents: TextDocuments<TextDocument>, params: InitializeParams): void {
  const session = new EditorSession(connection, documents, process.env);
  lifecycle.applyInitialize(session, params);
  for (const handler of HANDLERS) handler.register(session);
  lifecycle.initialized(session).catch((error: unknown) => session.log(`start failed: ${error instanceof Error ? error.message : String(error)}`));
}
