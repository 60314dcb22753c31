// Runs Debian's aws CLI (v2, whose CloudTrail userAgent names the command) against the sandbox, with
// a throw-away config so nothing on the machine leaks in: how a grant terminal makes its calls.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { childEnv } from '../support/child-env';

/** Debian's aws CLI; a v1 earlier on PATH would not name its command in the userAgent. */
export const AWS_CLI = '/usr/bin/aws';

export interface CliCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function runAwsCli(endpoint: string, region: string, creds: CliCredentials, args: string[]): Promise<void> {
  if (!existsSync(AWS_CLI)) throw new Error(`this test drives Debian's aws CLI at ${AWS_CLI}: install it with \`apt-get install awscli\``);
  const home = mkdtempSync(path.join(tmpdir(), 'tidemark-awscli-'));
  writeFileSync(path.join(home, 'config'), '');
  // childEnv keeps PATH, TZ and preload variables (a test run under libfaketime must sign with the
  // same shifted clock the sandbox checks against) and drops every outside AWS_* influence.
  const env = childEnv({
    HOME: home, AWS_CONFIG_FILE: path.join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'config'),
    AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_PAGER: '',
    AWS_SESSION_TOKEN: creds.sessionToken,
  });
  return new Promise((resolve, reject) => {
    execFile(AWS_CLI, ['--endpoint-url', endpoint, '--region', region, ...args], { env, timeout: 60_000 }, (err, _stdout, stderr) => {
      rmSync(home, { recursive: true, force: true });
      if (err) reject(new Error(`aws ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve();
    });
  });
}
