// `tidemark check` run in-process against a sandbox, signed as one user: what the drift tests that
// drive the CLI share.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../server/src/cli/check';
import type { CliIO } from '../../server/src/cli/io';
import type { StateInstance } from '../../server/src/model';

export interface SandboxKey { accessKeyId: string; secretAccessKey: string }
export interface SandboxEndpoint { endpoint: string; region: string }

/** The environment that points Tidemark (CLI or language server) at the sandbox as `key`'s user. */
export function sandboxEnv(sandbox: SandboxEndpoint, key: SandboxKey): Record<string, string> {
  return { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region, AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey };
}

/** Runs `tidemark check <args>` in `cwd`; `env` is added to the sandbox environment. */
export async function runCheck(sandbox: SandboxEndpoint, key: SandboxKey, cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    cwd,
    env: { ...sandboxEnv(sandbox, key), ...env },
    out: (t) => (out += t + '\n'),
    err: (t) => (err += t + '\n'),
    isTTY: false,
  };
  // The SDK's environment credential provider reads process.env: give it the same keys for this call.
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, profile: process.env.AWS_PROFILE };
  process.env.AWS_ACCESS_KEY_ID = key.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = key.secretAccessKey;
  delete process.env.AWS_PROFILE;
  try {
    const code = await run(args, io);
    return { code, out, err };
  } finally {
    for (const [k, v] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret], ['AWS_PROFILE', saved.profile]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** `dir/terraform.tfstate` (format 4, as Terraform writes it) holding these root-module resources. */
export function writeStateFile(dir: string, instances: ReadonlyArray<Pick<StateInstance, 'type' | 'name' | 'attributes'>>): void {
  const resources = instances.map((i) => ({
    mode: 'managed', type: i.type, name: i.name, provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes: i.attributes }],
  }));
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify({ version: 4, terraform_version: '1.9.0', serial: 1, lineage: 'l', outputs: {}, resources }));
}
