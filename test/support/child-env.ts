// The environment for every process a test starts. A child that inherits the developer's shell
// would read their AWS_* variables (AWS_ENDPOINT_URL_<SERVICE>, AWS_PROFILE, AWS_CONFIG_FILE …),
// their ~/.aws files and their ~/.bashrc, and could pass or fail because of them. So: nothing
// AWS from outside, HOME in a scratch folder, and no shell start-up file.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Variables a shell or the AWS SDK read from outside the test: never passed on. */
export function isOutsideInfluence(name: string): boolean {
  return /^AWS_/.test(name) || /^TIDEMARK_/.test(name) || name === 'BASH_ENV' || name === 'ENV' || name === 'PROMPT_COMMAND' || /^npm_/.test(name);
}

let scratchHome: string | undefined;

/** One empty HOME per test process (no ~/.aws, no ~/.bashrc), removed when the process exits. */
export function scratchHomeDir(): string {
  if (!scratchHome) {
    const home = mkdtempSync(path.join(tmpdir(), 'tidemark-test-home-'));
    mkdirSync(path.join(home, '.config'), { recursive: true });
    process.once('exit', () => rmSync(home, { recursive: true, force: true }));
    scratchHome = home;
  }
  return scratchHome;
}

/**
 * The parent's environment without outside influences, HOME (and XDG folders) in a scratch folder,
 * AWS config files pointing at nothing, then `extra` on top (an `undefined` value removes a name).
 * PATH, locale, TZ and preload variables (e.g. libfaketime's) pass through.
 */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const home = scratchHomeDir();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!isOutsideInfluence(k)) env[k] = v;
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}
