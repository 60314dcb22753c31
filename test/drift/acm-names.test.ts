// The engine gives a type's normalisation the live object's other attributes: ACM lists the
// certificate's domain name among its subject alternative names and the provider adds it to the
// declared set, so declaring it or not is no drift, while a name the certificate lacks is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diff, instance, live, summary } from './helpers';

const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const cert = (sans: string) => `
resource "aws_acm_certificate" "web" {
  domain_name               = "example.com"
  subject_alternative_names = ${sans}
  validation_method         = "DNS"
}
`;
const state = [instance('aws_acm_certificate.web', { id: ARN, arn: ARN, domain_name: 'example.com', subject_alternative_names: ['example.com', '*.example.com'] })];
const liveCert = live('aws_acm_certificate.web', 'aws_acm_certificate', ARN, {
  domain_name: 'example.com', subject_alternative_names: ['example.com', '*.example.com'], validation_method: 'DNS', key_algorithm: 'RSA_2048', options: [], certificate_authority_arn: '', tags: {},
});

test('SANs declared with or without the domain name match a certificate that lists it', async () => {
  assert.deepEqual(summary(await diff({ files: { 'main.tf': cert('["*.example.com"]') }, state, live: [liveCert] })), []);
  assert.deepEqual(summary(await diff({ files: { 'main.tf': cert('["example.com", "*.example.com"]') }, state, live: [liveCert] })), []);
});

test('a declared SAN the certificate lacks is drift on subject_alternative_names', async () => {
  assert.deepEqual(summary(await diff({ files: { 'main.tf': cert('["*.example.com", "www.example.org"]') }, state, live: [liveCert] })), ['changed aws_acm_certificate.web subject_alternative_names']);
});
