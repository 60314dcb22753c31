// Quick fixes on drift diagnostics: adopt, revert, ignore, import.
import type { CodeAction } from 'vscode-languageserver/node';
import { renderHcl } from '../../drift/render-hcl';
import { uriToKey } from '../../uri';
import { driftCodeActions } from '../drift-code-actions';
import { isDriftData } from '../drift-diagnostics';
import type { EditorSession } from '../../app/editor-session';

export function register({ connection, documents, index, drift }: EditorSession): void {
  connection.onCodeAction(async ({ textDocument, context }) => {
    await index.settled();
    const key = uriToKey(textDocument.uri);
    const file = index.get(key);
    const doc = documents.get(textDocument.uri);
    const endOfFile = doc ? doc.positionAt(doc.getText().length) : { line: 0, character: 0 };
    const actions: CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'tidemark' || !isDriftData(diagnostic.data)) continue;
      const data = diagnostic.data;
      const found = drift.findDrift(key, data.address, data.attributePath);
      if (!found) continue;
      const block = file?.blocks.find((b) => b.address === found.address.replace(/\[.*\]$/, ''));
      actions.push(...driftCodeActions({
        diagnostic, data, drift: found, block, uri: textDocument.uri, render: renderHcl,
        importHcl: found.kind === 'unmanaged' ? drift.importHcl(found) : undefined,
        endOfFile, canRevert: drift.canRevert(found),
      }));
    }
    return actions;
  });
}
