// Access broker operations, one request each (`tidemark/access/<op>`): the same typed table the CLI and
// the HTTP broker use; and the team broker token from the client's SecretStorage (memory only).
import { ResponseError } from 'vscode-languageserver/node';
import { OPERATIONS } from '../../access/operations';
import { AccessRequestPrefix, AccessSetTokenNotification, AwsCliWrapperParams, AwsCliWrapperRequest, AwsCliWrapperResult } from '../../protocol';
import { accessErrorMessage } from '../../app/access-service';
import type { EditorSession } from '../../app/editor-session';

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
