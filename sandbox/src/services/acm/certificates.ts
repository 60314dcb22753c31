// AWS Certificate Manager (JSON 1.1, X-Amz-Target CertificateManager.*): requested (Amazon-issued)
// certificates with their names, validation method, key algorithm, options and tags. Nothing is
// ever validated or issued — no DNS or mail exists here — so a request stays PENDING_VALIDATION
// with the CNAME record AWS would ask for, as a certificate does until someone adds that record.
import { createHash } from 'node:crypto';
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { uuid } from '../../ids';
import { json } from '../../protocol/json11';
import type { Tags } from '../../world';

export interface AcmCertificate {
  arn: string;
  region: string;
  domainName: string;
  /** Every name on the certificate, the domain name first (ACM always lists it). */
  subjectAlternativeNames: string[];
  validationMethod: 'DNS' | 'EMAIL';
  /** The API's enum spelling (RSA_2048); DescribeCertificate answers it hyphenated (RSA-2048). */
  keyAlgorithm: string;
  transparencyLogging: 'ENABLED' | 'DISABLED';
  status: string;
  createdAt: number;
  idempotencyToken?: string;
  tags: Tags;
}

const KEY_ALGORITHMS = new Set(['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1']);
/** ListCertificates without Includes.keyTypes lists only these (as on AWS). */
const DEFAULT_LISTED_KEYS = new Set(['RSA_1024', 'RSA_2048']);
const STATUSES = new Set(['PENDING_VALIDATION', 'ISSUED', 'INACTIVE', 'EXPIRED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED']);
const DOMAIN = /^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$/;
const MAX_NAMES = 100;
const MAX_TAGS = 50;
/** RequestCertificate with the same idempotency token within an hour returns the same certificate. */
const IDEMPOTENCY_MS = 3600_000;

const validation = (message: string): ApiError => new ApiError('ValidationException', message, 400);
const constraint = (field: string, value: unknown, rule: string): ApiError =>
  validation(`1 validation error detected: Value '${value === undefined ? 'null' : String(value)}' at '${field}' failed to satisfy constraint: ${rule}`);

const certificatesOf = (ctx: CallContext): Record<string, AcmCertificate> => (ctx.world.acmCertificates ??= {});

function checkDomain(name: string, field: string): string {
  if (name.length < 1 || name.length > 253) throw constraint(field, name, 'Member must have length less than or equal to 253');
  if (!DOMAIN.test(name)) throw new ApiError('InvalidDomainValidationOptionsException', `The domain name ${name} is not valid.`, 400);
  return name.toLowerCase();
}

/** The certificate an ARN names, authorized on that ARN and recorded for CloudTrail. */
function certificateFor(ctx: CallContext, input: Record<string, unknown>, action: string): AcmCertificate {
  const arn = json.str(input, 'CertificateArn');
  if (arn === undefined) throw constraint('certificateArn', undefined, 'Member must not be null');
  if (!/^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(arn)) throw new ApiError('InvalidArnException', `String '${arn}' is not a valid ARN.`, 400);
  ctx.trail.resources.push({ type: 'AWS::ACM::Certificate', name: arn, arn });
  ctx.authorize(action, arn);
  const cert = certificatesOf(ctx)[arn];
  if (!cert || cert.region !== ctx.region) throw new ApiError('ResourceNotFoundException', `Could not find certificate with arn ${arn}.`, 400);
  return cert;
}

function tagsOf(raw: Record<string, unknown>[] | undefined): Array<{ Key: string; Value?: string }> {
  return (raw ?? []).map((t) => {
    const Key = json.str(t, 'Key');
    if (Key === undefined) throw constraint('tags.member.key', undefined, 'Member must not be null');
    if (Key.startsWith('aws:')) throw new ApiError('InvalidTagException', 'Tag keys beginning with aws: are reserved.', 400);
    return { Key, Value: json.str(t, 'Value') };
  });
}

function withTags(current: Tags, add: Array<{ Key: string; Value?: string }>): Tags {
  const next = { ...current };
  for (const t of add) next[t.Key] = t.Value ?? '';
  if (Object.keys(next).length > MAX_TAGS) throw new ApiError('TooManyTagsException', `A certificate can have at most ${MAX_TAGS} tags.`, 400);
  return next;
}

