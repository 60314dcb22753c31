// A sandbox for the per-type tests of services the demo scenario's users may not touch: the demo
// world plus one user allowed the given actions, and Tidemark's clients signed as that user.
import { createClients, AwsClients } from '../../server/src/cloud/clients';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import type { SandboxHandle } from '../../sandbox/src/index';
import { startDemo, type Credentials } from '../sandbox/helpers';

export interface TypeSandbox {
  sandbox: SandboxHandle;
  credentials: Credentials;
  clients: AwsClients;
  /** What every SDK client of the test takes: the sandbox endpoint, its region and the user's key. */
  common: { endpoint: string; region: string; credentials: Credentials; maxAttempts: number };
}

export async function startTypeSandbox(user: string, actions: string[]): Promise<TypeSandbox> {
  const credentials: Credentials = { accessKeyId: `AKIA${user.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(16, '0').slice(0, 16)}`, secretAccessKey: `sandbox+${user}+types+secret` };
  const { sandbox } = await startDemo({}, (s) => {
    s.users = [...(s.users ?? []), {
      name: user, accessKeys: [{ id: credentials.accessKeyId, secret: credentials.secretAccessKey }],
      policies: { types: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [...actions, 'tag:*', 'sts:GetCallerIdentity'], Resource: '*' }] } },
    }];
  });
  try {
    const clients = await createClients(resolveAwsTarget({ region: sandbox.region, endpoint: sandbox.endpoint }, {}, undefined), { credentials });
    return { sandbox, credentials, clients, common: { endpoint: sandbox.endpoint, region: sandbox.region, credentials, maxAttempts: 1 } };
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
}
