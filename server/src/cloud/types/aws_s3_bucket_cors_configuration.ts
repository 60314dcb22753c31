// aws_s3_bucket_cors_configuration ↔ GetBucketCors / PutBucketCors. Rules are a set; within a rule
// headers, methods and origins are sets too. No CORS configuration means Terraform drops the resource.
import { CORSRule, GetBucketCorsCommand, PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { isObject, Known } from '../../drift/values';
import { cannotRevert, num, str } from './common';
import type { ResourceType } from './resource-type';
import { bucketOf, readBucketConfig } from './s3-common';

const strings = (v: Known | undefined): string[] => (Array.isArray(v) ? v.map(String) : []);

function ruleAtoms(blocks: Known): Known {
  const list = Array.isArray(blocks) ? blocks : [blocks];
  return list.filter((r): r is Record<string, Known> => isObject(r)).map((r) => ({
    id: typeof r.id === 'string' ? r.id : '',
    allowed_headers: strings(r.allowed_headers).sort(),
    allowed_methods: strings(r.allowed_methods).sort(),
    allowed_origins: strings(r.allowed_origins).sort(),
    expose_headers: strings(r.expose_headers).sort(),
    max_age_seconds: num(r.max_age_seconds ?? null) ?? 0,
  }));
}

export const awsS3BucketCorsConfiguration: ResourceType = {
  type: 'aws_s3_bucket_cors_configuration',
  tags: false,
  attributes: [
    { name: 'bucket', compare: 'scalar', forceNew: true },
    { name: 'cors_rule', compare: 'blocks', normalize: ruleAtoms, severity: 'warning' },
  ],
  notCompared: { expected_bucket_owner: 'a guard of the API calls, not a property of the configuration' },
  idFromState: (a) => bucketOf(a),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readBucketConfig('aws_s3_bucket_cors_configuration', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetBucketCors', () => ctx.clients.s3.send(new GetBucketCorsCommand({ Bucket: bucket })));
      return {
        cors_rule: (out.CORSRules ?? []).map((r) => ({
          id: r.ID ?? '', allowed_headers: r.AllowedHeaders ?? [], allowed_methods: r.AllowedMethods ?? [], allowed_origins: r.AllowedOrigins ?? [],
          expose_headers: r.ExposeHeaders ?? [], max_age_seconds: r.MaxAgeSeconds ?? 0,
        })),
      };
    }, 'NoSuchCORSConfiguration', 'has no CORS configuration');
  },

  async revert(request, clients) {
    if (request.attribute !== 'cors_rule') return cannotRevert(request.attribute);
    const rules = ruleAtoms(request.declared) as Array<Record<string, Known>>;
    if (!rules.length) return { ok: false, message: 'declared cors_rule is empty' };
    const bucket = str(request.live.attributes.bucket) ?? request.id;
    const CORSRules: CORSRule[] = rules.map((r) => ({
      ...(r.id ? { ID: String(r.id) } : {}),
      AllowedHeaders: strings(r.allowed_headers), AllowedMethods: strings(r.allowed_methods), AllowedOrigins: strings(r.allowed_origins),
      ExposeHeaders: strings(r.expose_headers), ...(r.max_age_seconds ? { MaxAgeSeconds: Number(r.max_age_seconds) } : {}),
    }));
    await clients.gate.call('s3:PutBucketCors', () => clients.s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules } })));
    return { ok: true, message: `${CORSRules.length} CORS rule(s) restored` };
  },
};
