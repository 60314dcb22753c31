// tidemark/drift, tidemark/refresh and tidemark/grantChanges: what the Drift and Access views ask.
import { ResponseError } from 'vscode-languageserver/node';
import { DriftListRequest, DriftListResult, GrantChangesParams, GrantChangesRequest, GrantChangesResult, RefreshParams, RefreshRequest } from '../../protocol';
import { keyToUri } from '../../uri';
import { accessErrorMessage } from '../../app/access-service';
import type { EditorSession } from '../../app/editor-session';

export function register(s: EditorSession): void {
  const { connection, drift, attribution } = s;

  connection.onRequest(DriftListRequest, async (): Promise<DriftListResult> => {
    await s.index.settled();
    const drifts = drift.roots().flatMap((r) => attribution.apply(drift.report(r)?.drifts ?? [])
      .map((d) => ({ ...d, uri: keyToUri(d.file), severityLabel: d.suppressed ? ('hint' as const) : d.severity ?? ('warning' as const), grantId: d.attribution?.grantId, rootUri: keyToUri(r) })));
    const readAt = drift.roots().map((r) => drift.status(r)?.readAt).filter(Boolean).sort()[0];
    const unchecked = drift.unchecked().map(({ root, ...u }) => ({ ...u, rootUri: keyToUri(root) }));
    return { drifts, readAt, unchecked, roots: drift.roots().map(keyToUri), refreshing: drift.roots().some((r) => drift.status(r)?.refreshing) };
  });

  connection.onRequest(RefreshRequest, async (params: RefreshParams | undefined) => {
    await s.refreshLive(drift.roots(), params?.addresses);
    return { drifts: drift.allDrifts().length };
  });

  connection.onRequest(GrantChangesRequest, async (params: GrantChangesParams | undefined): Promise<GrantChangesResult> => {
    if (typeof params?.id !== 'string') throw new ResponseError(1, `${GrantChangesRequest} needs a grant id`);
    try {
      return await attribution.changes(params.id);
    } catch (error) {
      throw new ResponseError(1, accessErrorMessage(error, (line) => s.log(line)));
    }
  });
}
