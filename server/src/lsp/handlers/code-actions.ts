// Quick fixes on drift diagnostics: adopt, revert, ignore, import.
import type { CodeAction } from 'vscode-languageserver/node';
import { renderHcl } from '../../drift/render-hcl';
import { keyToUri, uriToKey } from '../../uri';
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
      const found = drift.findDrift(key, data.address, data.attributePath, data.root);
      if (!found) continue;
      // The block's address inside its module: module.app["blue"].aws_instance.this[0] → aws_instance.this.
      const local = found.address.replace(/^(?:module\.[\w-]+(?:\[[^\]]*\])?\.)+/, '').replace(/\[[^\]]*\]$/, '');
      // Shown on a module's caller, the drift's block is in the child's file: no in-place edit here.
      const atCaller = found.callers?.some((c) => c.file === key && c.range === found.range);
      const block = atCaller ? undefined : file?.blocks.find((b) => b.address === local);
      actions.push(...driftCodeActions({
        diagnostic, data, drift: found, block, uri: textDocument.uri, render: renderHcl,
        importHcl: found.kind === 'unmanaged' ? drift.importHcl(found) : undefined,
        endOfFile, canRevert: drift.canRevert(found), originUri: found.origin ? keyToUri(found.origin.file) : undefined,
      }));
      // Reverting by hand needs access: a request scoped to this resource, through the Access view's flow.
      if (found.kind === 'changed') {
        actions.push({ title: `Request access to revert this (${found.address})…`, kind: 'quickfix', diagnostics: [diagnostic], command: { title: 'Request access to revert this', command: 'tidemark.access.requestForDrift', arguments: [{ uri: textDocument.uri, address: found.address }] } });
      }
    }
    return actions;
  });
}
