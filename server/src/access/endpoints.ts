// STS endpoint and region from the standard AWS environment, the same way for client and broker,
// so a presigned proof is signed for exactly the host the broker will send it to.

export function awsRegion(env: NodeJS.ProcessEnv): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

export function stsEndpoint(env: NodeJS.ProcessEnv): string {
  const explicit = env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL;
  if (explicit) return new URL(explicit).origin;
  return `https://sts.${awsRegion(env)}.amazonaws.com`;
}
