// aws_acm_certificate against the sandbox with the real SDK (JSON 1.1): the per-type contract
// (options and tags changed by hand, written back); the domain name ACM adds to the subject
// alternative names, an undeclared options block and the hyphenated key algorithm are not drift; a
// declared name the certificate lacks is drift that revert refuses (it forces replacement); a
// deleted certificate is missing; the sandbox's ACM error codes, Tagging API coverage, CloudTrail
// records and the attribution of the writes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACMClient, AddTagsToCertificateCommand, DeleteCertificateCommand, DescribeCertificateCommand, ListCertificatesCommand, RequestCertificateCommand,
  UpdateCertificateOptionsCommand,
} from '@aws-sdk/client-acm';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { eventExplains } from '../../server/src/attribution/event-attributes';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { driftsOf, revertAll } from './type-check-helpers';
import { assertClean, contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let acm: ACMClient;
const arns = { web: '', api: '' };

/** As the AWS provider v5 records them after apply (its read lists the domain name among the SANs). */
const state = (): StateInstance[] => [
  inst('aws_acm_certificate', 'web', {
    id: arns.web, arn: arns.web, domain_name: 'example.com', subject_alternative_names: ['*.example.com', 'example.com'], validation_method: 'DNS',
    key_algorithm: 'RSA_2048', options: [{ certificate_transparency_logging_preference: 'ENABLED' }], certificate_authority_arn: '', status: 'PENDING_VALIDATION',
    type: 'AMAZON_ISSUED', validation_option: [], early_renewal_duration: '', pending_renewal: false, renewal_eligibility: 'INELIGIBLE', tags: { Team: 'web' }, tags_all: { Team: 'web' },
  }),
  inst('aws_acm_certificate', 'api', {
    id: arns.api, arn: arns.api, domain_name: 'api.example.com', subject_alternative_names: ['api.example.com'], validation_method: 'DNS',
    key_algorithm: 'EC_prime256v1', options: [{ certificate_transparency_logging_preference: 'DISABLED' }], certificate_authority_arn: '', tags: {}, tags_all: {},
  }),
];

before(async () => {
  env = await startTypeSandbox(['acm:*']);
  acm = new ACMClient({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  arns.web = (await acm.send(new RequestCertificateCommand({
    DomainName: 'example.com', SubjectAlternativeNames: ['*.example.com'], ValidationMethod: 'DNS', IdempotencyToken: 'tf1', Tags: [{ Key: 'Team', Value: 'web' }],
  }))).CertificateArn!;
  arns.api = (await acm.send(new RequestCertificateCommand({
    DomainName: 'api.example.com', ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1', Options: { CertificateTransparencyLoggingPreference: 'DISABLED' },
  }))).CertificateArn!;
});

after(async () => {
  acm?.destroy();
  await env?.sandbox.stop();
});

contractTests({
  title: 'aws_acm_certificate',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_acm_certificate.api options', change: () => acm.send(new UpdateCertificateOptionsCommand({ CertificateArn: arns.api, Options: { CertificateTransparencyLoggingPreference: 'ENABLED' } })) },
    { drift: 'aws_acm_certificate.web tags', change: () => acm.send(new AddTagsToCertificateCommand({ CertificateArn: arns.web, Tags: [{ Key: 'Team', Value: 'hotfix' }] })) },
  ],
});

test('SANs declared without the domain name, no options block (even with logging turned off by hand) and an options block without a preference are not drift', async () => {
  const bare = (await acm.send(new RequestCertificateCommand({ DomainName: 'shop.example.com', SubjectAlternativeNames: ['www.shop.example.com'], ValidationMethod: 'DNS' }))).CertificateArn!;
  await acm.send(new UpdateCertificateOptionsCommand({ CertificateArn: arns.web, Options: { CertificateTransparencyLoggingPreference: 'DISABLED' } }));
  try {
    await assertClean(env.clients, [
      inst('aws_acm_certificate', 'web', { arn: arns.web, domain_name: 'example.com', subject_alternative_names: ['*.example.com'], validation_method: 'DNS' }),
      inst('aws_acm_certificate', 'shop', { arn: bare, domain_name: 'SHOP.example.com', subject_alternative_names: ['www.shop.example.com'], validation_method: 'DNS', options: [{}] }),
    ]);
  } finally {
    await acm.send(new UpdateCertificateOptionsCommand({ CertificateArn: arns.web, Options: { CertificateTransparencyLoggingPreference: 'ENABLED' } }));
  }
});

test('a declared name or key the certificate does not have is drift that revert refuses (it forces a new certificate); a deleted certificate is missing', async () => {
  const declared = [inst('aws_acm_certificate', 'web', { ...state()[0]!.attributes, subject_alternative_names: ['*.example.com', 'www.example.org'], key_algorithm: 'RSA_4096' })];
  const snapshot = await readLive(env.clients, declared);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, declared, snapshot).sort(), ['aws_acm_certificate.web key_algorithm', 'aws_acm_certificate.web subject_alternative_names']);
  for (const o of await revertAll(RESOURCE_TYPES, declared, snapshot, env.clients)) {
    assert.equal(o.ok, false, o.drift);
    assert.match(o.message, /replace/);
  }
  const gone = (await acm.send(new RequestCertificateCommand({ DomainName: 'old.example.com', ValidationMethod: 'DNS' }))).CertificateArn!;
  await acm.send(new DeleteCertificateCommand({ CertificateArn: gone }));
  env.sandbox.resetStats();
  const after = await readLive(env.clients, [...state(), inst('aws_acm_certificate', 'gone', { id: gone, arn: gone, domain_name: 'old.example.com' })], { declared: false });
  assert.equal(after.get('aws_acm_certificate.gone')?.status, 'missing');
  const stats = env.sandbox.stats();
  assert.equal(stats['acm:DescribeCertificate'], 3);
  assert.equal(stats['acm:ListTagsForCertificate'], 1, 'only the untagged certificate needs its own tag call');
});

