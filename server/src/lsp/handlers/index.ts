// Every handler module of the language server, one concern each; server.ts registers them in this order.
import type { EditorSession } from '../../app/editor-session';
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
