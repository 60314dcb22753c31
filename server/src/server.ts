// The language server's entry: one connection, one editor session (the composition root), and the
// handler modules of lsp/handlers/, each registering the requests of one concern.
import { createConnection, ProposedFeatures, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { HANDLERS } from './lsp/handlers';
import { EditorSession } from './app/editor-session';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const session = new EditorSession(connection, documents, process.env);
for (const handler of HANDLERS) handler.register(session);
documents.listen(connection);
connection.listen();
