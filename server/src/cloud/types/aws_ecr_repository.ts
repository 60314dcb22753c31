// aws_ecr_repository ↔ ECR DescribeRepositories: one listing of the registry (1,000 a page) serves
// every repository of the check — by-name lookups fail whole when one name is gone — plus
// ListTagsForResource per repository (ECR has no batch tag read).
import {
  DescribeRepositoriesCommand, ListTagsForResourceCommand, PutImageScanningConfigurationCommand, PutImageTagMutabilityCommand,
  Repository, TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-ecr';
import { isObject, Known } from '../../drift/values';
import { allUnknown, bool, cannotRevert, foundEntry, listAllPages, missingEntry, perTarget, str, tagsArg } from './common';
import type { ResourceType } from './resource-type';

/** `image_scanning_configuration { scan_on_push }`: one block; an empty block means scan_on_push = false. */
function scanning(blocks: Known): Known {
  const first = Array.isArray(blocks) ? blocks[0] : blocks;
  if (!isObject(first)) return [];
  return [`scan_on_push=${bool(first.scan_on_push as Known) === true}`];
}

export const awsEcrRepository: ResourceType = {
  type: 'aws_ecr_repository',
  tags: true,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'image_tag_mutability', compare: 'scalar', default: 'MUTABLE', severity: 'warning' },
    { name: 'image_scanning_configuration', compare: 'blocks', normalize: scanning },
  ],
  notCompared: {
    encryption_configuration: 'fixed at creation (ForceNew): ECR offers no call that changes it, so it cannot drift in place',
    force_delete: 'a Terraform-side deletion setting; AWS has nothing to compare it with',
    repository_url: 'computed by AWS from the account, region and name',
    registry_id: 'computed by AWS (the account)',
    image_tag_mutability_exclusion_filter: 'not read yet',
  },
  idFromState: (a) => str(a.name) ?? str(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:ecr:[^:]*:\d{12}:repository\/(.+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'repository',

  async read(targets, ctx) {
    const all = new Map<string, Repository>();
    const failure = await listAllPages(ctx, 'ecr:DescribeRepositories',
      (token) => ctx.clients.ecr.send(new DescribeRepositoriesCommand({ maxResults: 1000, nextToken: token })),
      (page) => {
        for (const r of page.repositories ?? []) if (r.repositoryName) all.set(r.repositoryName, r);
        return page.nextToken;
      });
    if (failure) return allUnknown(targets, ctx, failure);
    return perTarget(targets, ctx, async (t) => {
      const r = all.get(t.id);
      if (!r) return missingEntry(ctx, t.id, `repository ${t.id} does not exist`);
      const listed = await ctx.clients.gate.call('ecr:ListTagsForResource', () =>
        ctx.clients.ecr.send(new ListTagsForResourceCommand({ resourceArn: r.repositoryArn })));
      const tags: Record<string, string> = {};
      for (const tag of listed.tags ?? []) if (tag.Key && !tag.Key.startsWith('aws:')) tags[tag.Key] = tag.Value ?? '';
      return foundEntry(t, 'aws_ecr_repository', ctx, {
        name: r.repositoryName,
        image_tag_mutability: r.imageTagMutability ?? 'MUTABLE',
        image_scanning_configuration: [{ scan_on_push: r.imageScanningConfiguration?.scanOnPush ?? false }],
        repository_url: r.repositoryUri ?? null,
        tags,
      }, { arn: r.repositoryArn });
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const ecr = clients.ecr;
    switch (attribute) {
      case 'image_tag_mutability': {
        const m = declared === 'IMMUTABLE' ? 'IMMUTABLE' : 'MUTABLE';
        await clients.gate.call('ecr:PutImageTagMutability', () => ecr.send(new PutImageTagMutabilityCommand({ repositoryName: id, imageTagMutability: m })));
        return { ok: true, message: `image tag mutability set to ${m}` };
      }
      case 'image_scanning_configuration': {
        const first = Array.isArray(declared) ? declared[0] : declared;
        const on = isObject(first) && bool(first.scan_on_push as Known) === true;
        await clients.gate.call('ecr:PutImageScanningConfiguration', () =>
          ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: id, imageScanningConfiguration: { scanOnPush: on } })));
        return { ok: true, message: `scan on push ${on ? 'enabled' : 'disabled'}` };
      }
      case 'tags': {
        const want = tagsArg(declared);
        if (!want) return { ok: false, message: 'declared tags are not a map' };
        const arn = request.live.arn;
        if (!arn) return { ok: false, message: 'the repository ARN is unknown' };
        const have = (request.live.attributes.tags ?? {}) as Record<string, string>;
        const remove = Object.keys(have).filter((k) => !(k in want));
        const set = Object.entries(want).filter(([k, v]) => have[k] !== v);
        if (remove.length) await clients.gate.call('ecr:UntagResource', () => ecr.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: remove })));
        if (set.length) await clients.gate.call('ecr:TagResource', () => ecr.send(new TagResourceCommand({ resourceArn: arn, tags: set.map(([Key, Value]) => ({ Key, Value })) })));
        return { ok: true, message: `tags restored (${set.length} set, ${remove.length} removed)` };
      }
      default:
        return cannotRevert(attribute);
    }
  },
};
