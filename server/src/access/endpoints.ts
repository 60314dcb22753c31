// STS endpoint and region from the standard AWS environment, the same way for client and broker,
// so a presigned proof is signed for exactly the host the broker will send it to.

export function awsRegion(env: NodeJS.ProcessEnv): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

/**
 * The endpoint the environment names for one service (AWS_ENDPOINT_URL_<SERVICE>, else
 * AWS_ENDPOINT_URL), or undefined for AWS's own. Read from the given env rather than left to the
 * SDK, which only ever reads process.env: a broker built for another environment must use it.
 */
export function serviceEndpoint(env: NodeJS.ProcessEnv, service: 'STS' | 'IAM' | 'CLOUDTRAIL'): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

export function stsEndpoint(env: NodeJS.ProcessEnv): string {
  const explicit = serviceEndpoint(env, 'STS');
  if (explicit) return new URL(explicit).origin;
  return `https://sts.${awsRegion(env)}.amazonaws.com`;
}
