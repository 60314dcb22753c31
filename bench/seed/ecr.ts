// ECR: one unit is a repository with its repository policy and lifecycle policy.
import { CreateRepositoryCommand, ECRClient, PutLifecyclePolicyCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { clientFor, tagsFor, type Seeder } from './seeder';
import { pages, pick, ref, resourceBlock, slug, tagList, TEAMS } from './block-text';

export const ecrSeeder: Seeder = {
  family: 'ecr',
  types: ['aws_ecr_repository', 'aws_ecr_repository_policy', 'aws_ecr_lifecycle_policy'],
  readActions: ['ecr:DescribeRepositories', 'ecr:ListTagsForResource', 'ecr:GetRepositoryPolicy', 'ecr:GetLifecyclePolicy'],

  async seedUnit(target, suffix, random) {
    const ecr = clientFor(ECRClient, target);
    const s = slug(suffix);
    const repo = `bench/svc-${s}`;
    const name = `repo_${suffix}`;
    const { tags, tagsAll } = tagsFor(`bench-repo-${s}`, { Team: pick(TEAMS, random) });
    const immutable = random() < 0.5;
    const scan = random() < 0.5;
    await ecr.send(new CreateRepositoryCommand({
      repositoryName: repo, imageTagMutability: immutable ? 'IMMUTABLE' : 'MUTABLE', imageScanningConfiguration: { scanOnPush: scan }, tags: tagList(tagsAll),
    }));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Pull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${target.account}:root` }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }],
    });
    const keep = 5 + Math.floor(random() * 20);
    const lifecycle = JSON.stringify({ rules: [{ rulePriority: 1, description: `keep ${keep} tagged`, selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: keep }, action: { type: 'expire' } }] });
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: repo, policyText: policy }));
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: repo, lifecyclePolicyText: lifecycle }));
    const arn = `arn:aws:ecr:${target.region}:${target.account}:repository/${repo}`;
    const repository = ref(`aws_ecr_repository.${name}.name`);
    return [
      {
        type: 'aws_ecr_repository', name,
        hcl: resourceBlock('aws_ecr_repository', name, [
          ['name', repo], ['image_tag_mutability', immutable ? 'IMMUTABLE' : 'MUTABLE'],
          { block: 'image_scanning_configuration', body: [['scan_on_push', scan]] }, ['tags', tags],
        ]),
        attributes: {
          id: repo, name: repo, arn, registry_id: target.account, repository_url: `${target.account}.dkr.ecr.${target.region}.amazonaws.com/${repo}`,
          image_tag_mutability: immutable ? 'IMMUTABLE' : 'MUTABLE', image_scanning_configuration: [{ scan_on_push: scan }],
          encryption_configuration: [{ encryption_type: 'AES256', kms_key: '' }], force_delete: null, timeouts: null, tags, tags_all: tagsAll,
        },
      },
      {
        type: 'aws_ecr_repository_policy', name: `repo_policy_${suffix}`,
        hcl: resourceBlock('aws_ecr_repository_policy', `repo_policy_${suffix}`, [['repository', repository], ['policy', policy]]),
        attributes: { id: repo, repository: repo, registry_id: target.account, policy },
        dependencies: [`aws_ecr_repository.${name}`],
      },
      {
        type: 'aws_ecr_lifecycle_policy', name: `lifecycle_${suffix}`,
        hcl: resourceBlock('aws_ecr_lifecycle_policy', `lifecycle_${suffix}`, [['repository', repository], ['policy', lifecycle]]),
        attributes: { id: repo, repository: repo, registry_id: target.account, policy: lifecycle },
        dependencies: [`aws_ecr_repository.${name}`],
      },
    ];
  },

  lowerBound(byType) {
    return {
      // One registry listing, 1,000 repositories a page.
      'ecr:DescribeRepositories': pages(byType.aws_ecr_repository, 1000),
      // ECR has no batch read of repository or lifecycle policies: one call per repository.
      'ecr:GetRepositoryPolicy': byType.aws_ecr_repository_policy ?? 0,
      'ecr:GetLifecyclePolicy': byType.aws_ecr_lifecycle_policy ?? 0,
    };
  },
};
