// "N attributes drifted" above each drifted block.
import type { CodeLens } from 'vscode-languageserver/node';
import { uriToKey } from '../../uri';
import { REFRESH_COMMAND } from '../drift-code-actions';
import { driftLenses } from '../drift-lens';
import type { EditorSession } from '../../app/editor-session';

export function register(s: EditorSession): void {
  s.connection.onCodeLens(async ({ textDocument }): Promise<CodeLens[]> => {
    await s.index.settled();
    const key = uriToKey(textDocument.uri);
    return driftLenses(s.index.get(key)?.blocks ?? [], s.driftsFor(key), REFRESH_COMMAND);
  });
}