/** The CNAME ACM asks for to validate a name by DNS: stable per certificate and name. */
function validationRecord(arn: string, name: string): { Name: string; Type: string; Value: string } {
  const h = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 32);
  const base = name.replace(/^\*\./, '');
  return { Name: `_${h(`${arn}/${base}/name`)}.${base}.`, Type: 'CNAME', Value: `_${h(`${arn}/${base}/value`)}.acm-validations.aws.` };
}

const seconds = (ms: number): number => ms / 1000;
const hyphenated = (key: string): string => key.replace('_', '-');

function describe(c: AcmCertificate): Record<string, unknown> {
  return {
    CertificateArn: c.arn, DomainName: c.domainName, SubjectAlternativeNames: c.subjectAlternativeNames,
    DomainValidationOptions: c.subjectAlternativeNames.map((name) => ({
      DomainName: name, ValidationDomain: name.replace(/^\*\./, ''), ValidationStatus: 'PENDING_VALIDATION', ValidationMethod: c.validationMethod,
      ...(c.validationMethod === 'DNS' ? { ResourceRecord: validationRecord(c.arn, name) } : { ValidationEmails: [`admin@${name.replace(/^\*\./, '')}`] }),
    })),
    Subject: `CN=${c.domainName}`, CreatedAt: seconds(c.createdAt), Status: c.status, KeyAlgorithm: hyphenated(c.keyAlgorithm),
    SignatureAlgorithm: c.keyAlgorithm.startsWith('EC') ? 'SHA256WITHECDSA' : 'SHA256WITHRSA', InUseBy: [], Type: 'AMAZON_ISSUED',
    KeyUsages: [], ExtendedKeyUsages: [], RenewalEligibility: 'INELIGIBLE',
    Options: { CertificateTransparencyLoggingPreference: c.transparencyLogging },
  };
}

function summary(c: AcmCertificate): Record<string, unknown> {
  return {
    CertificateArn: c.arn, DomainName: c.domainName, SubjectAlternativeNameSummaries: c.subjectAlternativeNames, HasAdditionalSubjectAlternativeNames: false,
    Status: c.status, Type: 'AMAZON_ISSUED', KeyAlgorithm: hyphenated(c.keyAlgorithm), KeyUsages: [], ExtendedKeyUsages: [], InUse: false,
    RenewalEligibility: 'INELIGIBLE', CreatedAt: seconds(c.createdAt), ExportOption: 'DISABLED',
  };
}

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

