// Configuration and secrets: an SSM parameter, a Secrets Manager secret with its resource policy,
// and an ACM certificate per unit.
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CreateSecretCommand, PutResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clientFor, tagsFor, type Seeder } from './seeder';
import { pages, pick, ref, resourceBlock, slug, tagList, TEAMS } from './block-text';

export const configSeeder: Seeder = {
  family: 'config',
  types: ['aws_ssm_parameter', 'aws_secretsmanager_secret', 'aws_secretsmanager_secret_policy', 'aws_acm_certificate'],
  readActions: [
    'ssm:DescribeParameters', 'ssm:ListTagsForResource', 'secretsmanager:ListSecrets', 'secretsmanager:GetResourcePolicy',
    'acm:DescribeCertificate', 'acm:ListTagsForCertificate',
  ],

  async seedUnit(target, suffix, random) {
    const ssm = clientFor(SSMClient, target);
    const sm = clientFor(SecretsManagerClient, target);
    const acm = clientFor(ACMClient, target);
    const s = slug(suffix);
    const team = pick(TEAMS, random);
    const paramName = `/bench/${team}/${s}/endpoint`;
    const value = `https://${team}-${s}.internal.example.com`;
    const p = tagsFor(`bench-param-${s}`, { Team: team });
    await ssm.send(new PutParameterCommand({ Name: paramName, Type: 'String', Value: value, Description: `${team} endpoint`, Tags: tagList(p.tagsAll) }));

    const secretName = `bench/${team}/${s}/db`;
    const sec = tagsFor(`bench-secret-${s}`, { Team: team });
    // The secret's value belongs to aws_secretsmanager_secret_version (not seeded: Tidemark never reads values).
    const secretArn = (await sm.send(new CreateSecretCommand({ Name: secretName, Description: `${team} database credentials`, Tags: tagList(sec.tagsAll) }))).ARN!;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${target.account}:role/bench-${team}` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    });
    await sm.send(new PutResourcePolicyCommand({ SecretId: secretArn, ResourcePolicy: policy, BlockPublicPolicy: true }));

    const domain = `${s}.${team}.bench.example.com`;
    const cert = tagsFor(`bench-cert-${s}`, { Team: team });
    const certArn = (await acm.send(new RequestCertificateCommand({
      DomainName: domain, SubjectAlternativeNames: [`*.${domain}`], ValidationMethod: 'DNS', IdempotencyToken: `b${s.replace(/-/g, '')}`.slice(0, 32), Tags: tagList(cert.tagsAll),
    }))).CertificateArn!;

    const secret = `secret_${suffix}`;
    return [
      {
        type: 'aws_ssm_parameter', name: `param_${suffix}`,
        hcl: resourceBlock('aws_ssm_parameter', `param_${suffix}`, [['name', paramName], ['type', 'String'], ['value', value], ['description', `${team} endpoint`], ['tags', p.tags]]),
        attributes: {
          id: paramName, name: paramName, arn: `arn:aws:ssm:${target.region}:${target.account}:parameter${paramName}`, type: 'String', value, insecure_value: null,
          description: `${team} endpoint`, allowed_pattern: '', data_type: 'text', tier: 'Standard', key_id: '', version: 1, overwrite: null, tags: p.tags, tags_all: p.tagsAll,
        },
      },
      {
        type: 'aws_secretsmanager_secret', name: secret,
        hcl: resourceBlock('aws_secretsmanager_secret', secret, [['name', secretName], ['description', `${team} database credentials`], ['tags', sec.tags]]),
        attributes: {
          id: secretArn, arn: secretArn, name: secretName, name_prefix: '', description: `${team} database credentials`, kms_key_id: '', recovery_window_in_days: 30, policy: '',
          force_overwrite_replica_secret: false, replica: [], tags: sec.tags, tags_all: sec.tagsAll,
        },
      },
      {
        type: 'aws_secretsmanager_secret_policy', name: `secret_policy_${suffix}`,
        hcl: resourceBlock('aws_secretsmanager_secret_policy', `secret_policy_${suffix}`, [['secret_arn', ref(`aws_secretsmanager_secret.${secret}.arn`)], ['policy', policy], ['block_public_policy', true]]),
        attributes: { id: secretArn, secret_arn: secretArn, policy, block_public_policy: true },
        dependencies: [`aws_secretsmanager_secret.${secret}`],
      },
      {
        type: 'aws_acm_certificate', name: `cert_${suffix}`,
        hcl: resourceBlock('aws_acm_certificate', `cert_${suffix}`, [['domain_name', domain], ['subject_alternative_names', [`*.${domain}`]], ['validation_method', 'DNS'], ['tags', cert.tags]]),
        attributes: {
          id: certArn, arn: certArn, domain_name: domain, subject_alternative_names: [`*.${domain}`, domain], validation_method: 'DNS', key_algorithm: 'RSA_2048',
          options: [{ certificate_transparency_logging_preference: 'ENABLED' }], certificate_authority_arn: '', status: 'PENDING_VALIDATION', type: 'AMAZON_ISSUED',
          validation_option: [], early_renewal_duration: '', pending_renewal: false, renewal_eligibility: 'INELIGIBLE', tags: cert.tags, tags_all: cert.tagsAll,
        },
      },
    ];
  },

  lowerBound(byType) {
    return {
      // Parameters are described 50 a page.
      'ssm:DescribeParameters': pages(byType.aws_ssm_parameter, 50),
      'secretsmanager:ListSecrets': pages(byType.aws_secretsmanager_secret, 100),
      // No batch read of secret policies: one GetResourcePolicy per secret.
      'secretsmanager:GetResourcePolicy': byType.aws_secretsmanager_secret_policy ?? 0,
      // ACM has no batch describe (ListCertificates lacks options and complete names): one per certificate.
      'acm:DescribeCertificate': byType.aws_acm_certificate ?? 0,
    };
  },
};
