// What `tidemark shell` and `tidemark exec` share: the grant's credentials as an environment.
import { AccessCredentials } from '../access/cloud';
import { Grant } from '../model';

/** The child's environment: the grant's session, never the user's own keys or profile. */
export function grantEnvironment(base: NodeJS.ProcessEnv, grant: Grant, creds: AccessCredentials): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const key of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'TIDEMARK_BROKER_TOKEN']) delete env[key];
  // The SDKs read AWS_REGION, the aws CLI v1 only AWS_DEFAULT_REGION: give the child both.
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  return {
    ...env,
    ...(region ? { AWS_REGION: region, AWS_DEFAULT_REGION: region } : {}),
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: creds.expiration,
    TIDEMARK_GRANT: grant.id,
    TIDEMARK_GRANT_ROLE: grant.role,
    TIDEMARK_GRANT_ENDS: grant.endsAt ?? '',
  };
}

/** A command line as a shell would show it (for the session log; redacted before storage). */
export function shellQuote(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
