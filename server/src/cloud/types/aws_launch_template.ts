// aws_launch_template: one DescribeLaunchTemplates call per 200 names (template, default version,
// tags) and one DescribeLaunchTemplateVersions listing of every template's latest version — the
// version the provider reads the template's data from. A new version made by hand is drift on the
// data it changes; Revert writes a new version copying the one Terraform last wrote (state's
// latest_version), as `terraform apply` would. Nested data blocks are not compared yet.
import { CreateLaunchTemplateVersionCommand, DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, LaunchTemplate, LaunchTemplateVersion, ModifyLaunchTemplateCommand } from '@aws-sdk/client-ec2';
import type { LiveEntry } from '../../drift/snapshot';
import { cannotRevert, chunk, failureText, foundEntry, labelFrom, missingEntry, num, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ReadContext, ResourceType } from './resource-type';

const DATA_ATTRIBUTES = ['image_id', 'instance_type', 'key_name', 'user_data', 'vpc_security_group_ids', 'ebs_optimized', 'description'];

async function templatesByName(ctx: ReadContext, names: string[]): Promise<{ byName: Map<string, LaunchTemplate>; failed: Map<string, string> }> {
  const byName = new Map<string, LaunchTemplate>();
  const failed = new Map<string, string>();
  await Promise.all(chunk([...new Set(names)], 200).map(async (group) => {
    try {
      let NextToken: string | undefined;
      do {
        const out = await ctx.clients.gate.call('ec2:DescribeLaunchTemplates', () =>
          ctx.clients.ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'launch-template-name', Values: group }], MaxResults: 200, NextToken })));
        for (const t of out.LaunchTemplates ?? []) if (t.LaunchTemplateName) byName.set(t.LaunchTemplateName, t);
        NextToken = out.NextToken;
      } while (NextToken);
    } catch (error) {
      for (const n of group) failed.set(n, failureText(error));
    }
  }));
  return { byName, failed };
}

async function latestVersions(ctx: ReadContext): Promise<Map<string, LaunchTemplateVersion>> {
  const byId = new Map<string, LaunchTemplateVersion>();
  let NextToken: string | undefined;
  do {
    const out = await ctx.clients.gate.call('ec2:DescribeLaunchTemplateVersions', () =>
      ctx.clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Latest'], MaxResults: 200, NextToken })));
    for (const v of out.LaunchTemplateVersions ?? []) if (v.LaunchTemplateId) byId.set(v.LaunchTemplateId, v);
    NextToken = out.NextToken;
  } while (NextToken);
  return byId;
}

export const awsLaunchTemplate: ResourceType = {
  type: 'aws_launch_template',
  tags: true,
  taggingType: 'ec2:launch-template',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'description', compare: 'scalar' },
    { name: 'image_id', compare: 'scalar' },
    { name: 'instance_type', compare: 'scalar' },
    { name: 'key_name', compare: 'scalar' },
    { name: 'user_data', compare: 'scalar' },
    { name: 'vpc_security_group_ids', compare: 'set', severity: 'error' },
    { name: 'ebs_optimized', compare: 'scalar' },
    { name: 'default_version', compare: 'scalar' },
  ],
  notCompared: {
    arn: 'computed by AWS', latest_version: 'computed by AWS (grows with every version)', update_default_version: 'a Terraform-side setting',
    block_device_mappings: 'not read yet (nested launch template data)', network_interfaces: 'not read yet (nested launch template data)',
    metadata_options: 'not read yet (nested launch template data)', iam_instance_profile: 'not read yet (nested launch template data)',
    monitoring: 'not read yet (nested launch template data)', tag_specifications: 'not read yet (nested launch template data)',
    security_group_names: 'not read yet (EC2-Classic style names)', placement: 'not read yet (nested launch template data)',
  },
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:launch-template\/(lt-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, String(live.attributes.name ?? live.id)),

  async read(targets, ctx) {
    const result = new Map<string, LiveEntry>();
    const named = targets.filter((t) => str(t.state.attributes.name));
    for (const t of targets) if (!str(t.state.attributes.name)) result.set(t.address, unknownEntry(ctx, 'state records no name for this launch template'));
    if (!named.length) return result;
    let versions: Map<string, LaunchTemplateVersion> | { failure: string };
    const [templates] = await Promise.all([
      templatesByName(ctx, named.map((t) => String(t.state.attributes.name))),
      latestVersions(ctx).then((v) => (versions = v), (error: unknown) => (versions = { failure: failureText(error) })),
    ]);
    for (const t of named) {
      const name = String(t.state.attributes.name);
      const failure = templates.failed.get(name) ?? ('failure' in versions! ? (versions as { failure: string }).failure : undefined);
      if (failure) {
        result.set(t.address, unknownEntry(ctx, failure));
        continue;
      }
      const lt = templates.byName.get(name);
      if (!lt || lt.LaunchTemplateId !== t.id) {
        result.set(t.address, missingEntry(ctx, t.id, `launch template ${t.id} (${name}) does not exist`));
        continue;
      }
      const v = (versions! as Map<string, LaunchTemplateVersion>).get(t.id);
      const d = v?.LaunchTemplateData ?? {};
      result.set(t.address, foundEntry(t, 'aws_launch_template', ctx, {
        name, description: v?.VersionDescription ?? '', image_id: d.ImageId ?? '', instance_type: d.InstanceType ?? '', key_name: d.KeyName ?? '', user_data: d.UserData ?? '',
        vpc_security_group_ids: d.SecurityGroupIds ?? [], ebs_optimized: d.EbsOptimized === undefined ? '' : String(d.EbsOptimized),
        default_version: lt.DefaultVersionNumber ?? null, latest_version: lt.LatestVersionNumber ?? null, tags: userTags(lt.Tags),
      }));
    }
    return result;
  },

  async revert(request, clients) {
    const { attribute, declared, id, state } = request;
    if (attribute === 'tags') return revertEc2Tags(clients, request);
    if (attribute === 'default_version' && num(declared) !== undefined) {
      await clients.gate.call('ec2:ModifyLaunchTemplate', () => clients.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: String(num(declared)) })));
      return { ok: true, message: `default version of ${id} set to ${String(declared)} again` };
    }
    if (!DATA_ATTRIBUTES.includes(attribute)) return cannotRevert(attribute);
    const source = num((state.attributes.latest_version ?? null) as never);
    if (source === undefined) return { ok: false, message: `state records no latest_version of ${id} to copy; run terraform apply instead` };
    const out = await clients.gate.call('ec2:CreateLaunchTemplateVersion', () => clients.ec2.send(new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: id, SourceVersion: String(source), LaunchTemplateData: {}, ...(typeof state.attributes.description === 'string' && state.attributes.description ? { VersionDescription: state.attributes.description } : {}),
    })));
    return { ok: true, message: `version ${String(out.LaunchTemplateVersion?.VersionNumber)} of ${id} copies version ${source}, the one Terraform wrote` };
  },
};
