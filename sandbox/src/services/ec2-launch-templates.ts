// EC2 launch templates and their versions (query/XML), per the EC2 API reference. Template data is
// kept as the request's `LaunchTemplateData.*` tree and answered in EC2's response shape: names in
// lowerCamel, a list `X.N` as `xSet` of `<item>`s (SecurityGroupId.N → securityGroupIdSet).
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { ec2Id } from '../ids';
import type { QueryParams } from '../protocol/query-xml';
import type { LaunchTemplate, LaunchTemplateData, Tags } from '../world';
import { items, node, type XmlNode } from '../xml';
import { authorizeWrite, filtered, queryKey } from './ec2-calls';
import { paginate, tagFilterValues, tagSet, tagSpecifications, type FilterValues } from './ec2-shapes';

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

export const launchTemplatesOf = (ctx: CallContext): Record<string, LaunchTemplate> => (ctx.world.launchTemplates ??= {});

export const LAUNCH_TEMPLATE_KINDS = {
  'launch-template': { prefix: 'lt', code: 'InvalidLaunchTemplateId', noun: 'launch template ID', trail: 'AWS::EC2::LaunchTemplate' },
} as const;

export function launchTemplateTagTable(ctx: CallContext): Record<string, { tags: Tags; region: string }> {
  return launchTemplatesOf(ctx);
}

const DATA = 'LaunchTemplateData.';

/** `LaunchTemplateData.A.1.B=x` → `{ A: [{ B: 'x' }] }`; numbered segments become lists in index order. */
export function dataTree(p: QueryParams): LaunchTemplateData {
  const root: Record<string, unknown> = {};
  for (const [key, value] of p.entries()) {
    if (!key.startsWith(DATA)) continue;
    const parts = key.slice(DATA.length).split('.');
    let at: Record<string, unknown> = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const next = parts[i + 1];
      const last = i === parts.length - 1;
      if (last) {
        at[part] = value;
      } else if (/^\d+$/.test(next ?? '')) {
        const list = (at[part] ??= []) as unknown[];
        const index = Number(next) - 1;
        if (i + 1 === parts.length - 1) {
          list[index] = value;
          break;
        }
        at = (list[index] ??= {}) as Record<string, unknown>;
        i++;
      } else {
        at = (at[part] ??= {}) as Record<string, unknown>;
      }
    }
  }
  const compact = (v: unknown): unknown => (Array.isArray(v) ? v.filter((x) => x !== undefined).map(compact) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compact(x)])) : v);
  return compact(root) as LaunchTemplateData;
}

const lowerCamel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

function dataXml(data: LaunchTemplateData): XmlNode[] {
  return Object.entries(data).map(([key, value]) => {
    if (Array.isArray(value)) return node(`${lowerCamel(key)}Set`, items('item', value as Array<string | LaunchTemplateData>, (v) => (typeof v === 'string' ? v : dataXml(v))));
    if (typeof value === 'object') return node(lowerCamel(key), dataXml(value));
    return node(lowerCamel(key), value);
  });
}

const mutate = (ctx: CallContext, action: string, id?: string): void => authorizeWrite(ctx, action, 'launch-template', LAUNCH_TEMPLATE_KINDS['launch-template'].trail, id);

function templateXml(ctx: CallContext, t: LaunchTemplate): XmlNode[] {
  return [
    node('launchTemplateId', t.id), node('launchTemplateName', t.name), node('createTime', t.createTime), node('createdBy', `arn:aws:iam::${ctx.world.accountId}:root`),
    node('defaultVersionNumber', t.defaultVersion), node('latestVersionNumber', Math.max(...t.versions.map((v) => v.number))), tagSet(t.tags),
  ];
}

function versionXml(ctx: CallContext, t: LaunchTemplate, v: LaunchTemplate['versions'][number]): XmlNode[] {
  return [
    node('launchTemplateId', t.id), node('launchTemplateName', t.name), node('versionNumber', v.number), node('versionDescription', v.description),
    node('createTime', v.createTime), node('createdBy', `arn:aws:iam::${ctx.world.accountId}:root`), node('defaultVersion', v.number === t.defaultVersion),
    node('launchTemplateData', dataXml(v.data)),
  ];
}

/** A template by id or name, as the calls that take either name it. */
function templateOf(ctx: CallContext, p: QueryParams): LaunchTemplate {
  const id = p.get('LaunchTemplateId');
  const name = p.get('LaunchTemplateName');
  if ((id === undefined) === (name === undefined)) throw new ApiError('MissingParameter', 'The request must contain exactly one of LaunchTemplateId and LaunchTemplateName', 400);
  const t = Object.values(launchTemplatesOf(ctx)).find((x) => x.region === ctx.region && (x.id === id || x.name === name));
  if (!t) {
    if (id !== undefined) throw new ApiError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`, 400);
    throw new ApiError('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${name}, does not exist.`, 400);
  }
  return t;
}

