// Text and file events: keep the index current and re-publish what they touch. A keystroke re-diffs
// against the cached live snapshot: no network.
import { FileChangeType } from 'vscode-languageserver/node';
import { isTerraformFile } from '../../hcl/workspace-index';
import { uriToKey } from '../../uri';
import type { EditorSession } from '../../app/editor-session';

export function register(s: EditorSession): void {
  const { connection, documents, index, drift } = s;

  documents.onDidChangeContent(async ({ document }) => {
    const key = uriToKey(document.uri);
    await index.update(key, document.getText(), document.version);
    const roots = drift.rootsOf(key);
    for (const root of roots) drift.reanalyze(root);
    for (const root of roots) await s.publishModule(root);
    if (roots.length === 0) await s.publish(key);
  });

  documents.onDidSave(({ document }) => {
    // A save is a natural moment to check the resources of that file against the cloud again, in
    // every root whose tree uses it (a child module's file: under each calling instance's address).
    const key = uriToKey(document.uri);
    void (async () => {
      for (const root of drift.rootsOf(key)) {
        const addresses = drift.addressesIn(key, root);
        if (addresses.length) await s.refreshLive([root], addresses);
      }
    })();
  });

  documents.onDidClose(async ({ document }) => {
    // Once closed, the file on disk is the truth again (unsaved edits were discarded).
    const key = uriToKey(document.uri);
    if (document.uri.startsWith('file:')) await index.updateFromDisk(key);
    else index.remove(key);
    await s.publish(key);
  });

  connection.onDidChangeWatchedFiles(({ changes }) => index.track((async () => {
    for (const change of changes) {
      const key = uriToKey(change.uri);
      if (documents.get(change.uri)) continue; // the editor's buffer wins over the disk
      if (change.type === FileChangeType.Deleted) index.remove(key);
      else if (isTerraformFile(key)) await index.updateFromDisk(key);
      await s.publish(key);
    }
  })()));

  connection.workspace.onDidCreateFiles(({ files }) => index.track((async () => {
    for (const f of files) if (isTerraformFile(f.uri)) { await index.updateFromDisk(uriToKey(f.uri)); await s.publish(uriToKey(f.uri)); }
  })()));

  connection.workspace.onDidDeleteFiles(({ files }) => index.track((async () => {
    for (const f of files) {
      const key = uriToKey(f.uri);
      const removed = index.get(key) ? [key] : index.removeUnder(key);
      index.remove(key);
      for (const r of removed) await s.publish(r);
    }
  })()));

  connection.workspace.onDidRenameFiles(({ files }) => index.track((async () => {
    for (const { oldUri, newUri } of files) {
      const oldKey = uriToKey(oldUri);
      const moved = index.get(oldKey) ? [oldKey] : index.removeUnder(oldKey);
      index.remove(oldKey);
      for (const r of moved) await s.publish(r);
      const newKey = uriToKey(newUri);
      if (isTerraformFile(newKey)) await index.updateFromDisk(newKey);
      else await index.addFolder(newKey);
      for (const f of index.allFiles()) if (f.file === newKey || f.file.startsWith(newKey + '/')) await s.publish(f.file);
    }
  })()));
}
