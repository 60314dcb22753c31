// Access broker operations, one request each (`tidemark/access/<op>`): the same typed table the CLI and
// the HTTP broker use; and the team broker token from the client's SecretStorage (memory only).
import path from 'node:path';
import { ResponseError } from 'vscode-languageserver/node';
import { OPERATIONS } from '../../access/operations';
import { ScopeError } from '../../access/scope';
import { AccessRequestPrefix, AccessSetTokenNotification, AwsCliWrapperParams, AwsCliWrapperRequest, AwsCliWrapperResult, ScopeForParams, ScopeForRequest, ScopeForResult } from '../../protocol';
import { accessErrorMessage } from '../../app/access-service';
import type { EditorSession } from '../../app/editor-session';
import { buildScope, ScopeInputs } from '../../app/scope-input';
import { uriToKey } from '../../uri';

/** The root module and scope inputs for an editor's request; the text of open files is the buffer's. */
function scopeInputsFor(s: EditorSession, p: ScopeForParams): { root: string; inputs: ScopeInputs } {
  const fileOf = (uri: string) => uriToKey(uri);
  const rootFor = (file: string) => s.drift.rootOf(file) ?? path.dirname(file);
  const textOf = (uri: string) => s.documents.get(uri)?.getText();
  switch (p.kind) {
    case 'blocks':
    case 'file': {
      const file = fileOf(p.uri);
      const text = textOf(p.uri);
      if (text === undefined) throw new ScopeError(`${path.basename(file)}: open the file to request access for its blocks`);
      const lines = p.kind === 'blocks' ? p.lines.flatMap((r) => Array.from({ length: Math.max(0, r.end - r.start) + 1 }, (_, i) => r.start + i + 1)) : undefined;
      return { root: rootFor(file), inputs: { blocks: { file, text, lines } } };
    }
    case 'diff': {
      const root = p.uri ? rootFor(fileOf(p.uri)) : s.drift.roots()[0];
      if (!root) throw new ScopeError('no Terraform root module is open');
      return { root, inputs: { diffRef: p.ref ?? 'HEAD' } };
    }
    case 'drift':
      return { root: rootFor(fileOf(p.uri)), inputs: { addresses: [p.address] } };
  }
}

export function register(s: EditorSession): void {
  for (const op of OPERATIONS) {
    s.connection.onRequest(`${AccessRequestPrefix}${op}`, async (params: unknown) => {
      try {
        await s.settingsReady;
        return await s.access.call(op, (params ?? {}) as never);
      } catch (error) {
        throw new ResponseError(1, accessErrorMessage(error, (line) => s.log(line)));
      }
    });
  }

  s.connection.onRequest(ScopeForRequest, async (params: ScopeForParams): Promise<ScopeForResult> => {
    try {
      const { root, inputs } = scopeInputsFor(s, params);
      return { scope: (await buildScope(root, inputs, process.env)) ?? [] };
    } catch (error) {
      if (error instanceof ScopeError) throw new ResponseError(1, error.message);
      throw new ResponseError(1, accessErrorMessage(error, (line) => s.log(line)));
    }
  });

  s.connection.onNotification(AccessSetTokenNotification, async (params: { token?: string }) => {
    s.brokerToken = typeof params?.token === 'string' && params.token ? params.token : undefined;
    await s.access.reset();
  });

  s.connection.onRequest(AwsCliWrapperRequest, async (params: AwsCliWrapperParams | undefined): Promise<AwsCliWrapperResult> => {
    try {
      return { dir: await s.awsCliWrapper(typeof params?.endpoint === 'string' ? params.endpoint : undefined) };
    } catch (error) {
      s.log(`aws CLI wrapper: ${error instanceof Error ? error.message : String(error)}`);
      return {};
    }
  });
}