function versionNumber(t: LaunchTemplate, text: string): number {
  const latest = Math.max(...t.versions.map((v) => v.number));
  const n = text === '$Latest' ? latest : text === '$Default' ? t.defaultVersion : Number(text);
  if (!Number.isInteger(n) || !t.versions.some((v) => v.number === n)) {
    throw new ApiError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${text} for ${t.id}`, 400);
  }
  return n;
}

export const ec2LaunchTemplateOperations: Record<string, Handler> = {
  CreateLaunchTemplate(ctx, p) {
    const name = p.required('LaunchTemplateName');
    mutate(ctx, 'ec2:CreateLaunchTemplate');
    if (!/^[a-zA-Z0-9().\-/_]{3,128}$/.test(name)) throw new ApiError('InvalidLaunchTemplateName.MalformedException', `The launch template name ${name} is invalid.`, 400);
    if (Object.values(launchTemplatesOf(ctx)).some((t) => t.region === ctx.region && t.name === name)) {
      throw new ApiError('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`, 400);
    }
    const now = ctx.now.toISOString();
    const t: LaunchTemplate = {
      id: ec2Id('lt'), region: ctx.region, name, defaultVersion: 1, createTime: now, tags: tagSpecifications(p, 'launch-template'),
      versions: [{ number: 1, description: p.get('VersionDescription'), createTime: now, data: dataTree(p) }],
    };
    launchTemplatesOf(ctx)[t.id] = t;
    ctx.trail.resources.push({ type: LAUNCH_TEMPLATE_KINDS['launch-template'].trail, name: t.id });
    ctx.trail.responseElements = { launchTemplateId: t.id };
    return [node('launchTemplate', templateXml(ctx, t))];
  },
  CreateLaunchTemplateVersion(ctx, p) {
    const t = templateOf(ctx, p);
    mutate(ctx, 'ec2:CreateLaunchTemplateVersion', t.id);
    const source = p.get('SourceVersion');
    // A new version starts from the source version's data, overridden by what the request names.
    const base = source !== undefined ? t.versions.find((v) => v.number === versionNumber(t, source))!.data : {};
    const number = Math.max(...t.versions.map((v) => v.number)) + 1;
    const v = { number, description: p.get('VersionDescription'), createTime: ctx.now.toISOString(), data: { ...base, ...dataTree(p) } };
    t.versions.push(v);
    return [node('launchTemplateVersion', versionXml(ctx, t, v))];
  },
  ModifyLaunchTemplate(ctx, p) {
    const t = templateOf(ctx, p);
    mutate(ctx, 'ec2:ModifyLaunchTemplate', t.id);
    const d = p.get('SetDefaultVersion');
    if (d !== undefined) t.defaultVersion = versionNumber(t, d);
    return [node('launchTemplate', templateXml(ctx, t))];
  },
  DescribeLaunchTemplates(ctx, p) {
    ctx.authorize('ec2:DescribeLaunchTemplates', '*');
    const all = Object.values(launchTemplatesOf(ctx)).filter((t) => t.region === ctx.region);
    const ids = p.list('LaunchTemplateId');
    const names = p.list('LaunchTemplateName');
    for (const id of ids) if (!all.some((t) => t.id === id)) throw new ApiError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`, 400);
    for (const n of names) if (!all.some((t) => t.name === n)) throw new ApiError('InvalidLaunchTemplateName.NotFoundException', `At least one of the launch templates specified in the request does not exist.`, 400);
    const base = all.filter((t) => (!ids.length || ids.includes(t.id)) && (!names.length || names.includes(t.name)));
    const values: FilterValues<LaunchTemplate> = (t, name) => (name === 'launch-template-name' ? [t.name] : name === 'create-time' ? [t.createTime] : tagFilterValues(t.tags, name));
    const { page, nextToken } = paginate(filtered(base, p, values), p, queryKey(p), { min: 1, max: 200 });
    return [node('launchTemplates', items('item', page, (t) => templateXml(ctx, t))), node('nextToken', nextToken)];
  },
  DescribeLaunchTemplateVersions(ctx, p) {
    ctx.authorize('ec2:DescribeLaunchTemplateVersions', '*');
    const versions = p.list('LaunchTemplateVersion');
    const named = p.has('LaunchTemplateId') || p.has('LaunchTemplateName');
    const rows: Array<[LaunchTemplate, LaunchTemplate['versions'][number]]> = [];
    if (named) {
      const t = templateOf(ctx, p);
      const wanted = versions.length ? new Set(versions.map((v) => versionNumber(t, v))) : undefined;
      for (const v of t.versions) if (!wanted || wanted.has(v.number)) rows.push([t, v]);
    } else {
      // Without a template, only $Latest and $Default may be asked for: across every template.
      if (!versions.length || versions.some((v) => v !== '$Latest' && v !== '$Default')) {
        throw new ApiError('InvalidParameterCombination', 'Without a launch template ID or name, the versions must be $Latest or $Default.', 400);
      }
      for (const t of Object.values(launchTemplatesOf(ctx)).filter((x) => x.region === ctx.region)) {
        const numbers = new Set(versions.map((v) => versionNumber(t, v)));
        for (const v of t.versions) if (numbers.has(v.number)) rows.push([t, v]);
      }
    }
    const { page, nextToken } = paginate(rows, p, queryKey(p), { min: 1, max: 200 });
    return [node('launchTemplateVersionSet', items('item', page, ([t, v]) => versionXml(ctx, t, v))), node('nextToken', nextToken)];
  },
  DeleteLaunchTemplate(ctx, p) {
    const t = templateOf(ctx, p);
    mutate(ctx, 'ec2:DeleteLaunchTemplate', t.id);
    delete launchTemplatesOf(ctx)[t.id];
    return [node('launchTemplate', templateXml(ctx, t))];
  },
};
