// Shared by aws_ecr_repository_policy and aws_ecr_lifecycle_policy: which ECR errors prove a
// policy missing.
import { AwsCallError, describeError } from '../errors';

export const ecrErrorCode = (error: unknown): string => (error instanceof AwsCallError ? error.failure : describeError(error)).code;

/** The repository is gone, or has no policy of that kind: either way the policy is missing. */
export const POLICY_GONE = new Set(['RepositoryNotFoundException', 'RepositoryPolicyNotFoundException', 'LifecyclePolicyNotFoundException']);
