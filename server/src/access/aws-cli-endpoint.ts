// The aws CLI reads AWS_ENDPOINT_URL only from v2.13 / v1.29 on; older ones (Debian 12 ships 2.9.19)
// silently send a grant's commands to real AWS instead of the custom endpoint (the sandbox or an
// AWS-compatible cloud). Where that CLI is the one on PATH, a grant's shell, `exec` and terminal get
// a small `aws` wrapper first on PATH that adds `--endpoint-url "$AWS_ENDPOINT_URL"` unless the user
// gave one. The wrapper lives in a private 0700 directory removed when the session ends.
// A leaf module (node: only): the extension's grant terminal uses it too.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPrivateDir } from './private-dir';

export interface AwsCliVersion { major: number; minor: number; patch: number }

/** `aws --version` output, e.g. `aws-cli/2.9.19 Python/3.11.2 …` (v1 prints it on stderr). */
export function parseAwsCliVersion(text: string): AwsCliVersion | undefined {
  const match = /aws-cli\/(\d+)\.(\d+)\.(\d+)/.exec(text);
  return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : undefined;
}

/** True from aws CLI v2.13.0 and v1.29.0 on (the releases that added AWS_ENDPOINT_URL). */
export function readsEndpointEnv(v: AwsCliVersion): boolean {
  if (v.major >= 3) return true;
  if (v.major === 2) return v.minor >= 13;
  return v.major === 1 && v.minor >= 29;
}

/** The endpoint the wrapper must pass, when the environment names one and does not opt out. */
export function configuredEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true') return undefined;
  return env.AWS_ENDPOINT_URL?.trim() || undefined;
}

function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** POSIX sh wrapper around the real CLI; reads AWS_ENDPOINT_URL when it runs, so `export` in the shell works. */
export function wrapperScript(realAws: string, version: AwsCliVersion | undefined): string {
  const real = shQuote(realAws);
  const what = version ? `${version.major}.${version.minor}.${version.patch}` : 'of unknown version';
  return `#!/bin/sh
# Written by tidemark for this session: aws CLI ${what} at ${realAws} ignores AWS_ENDPOINT_URL
# (read from v2.13 / v1.29 on), so the endpoint is passed as --endpoint-url unless one is given.
for arg in "$@"; do
  case "$arg" in --endpoint-url|--endpoint-url=*) exec ${real} "$@" ;; esac
done
if [ -n "$AWS_ENDPOINT_URL" ] && [ "$AWS_IGNORE_CONFIGURED_ENDPOINT_URLS" != true ]; then
  exec ${real} --endpoint-url "$AWS_ENDPOINT_URL" "$@"
fi
exec ${real} "$@"
`;
}

/** The first executable `name` on PATH, skipping `skip` (the wrapper's own directory). */
export function findExecutable(name: string, pathList: string | undefined, skip?: string): string | undefined {
  for (const dir of (pathList ?? '').split(path.delimiter)) {
    if (!dir || (skip && path.resolve(dir) === path.resolve(skip))) continue;
    const candidate = path.resolve(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

interface CacheEntry { mtimeMs: number; size: number; version: string }

function cacheFile(env: NodeJS.ProcessEnv): string | undefined {
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  return base ? path.join(base, 'tidemark', 'aws-cli-versions.json') : undefined;
}

function readCache(file: string | undefined): Record<string, CacheEntry> {
  if (!file) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, CacheEntry>) : {};
  } catch {
    return {};
  }
}

function runVersion(realAws: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    execFile(realAws, ['--version'], { env, timeout: 60_000 }, (_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`));
  });
}

/**
 * The version of the CLI at `realAws`, asked once and cached per binary (by resolved path, size
 * and modification time) in the user's cache directory; undefined when it cannot be told.
 */
export async function awsCliVersion(realAws: string, env: NodeJS.ProcessEnv): Promise<AwsCliVersion | undefined> {
  let key: string;
  let info: { mtimeMs: number; size: number };
  try {
    key = realpathSync(realAws);
    info = statSync(key);
  } catch {
    return undefined;
  }
  const file = cacheFile(env);
  const cache = readCache(file);
  const hit = cache[key];
  if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return parseAwsCliVersion(`aws-cli/${hit.version}`);
  const version = parseAwsCliVersion(await runVersion(realAws, env));
  if (version && file) {
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      cache[key] = { mtimeMs: info.mtimeMs, size: info.size, version: `${version.major}.${version.minor}.${version.patch}` };
      writeFileSync(file, JSON.stringify(cache, null, 2));
    } catch {
      // A read-only home only costs the next session one `aws --version`.
    }
  }
  return version;
}

export interface AwsEndpointShim {
  /** The environment to start the session with (PATH extended when a wrapper was needed). */
  env: NodeJS.ProcessEnv;
  /** The wrapper's directory, when one was written. */
  dir?: string;
  /** Removes the wrapper. */
  dispose(): void;
}

/**
 * Prepares `env` for a grant session: when it names a custom endpoint and the aws CLI on its PATH
 * is too old to read AWS_ENDPOINT_URL, writes the wrapper into `<parent>/aws-bin` (a fresh private
 * directory when no parent is given) and puts it first on PATH (also as TIDEMARK_AWS_WRAPPER, for
 * shell startup files that rebuild PATH).
 */
export async function awsEndpointShim(env: NodeJS.ProcessEnv, parent?: string): Promise<AwsEndpointShim> {
  const unchanged: AwsEndpointShim = { env, dispose: () => undefined };
  if (process.platform === 'win32' || !configuredEndpoint(env)) return unchanged;
  const realAws = findExecutable('aws', env.PATH, env.TIDEMARK_AWS_WRAPPER);
  if (!realAws) return unchanged;
  const version = await awsCliVersion(realAws, env);
  if (version && readsEndpointEnv(version)) return unchanged;
  const own = parent === undefined ? createPrivateDir('tidemark-aws') : undefined;
  const dir = path.join(parent ?? own!, 'aws-bin');
  mkdirSync(dir, { mode: 0o700 });
  writeFileSync(path.join(dir, 'aws'), wrapperScript(realAws, version), { mode: 0o700 });
  return {
    env: { ...env, PATH: `${dir}${path.delimiter}${env.PATH ?? ''}`, TIDEMARK_AWS_WRAPPER: dir },
    dir,
    dispose: () => rmSync(own ?? dir, { recursive: true, force: true }),
  };
}