test('the sandbox answers ACM with its error codes, lists certificates by key type, keeps idempotency tokens, lists certificates in the Tagging API and records writes in CloudTrail', async () => {
  await assert.rejects(acm.send(new DescribeCertificateCommand({ CertificateArn: 'not-an-arn' })), { name: 'InvalidArnException' });
  await assert.rejects(acm.send(new DescribeCertificateCommand({ CertificateArn: `arn:aws:acm:${env.sandbox.region}:${env.sandbox.accountId}:certificate/00000000-0000-0000-0000-000000000000` })), { name: 'ResourceNotFoundException' });
  await assert.rejects(acm.send(new RequestCertificateCommand({ DomainName: 'bad..name', ValidationMethod: 'DNS' })), { name: 'InvalidDomainValidationOptionsException' });
  await assert.rejects(acm.send(new RequestCertificateCommand({ DomainName: 'ok.example.com', KeyAlgorithm: 'RSA_9' as 'RSA_2048' })), { name: 'ValidationException' });
  await assert.rejects(acm.send(new AddTagsToCertificateCommand({ CertificateArn: arns.web, Tags: [{ Key: 'aws:x', Value: 'y' }] })), { name: 'InvalidTagException' });
  const again = await acm.send(new RequestCertificateCommand({ DomainName: 'example.com', SubjectAlternativeNames: ['*.example.com'], ValidationMethod: 'DNS', IdempotencyToken: 'tf1' }));
  assert.equal(again.CertificateArn, arns.web, 'the same idempotency token within an hour returns the same certificate');

  const described = (await acm.send(new DescribeCertificateCommand({ CertificateArn: arns.api }))).Certificate!;
  assert.equal(described.KeyAlgorithm, 'EC-prime256v1', 'DescribeCertificate spells key algorithms with a hyphen');
  assert.deepEqual(described.SubjectAlternativeNames, ['api.example.com'], 'ACM lists the domain name among the SANs');
  assert.equal(described.DomainValidationOptions?.[0]?.ResourceRecord?.Type, 'CNAME');
  const rsaOnly = await acm.send(new ListCertificatesCommand({}));
  assert.ok(!rsaOnly.CertificateSummaryList?.some((c) => c.CertificateArn === arns.api), 'without Includes.keyTypes only RSA keys are listed');
  const withEc = await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['EC_prime256v1'] } }));
  assert.ok(withEc.CertificateSummaryList?.some((c) => c.CertificateArn === arns.api));

  const tagging = new ResourceGroupsTaggingAPIClient({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  const listed = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['acm:certificate'] }));
  assert.ok((listed.ResourceTagMappingList ?? []).some((m) => m.ResourceARN === arns.web));
  tagging.destroy();

  const events = env.sandbox.world.events.filter((e) => e.eventSource === 'acm.amazonaws.com' && e.eventName === 'UpdateCertificateOptions');
  assert.ok(events.some((e) => e.resources.some((r) => r.name === arns.api)), 'UpdateCertificateOptions names the certificate');
  assert.ok(eventExplains({ eventName: 'UpdateCertificateOptions' }, ['options']) && !eventExplains({ eventName: 'UpdateCertificateOptions' }, ['tags']));
  assert.ok(eventExplains({ eventName: 'AddTagsToCertificate' }, ['tags']) && eventExplains({ eventName: 'DeleteCertificate' }, []));
});
