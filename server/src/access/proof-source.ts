// Identity proofs signed with the caller's own AWS credentials from the standard chain.
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, Provider } from '@smithy/types';
import { ProofSource } from './client';
import { awsRegion, stsEndpoint } from './endpoints';
import { createIdentityProof } from './identity';

export function envProofSource(env: NodeJS.ProcessEnv = process.env, credentials?: AwsCredentialIdentity | Provider<AwsCredentialIdentity>): ProofSource {
  // Explicit keys in the given environment win (the CLI passes its own env); else the SDK's chain.
  const fromEnv = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
    : undefined;
  const creds = credentials ?? fromEnv ?? fromNodeProviderChain(env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {});
  return (audience) => createIdentityProof({ credentials: creds, region: awsRegion(env), stsEndpoint: stsEndpoint(env), audience });
}
