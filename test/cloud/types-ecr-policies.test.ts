// aws_ecr_repository_policy and aws_ecr_lifecycle_policy against the sandbox with the real SDK: the
// per-type contract; a removed policy (or repository) is missing; a lifecycle policy with its rules
// in another order or its keys reordered is not drift; the sandbox's ECR policy error codes and
// CloudTrail records.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateRepositoryCommand, DeleteLifecyclePolicyCommand, DeleteRepositoryPolicyCommand, ECRClient, GetRepositoryPolicyCommand, PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { lifecyclePolicy } from '../../server/src/cloud/types/aws_ecr_lifecycle_policy';
import type { StateInstance } from '../../server/src/model';
import { contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let ecr: ECRClient;

const pullPolicy = (principal: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Pull', Effect: 'Allow', Principal: { AWS: principal }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }],
});
const RULES = {
  rules: [
    { rulePriority: 1, description: 'keep 10 tagged', selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } },
    { rulePriority: 2, description: 'drop untagged', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
  ],
};

const account = () => `arn:aws:iam::${env.sandbox.accountId}:root`;

/** As the AWS provider v5 records them after apply. */
const state = (): StateInstance[] => [
  inst('aws_ecr_repository_policy', 'api', { id: 'api', repository: 'api', registry_id: env.sandbox.accountId, policy: pullPolicy(account()) }),
  inst('aws_ecr_lifecycle_policy', 'api', { id: 'api', repository: 'api', registry_id: env.sandbox.accountId, policy: JSON.stringify(RULES) }),
];

before(async () => {
  env = await startTypeSandbox(['ecr:*']);
  ecr = new ECRClient({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'api' }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'bare' }));
  await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'api', policyText: pullPolicy(account()) }));
  await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'api', lifecyclePolicyText: JSON.stringify(RULES) }));
});

after(async () => {
  await env?.sandbox.stop();
});

contractTests({
  title: 'aws_ecr_repository_policy and aws_ecr_lifecycle_policy',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_ecr_repository_policy.api policy', change: () => ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'api', policyText: pullPolicy('*') })) },
    { drift: 'aws_ecr_lifecycle_policy.api policy', change: () => ecr.send(new PutLifecyclePolicyCommand({
      repositoryName: 'api', lifecyclePolicyText: JSON.stringify({ rules: [{ ...RULES.rules[0], selection: { ...RULES.rules[0]!.selection, countNumber: 3 } }, RULES.rules[1]] }),
    })) },
  ],
});

test('a repository without the policy, or none at all, makes the policy missing', async () => {
  const snapshot = await readLive(env.clients, [
    inst('aws_ecr_repository_policy', 'bare', { id: 'bare', repository: 'bare' }),
    inst('aws_ecr_lifecycle_policy', 'gone', { id: 'gone', repository: 'gone' }),
  ], { declared: false });
  assert.equal(snapshot.get('aws_ecr_repository_policy.bare')?.status, 'missing');
  assert.equal(snapshot.get('aws_ecr_lifecycle_policy.gone')?.status, 'missing');
});

test('a lifecycle policy with rules or keys in another order is the same policy', () => {
  const reordered = JSON.stringify({ rules: [RULES.rules[1], { action: { type: 'expire' }, selection: RULES.rules[0]!.selection, description: 'keep 10 tagged', rulePriority: 1 }] });
  assert.equal(lifecyclePolicy(reordered), lifecyclePolicy(JSON.stringify(RULES)));
});

test('the sandbox answers ECR policy calls with AWS\'s error codes and records writes in CloudTrail', async () => {
  await assert.rejects(ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'bare' })), { name: 'RepositoryPolicyNotFoundException' });
  await assert.rejects(ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'bare' })), { name: 'LifecyclePolicyNotFoundException' });
  await assert.rejects(ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'nope' })), { name: 'RepositoryNotFoundException' });
  await assert.rejects(ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'bare', lifecyclePolicyText: '{"rules":[{}]}' })), { name: 'InvalidParameterException' });
  const sets = env.sandbox.world.events.filter((e) => e.eventSource === 'ecr.amazonaws.com' && e.eventName === 'SetRepositoryPolicy');
  assert.ok(sets.some((e) => e.resources.some((r) => r.name === 'api')), 'SetRepositoryPolicy names the repository');
});
