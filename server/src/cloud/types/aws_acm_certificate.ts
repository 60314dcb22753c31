// aws_acm_certificate ↔ ACM DescribeCertificate, one call per declared certificate: ACM has no
// batch describe, and ListCertificates lacks options and complete names, so it would add a call
// without saving one (a gone certificate answers ResourceNotFoundException). Tags come from the
// Tagging API's by-ARN read when it returned them, otherwise ListTagsForCertificate.
// Names, validation method and key algorithm are fixed at request time (ForceNew); options are
// written back with UpdateCertificateOptions and tags with Add/RemoveTagsFromCertificate.
import {
  AddTagsToCertificateCommand, CertificateDetail, CertificateTransparencyLoggingPreference, DescribeCertificateCommand, ListTagsForCertificateCommand,
  RemoveTagsFromCertificateCommand, UpdateCertificateOptionsCommand,
} from '@aws-sdk/client-acm';
import type { NormalizeContext } from '../../drift/schema';
import type { Known } from '../../drift/values';
import { AwsCallError, describeError } from '../errors';
import { blocksOf, firstBlock, stringsOf } from './blocks';
import { cannotRevert, foundEntry, missingEntry, perTarget, revertTagMap, str, untagThenTag, userTags } from './common';
import type { ReadContext, ResourceType } from './resource-type';

/** The provider's default for `certificate_transparency_logging_preference` inside a declared `options` block. */
const DEFAULT_LOGGING = 'ENABLED';

/**
 * ACM always lists the domain name among the subject alternative names, and the provider adds it to
 * the declared set (CustomizeDiff): compared without it, so declaring it or not is the same.
 */
function alternativeNames(value: Known, ctx: NormalizeContext): Known {
  const domain = typeof ctx.live?.domain_name === 'string' ? ctx.live.domain_name.toLowerCase() : undefined;
  return [...new Set(stringsOf(value).map((n) => n.toLowerCase()).filter((n) => n !== domain))].sort();
}

/** The `options` block as one atom: the logging preference, ENABLED when the block leaves it unset. */
function options(value: Known): Known {
  const b = firstBlock(value);
  return b ? [`certificate_transparency_logging_preference=${str(b.certificate_transparency_logging_preference) ?? DEFAULT_LOGGING}`] : [];
}

/** DescribeCertificate spells key algorithms with a hyphen (RSA-2048); the provider and the API's enum with an underscore. */
const keyAlgorithm = (v: string | undefined): string => (v ?? '').replace('-', '_');

/** As the provider reads it: the first domain validation's method for an Amazon-issued certificate, else NONE. */
const validationMethod = (c: CertificateDetail): string => (c.Type === 'AMAZON_ISSUED' ? c.DomainValidationOptions?.[0]?.ValidationMethod ?? 'NONE' : 'NONE');

function isNotFound(error: unknown): boolean {
  const f = error instanceof AwsCallError ? error.failure : describeError(error);
  return f.code === 'ResourceNotFoundException';
}

async function tagsOf(arn: string, ctx: ReadContext): Promise<Record<string, string>> {
  const known = ctx.tagsByArn.get(arn);
  if (known) return known;
  const listed = await ctx.clients.gate.call('acm:ListTagsForCertificate', () => ctx.clients.acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn })));
  return userTags(listed.Tags);
}

export const awsAcmCertificate: ResourceType = {
  type: 'aws_acm_certificate',
  taggingType: 'acm:certificate',
  tags: true,
  attributes: [
    // Optional and computed in the provider: compared only when declared.
    { name: 'domain_name', compare: 'scalar', forceNew: true, normalize: (v) => (typeof v === 'string' ? v.toLowerCase() : v) },
    { name: 'subject_alternative_names', compare: 'blocks', forceNew: true, normalize: alternativeNames },
    { name: 'validation_method', compare: 'scalar', forceNew: true },
    { name: 'key_algorithm', compare: 'scalar', forceNew: true },
    { name: 'options', compare: 'blocks', normalize: options, severity: 'warning' },
    { name: 'certificate_authority_arn', compare: 'scalar', forceNew: true, default: '' },
  ],
  notCompared: {
    arn: 'computed by AWS',
    status: 'AWS moves it as validation, renewal and expiry happen: not a Terraform argument',
    type: 'computed by AWS from how the certificate was made',
    not_after: 'AWS sets it at issue and renewal', not_before: 'AWS sets it at issue and renewal',
    domain_validation_options: 'computed by AWS (the records it asks for)', validation_emails: 'computed by AWS',
    renewal_eligibility: 'computed by AWS', renewal_summary: 'computed by AWS', pending_renewal: 'computed by the provider from not_after',
    private_key: 'never read: AWS does not return a private key', certificate_body: 'imported material: the state keeps only its hash',
    certificate_chain: 'imported material: the state keeps only its hash', early_renewal_duration: 'a Terraform-side renewal setting',
    validation_option: 'used when the certificate is requested; AWS keeps no separate record of it',
  },
  idFromState: (a) => str(a.arn) ?? str(a.id),
  idFromArn: (arn) => (/^arn:aws[\w-]*:acm:[^:]+:\d{12}:certificate\/.+$/.test(arn) ? arn : undefined),
  importId: (live) => live.id,
  suggestName: (live) => String(live.attributes.domain_name ?? 'certificate').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'certificate',

  read(targets, ctx) {
    return perTarget(targets, ctx, async (t) => {
      let c: CertificateDetail | undefined;
      try {
        c = (await ctx.clients.gate.call('acm:DescribeCertificate', () => ctx.clients.acm.send(new DescribeCertificateCommand({ CertificateArn: t.id })))).Certificate;
      } catch (error) {
        if (isNotFound(error)) return missingEntry(ctx, t.id, `certificate ${t.id} does not exist`);
        throw error;
      }
      if (!c) return missingEntry(ctx, t.id, `certificate ${t.id} does not exist`);
      return foundEntry(t, 'aws_acm_certificate', ctx, {
        domain_name: c.DomainName ?? '',
        subject_alternative_names: c.SubjectAlternativeNames ?? [],
        validation_method: validationMethod(c),
        key_algorithm: keyAlgorithm(c.KeyAlgorithm),
        options: c.Options ? [{ certificate_transparency_logging_preference: c.Options.CertificateTransparencyLoggingPreference ?? DEFAULT_LOGGING }] : [],
        certificate_authority_arn: c.CertificateAuthorityArn ?? '',
        status: c.Status ?? '',
        tags: await tagsOf(t.id, ctx),
      }, { arn: t.id });
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const acm = clients.acm;
    if (attribute === 'tags') {
      return revertTagMap(request, untagThenTag(
        (keys) => clients.gate.call('acm:RemoveTagsFromCertificate', () => acm.send(new RemoveTagsFromCertificateCommand({ CertificateArn: id, Tags: keys.map((Key) => ({ Key })) }))),
        (Tags) => clients.gate.call('acm:AddTagsToCertificate', () => acm.send(new AddTagsToCertificateCommand({ CertificateArn: id, Tags }))),
      ));
    }
    if (attribute !== 'options') return cannotRevert(attribute);
    const b = blocksOf(declared)[0];
    const preference = (str(b?.certificate_transparency_logging_preference) ?? DEFAULT_LOGGING) as CertificateTransparencyLoggingPreference;
    await clients.gate.call('acm:UpdateCertificateOptions', () => acm.send(new UpdateCertificateOptionsCommand({ CertificateArn: id, Options: { CertificateTransparencyLoggingPreference: preference } })));
    return { ok: true, message: `certificate transparency logging ${preference.toLowerCase()}` };
  },
};