export const acmOperations: Record<string, Handler> = {
  RequestCertificate(ctx, input) {
    const rawDomain = json.str(input, 'DomainName');
    if (rawDomain === undefined) throw constraint('domainName', undefined, 'Member must not be null');
    const domainName = checkDomain(rawDomain, 'domainName');
    const sans = (json.strings(input, 'SubjectAlternativeNames') ?? []).map((n, i) => checkDomain(n, `subjectAlternativeNames.${i + 1}.member`));
    const names = [domainName, ...sans.filter((n) => n !== domainName)].filter((n, i, all) => all.indexOf(n) === i);
    if (names.length > MAX_NAMES) throw new ApiError('LimitExceededException', `A certificate can have at most ${MAX_NAMES} domain names.`, 400);
    const method = json.str(input, 'ValidationMethod') ?? 'EMAIL';
    if (method !== 'DNS' && method !== 'EMAIL') throw constraint('validationMethod', method, 'Member must satisfy enum value set: [EMAIL, DNS, HTTP]');
    if (json.str(input, 'CertificateAuthorityArn') !== undefined) throw new ApiError('InvalidParameterException', 'The sandbox has no private certificate authorities.', 400);
    const keyAlgorithm = json.str(input, 'KeyAlgorithm') ?? 'RSA_2048';
    if (!KEY_ALGORITHMS.has(keyAlgorithm)) throw constraint('keyAlgorithm', keyAlgorithm, `Member must satisfy enum value set: [${[...KEY_ALGORITHMS].join(', ')}]`);
    const options = (input.Options ?? {}) as Record<string, unknown>;
    const logging = json.str(options, 'CertificateTransparencyLoggingPreference') ?? 'ENABLED';
    if (logging !== 'ENABLED' && logging !== 'DISABLED') throw constraint('options.certificateTransparencyLoggingPreference', logging, 'Member must satisfy enum value set: [ENABLED, DISABLED]');
    const token = json.str(input, 'IdempotencyToken');
    if (token !== undefined && !/^\w{1,32}$/.test(token)) throw constraint('idempotencyToken', token, 'Member must satisfy regular expression pattern: \\w+');
    const tags = tagsOf(json.list(input, 'Tags'));
    ctx.authorize('acm:RequestCertificate', '*');
    if (token !== undefined) {
      const same = Object.values(certificatesOf(ctx)).find((c) => c.region === ctx.region && c.idempotencyToken === token && ctx.now.getTime() - c.createdAt < IDEMPOTENCY_MS);
      if (same) return { CertificateArn: same.arn };
    }
    if (tags.length) ctx.authorize('acm:AddTagsToCertificate', '*');
    const arn = `arn:aws:acm:${ctx.region}:${ctx.world.accountId}:certificate/${uuid()}`;
    certificatesOf(ctx)[arn] = {
      arn, region: ctx.region, domainName, subjectAlternativeNames: names, validationMethod: method, keyAlgorithm, transparencyLogging: logging,
      status: 'PENDING_VALIDATION', createdAt: ctx.now.getTime(), ...(token !== undefined ? { idempotencyToken: token } : {}), tags: withTags({}, tags),
    };
    ctx.trail.resources.push({ type: 'AWS::ACM::Certificate', name: arn, arn });
    ctx.trail.responseElements = { certificateArn: arn };
    return { CertificateArn: arn };
  },
  DescribeCertificate(ctx, input) {
    return { Certificate: describe(certificateFor(ctx, input, 'acm:DescribeCertificate')) };
  },
  ListCertificates(ctx, input) {
    ctx.authorize('acm:ListCertificates', '*');
    const statuses = json.strings(input, 'CertificateStatuses');
    for (const s of statuses ?? []) if (!STATUSES.has(s)) throw constraint('certificateStatuses', s, `Member must satisfy enum value set: [${[...STATUSES].join(', ')}]`);
    const includes = (input.Includes ?? {}) as Record<string, unknown>;
    const keyTypes = new Set(json.strings(includes, 'keyTypes') ?? [...DEFAULT_LISTED_KEYS]);
    const max = json.int(input, 'MaxItems') ?? 1000;
    if (max < 1 || max > 1000) throw constraint('maxItems', max, 'Member must have value less than or equal to 1000');
    const list = Object.values(certificatesOf(ctx))
      .filter((c) => c.region === ctx.region && keyTypes.has(c.keyAlgorithm) && (!statuses || statuses.includes(c.status)))
      .sort((a, b) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : 1));
    const token = json.str(input, 'NextToken');
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > list.length) throw new ApiError('InvalidArgsException', 'The NextToken is not valid.', 400);
    const page = list.slice(start, start + max);
    const next = start + max < list.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
    return { CertificateSummaryList: page.map(summary), ...(next ? { NextToken: next } : {}) };
  },
  DeleteCertificate(ctx, input) {
    const c = certificateFor(ctx, input, 'acm:DeleteCertificate');
    delete certificatesOf(ctx)[c.arn];
    return {};
  },
  UpdateCertificateOptions(ctx, input) {
    const c = certificateFor(ctx, input, 'acm:UpdateCertificateOptions');
    const options = input.Options as Record<string, unknown> | undefined;
    if (!options || typeof options !== 'object') throw constraint('options', undefined, 'Member must not be null');
    const logging = json.str(options, 'CertificateTransparencyLoggingPreference');
    if (logging !== 'ENABLED' && logging !== 'DISABLED') throw constraint('options.certificateTransparencyLoggingPreference', logging, 'Member must satisfy enum value set: [ENABLED, DISABLED]');
    c.transparencyLogging = logging;
    return {};
  },
  ListTagsForCertificate(ctx, input) {
    const c = certificateFor(ctx, input, 'acm:ListTagsForCertificate');
    return { Tags: Object.entries(c.tags).map(([Key, Value]) => ({ Key, Value })) };
  },
  AddTagsToCertificate(ctx, input) {
    const c = certificateFor(ctx, input, 'acm:AddTagsToCertificate');
    const tags = tagsOf(json.list(input, 'Tags'));
    if (tags.length === 0) throw constraint('tags', undefined, 'Member must have length greater than or equal to 1');
    c.tags = withTags(c.tags, tags);
    return {};
  },
  RemoveTagsFromCertificate(ctx, input) {
    const c = certificateFor(ctx, input, 'acm:RemoveTagsFromCertificate');
    // A tag given with a value is removed only when the value matches, as on AWS.
    for (const t of tagsOf(json.list(input, 'Tags'))) if (t.Value === undefined || c.tags[t.Key] === t.Value) delete c.tags[t.Key];
    return {};
  },
};

