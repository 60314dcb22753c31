// IAM (query/XML): roles with trust policies, inline and managed policies, tags and boundaries.
// Documents come back URL-encoded, as IAM returns them.
import { PolicyError, parsePolicy } from '../auth/policy';
import { isoSeconds } from '../clock';
import type { CallContext } from '../context';
import { ApiError, validation } from '../errors';
import { iamId, secretKey } from '../ids';
import type { QueryParams } from '../protocol/query-xml';
import { arns, type Group, type InstanceProfile, type ManagedPolicy, type OidcProvider, type Role, type Tags, type User } from '../world';
import { items, node, type XmlNode } from '../xml';

const NAME = /^[\w+=,.@-]+$/;
const PATH = /^\/([\x21-\x7e]*\/)?$/;

const iso = (text: string): string => isoSeconds(new Date(text));
const noSuchRole = (name: string): ApiError => new ApiError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);

function checkName(value: string, field: string, max: number): void {
  if (value.length > max || !NAME.test(value)) {
    throw validation(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
  }
}

function checkDocument(text: string, kind: 'identity' | 'resource'): void {
  try {
    parsePolicy(text, kind);
  } catch (err) {
    if (err instanceof PolicyError) throw new ApiError('MalformedPolicyDocument', err.message, 400);
    throw err;
  }
}

function roleOf(ctx: CallContext, p: QueryParams, action: string): Role {
  const name = p.required('RoleName');
  const role = ctx.world.roles[name];
  const arn = role?.arn ?? arns.role(ctx.world.accountId, name);
  ctx.trail.resources.push({ type: 'AWS::IAM::Role', name, arn });
  ctx.authorize(action, arn);
  if (!role) throw noSuchRole(name);
  return role;
}

function tagsFrom(p: QueryParams, field = 'Tags.member'): Tags {
  const out: Tags = {};
  for (const t of p.structs(field)) {
    const key = t.required('Key');
    if (key.length > 128) throw validation(`1 validation error detected: Value '${key}' at 'tags.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`);
    out[key] = t.get('Value') ?? '';
  }
  return out;
}

const tagNodes = (tags: Tags): XmlNode[] => items('member', Object.entries(tags), ([k, v]) => [node('Key', k), node('Value', v)]);

function roleXml(role: Role, full: boolean): XmlNode[] {
  return [
    node('Path', role.path), node('RoleName', role.name), node('RoleId', role.roleId), node('Arn', role.arn),
    node('CreateDate', iso(role.createDate)), node('AssumeRolePolicyDocument', encodeURIComponent(role.trustPolicy)),
    node('Description', role.description), node('MaxSessionDuration', role.maxSessionDuration),
    ...(full && role.permissionsBoundary ? [node('PermissionsBoundary', [node('PermissionsBoundaryType', 'Policy'), node('PermissionsBoundaryArn', role.permissionsBoundary)])] : []),
    ...(full && Object.keys(role.tags).length ? [node('Tags', tagNodes(role.tags))] : []),
    ...(full ? [node('RoleLastUsed', [])] : []),
  ];
}

function policyXml(mp: ManagedPolicy, attachments: number): XmlNode[] {
  return [
    node('PolicyName', mp.name), node('PolicyId', mp.policyId), node('Arn', mp.arn), node('Path', mp.path),
    node('DefaultVersionId', mp.defaultVersionId), node('AttachmentCount', attachments), node('PermissionsBoundaryUsageCount', 0),
    node('IsAttachable', true), node('Description', mp.description), node('CreateDate', iso(mp.createDate)), node('UpdateDate', iso(mp.updateDate)),
    ...(Object.keys(mp.tags).length ? [node('Tags', tagNodes(mp.tags))] : []),
  ];
}

function attachmentCount(ctx: CallContext, arn: string): number {
  let n = 0;
  for (const r of Object.values(ctx.world.roles)) if (r.attachedPolicies.includes(arn)) n++;
  for (const u of Object.values(ctx.world.users)) if (u.attachedPolicies.includes(arn)) n++;
  for (const g of Object.values(ctx.world.groups ?? {})) if (g.attachedPolicies.includes(arn)) n++;
  return n;
}

/** Marker pagination over a list: the marker is the index to resume at. */
function page<T>(list: T[], p: QueryParams): { slice: T[]; marker?: string } {
  const max = p.int('MaxItems') ?? 100;
  if (max < 1 || max > 1000) throw validation(`1 validation error detected: Value '${max}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`);
  const markerText = p.get('Marker');
  const start = markerText === undefined ? 0 : Number(Buffer.from(markerText, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw validation('Invalid Marker.');
  const slice = list.slice(start, start + max);
  const next = start + max < list.length ? Buffer.from(String(start + max), 'utf8').toString('base64url') : undefined;
  return { slice, marker: next };
}

const pageXml = (marker: string | undefined): XmlNode[] => [node('IsTruncated', marker !== undefined), node('Marker', marker)];

function policyByArn(ctx: CallContext, arn: string): ManagedPolicy {
  const mp = ctx.world.policies[arn];
  if (!mp) throw new ApiError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
  return mp;
}

const noSuchUser = (name: string): ApiError => new ApiError('NoSuchEntity', `The user with name ${name} cannot be found.`, 404);

function userOf(ctx: CallContext, p: QueryParams, action: string): User {
  const name = p.required('UserName');
  const user = ctx.world.users[name];
  const arn = user?.arn ?? arns.user(ctx.world.accountId, name);
  ctx.trail.resources.push({ type: 'AWS::IAM::User', name, arn });
  ctx.authorize(action, arn);
  if (!user) throw noSuchUser(name);
  return user;
}

function userXml(user: User): XmlNode[] {
  return [
    node('Path', user.path), node('UserName', user.name), node('UserId', user.userId), node('Arn', user.arn), node('CreateDate', iso(user.createDate)),
    ...(user.permissionsBoundary ? [node('PermissionsBoundary', [node('PermissionsBoundaryType', 'Policy'), node('PermissionsBoundaryArn', user.permissionsBoundary)])] : []),
    ...(Object.keys(user.tags).length ? [node('Tags', tagNodes(user.tags))] : []),
  ];
}

const attachedXml = (ctx: CallContext, list: string[]): XmlNode[] =>
  items('member', list, (arn) => [node('PolicyName', ctx.world.policies[arn]?.name ?? arn.split('/').pop()), node('PolicyArn', arn)]);

const inlineXml = (inline: Record<string, string>): XmlNode[] =>
  items('member', Object.entries(inline), ([name, doc]) => [node('PolicyName', name), node('PolicyDocument', encodeURIComponent(doc))]);

const boundaryXml = (arn: string | undefined): XmlNode[] =>
  arn ? [node('PermissionsBoundary', [node('PermissionsBoundaryType', 'Policy'), node('PermissionsBoundaryArn', arn)])] : [];

type Detail = { kind: 'User'; user: User } | { kind: 'Group'; group: Group } | { kind: 'Role'; role: Role } | { kind: 'Policy'; policy: ManagedPolicy };

const groupsOf = (ctx: CallContext, user: string): Group[] => Object.values(ctx.world.groups ?? {}).filter((g) => g.members.includes(user));

function groupOf(ctx: CallContext, p: QueryParams, action: string): Group {
  const name = p.required('GroupName');
  const group = ctx.world.groups?.[name];
  const arn = group?.arn ?? arns.group(ctx.world.accountId, name);
  ctx.trail.resources.push({ type: 'AWS::IAM::Group', name, arn });
  ctx.authorize(action, arn);
  if (!group) throw new ApiError('NoSuchEntity', `The group with name ${name} cannot be found.`, 404);
  return group;
}

function profileOf(ctx: CallContext, p: QueryParams, action: string): InstanceProfile {
  const name = p.required('InstanceProfileName');
  const profile = ctx.world.instanceProfiles?.[name];
  const arn = profile?.arn ?? `arn:aws:iam::${ctx.world.accountId}:instance-profile/${name}`;
  ctx.trail.resources.push({ type: 'AWS::IAM::InstanceProfile', name, arn });
  ctx.authorize(action, arn);
  if (!profile) throw new ApiError('NoSuchEntity', `Instance Profile ${name} cannot be found.`, 404);
  return profile;
}

function profileXml(ctx: CallContext, ip: InstanceProfile, withTags: boolean): XmlNode[] {
  return [
    node('Path', ip.path), node('InstanceProfileName', ip.name), node('InstanceProfileId', ip.instanceProfileId), node('Arn', ip.arn), node('CreateDate', iso(ip.createDate)),
    node('Roles', items('member', ip.roles.map((r) => ctx.world.roles[r]).filter((r): r is Role => Boolean(r)), (r) => roleXml(r, false))),
    ...(withTags && Object.keys(ip.tags).length ? [node('Tags', tagNodes(ip.tags))] : []),
  ];
}

function oidcOf(ctx: CallContext, p: QueryParams, action: string): OidcProvider {
  const arn = p.required('OpenIDConnectProviderArn');
  ctx.trail.resources.push({ type: 'AWS::IAM::OIDCProvider', name: arn, arn });
  ctx.authorize(action, arn);
  const provider = ctx.world.oidcProviders?.[arn];
  if (!provider) throw new ApiError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`, 404);
  return provider;
}

const groupXml = (g: Group): XmlNode[] => [node('Path', g.path), node('GroupName', g.name), node('GroupId', g.groupId), node('Arn', g.arn), node('CreateDate', iso(g.createDate))];

const DETAIL_FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];

/** GetAccountAuthorizationDetails: one entity list (users, roles, then policies) paged by MaxItems. */
function authorizationDetails(ctx: CallContext, p: QueryParams): XmlNode[] {
  ctx.authorize('iam:GetAccountAuthorizationDetails', '*');
  const filters = p.list('Filter.member');
  for (const f of filters) {
    if (!DETAIL_FILTERS.includes(f)) throw validation(`1 validation error detected: Value '[${f}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${DETAIL_FILTERS.join(', ')}]]`);
  }
  const wants = (f: string): boolean => filters.length === 0 || filters.includes(f);
  const all: Detail[] = [
    ...(wants('User') ? Object.values(ctx.world.users).map((user): Detail => ({ kind: 'User', user })) : []),
    ...(wants('Group') ? Object.values(ctx.world.groups ?? {}).map((group): Detail => ({ kind: 'Group', group })) : []),
    ...(wants('Role') ? Object.values(ctx.world.roles).map((role): Detail => ({ kind: 'Role', role })) : []),
    ...Object.values(ctx.world.policies)
      .filter((mp) => (mp.arn.startsWith('arn:aws:iam::aws:') ? wants('AWSManagedPolicy') : wants('LocalManagedPolicy')))
      .map((policy): Detail => ({ kind: 'Policy', policy })),
  ];
  const { slice, marker } = page(all, p);
  const users = slice.flatMap((d) => (d.kind === 'User' ? [d.user] : []));
  const roles = slice.flatMap((d) => (d.kind === 'Role' ? [d.role] : []));
  const groups = slice.flatMap((d) => (d.kind === 'Group' ? [d.group] : []));
  const policies = slice.flatMap((d) => (d.kind === 'Policy' ? [d.policy] : []));
  return [
    node('UserDetailList', items('member', users, (u) => [
      node('Path', u.path), node('UserName', u.name), node('UserId', u.userId), node('Arn', u.arn), node('CreateDate', iso(u.createDate)),
      node('UserPolicyList', inlineXml(u.inlinePolicies)), node('GroupList', items('member', groupsOf(ctx, u.name), (g) => g.name)), node('AttachedManagedPolicies', attachedXml(ctx, u.attachedPolicies)),
      ...boundaryXml(u.permissionsBoundary), node('Tags', tagNodes(u.tags)),
    ])),
    node('GroupDetailList', items('member', groups, (g) => [
      ...groupXml(g), node('GroupPolicyList', inlineXml(g.inlinePolicies)), node('AttachedManagedPolicies', attachedXml(ctx, g.attachedPolicies)),
    ])),
    node('RoleDetailList', items('member', roles, (r) => [
      node('Path', r.path), node('RoleName', r.name), node('RoleId', r.roleId), node('Arn', r.arn), node('CreateDate', iso(r.createDate)),
      node('AssumeRolePolicyDocument', encodeURIComponent(r.trustPolicy)), node('InstanceProfileList', []),
      node('RolePolicyList', inlineXml(r.inlinePolicies)), node('AttachedManagedPolicies', attachedXml(ctx, r.attachedPolicies)),
      ...boundaryXml(r.permissionsBoundary), node('Tags', tagNodes(r.tags)), node('RoleLastUsed', []),
    ])),
    node('Policies', items('member', policies, (mp) => [
      ...policyXml(mp, attachmentCount(ctx, mp.arn)).filter((n) => n.name !== 'Tags'),
      node('PolicyVersionList', items('member', mp.versions, (v) => [
        node('Document', encodeURIComponent(v.document)), node('VersionId', v.versionId), node('IsDefaultVersion', v.versionId === mp.defaultVersionId), node('CreateDate', iso(v.createDate)),
      ])),
    ])),
    ...pageXml(marker),
  ];
}

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

export const iamOperations: Record<string, Handler> = {
  CreateRole(ctx, p) {
    const name = p.required('RoleName');
    checkName(name, 'roleName', 64);
    const path = p.get('Path') ?? '/';
    if (!PATH.test(path)) throw validation(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
    const arn = arns.role(ctx.world.accountId, name, path);
    ctx.trail.resources.push({ type: 'AWS::IAM::Role', name, arn });
    ctx.authorize('iam:CreateRole', arn);
    if (ctx.world.roles[name]) throw new ApiError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
    const trust = p.required('AssumeRolePolicyDocument');
    checkDocument(trust, 'resource');
    const max = p.int('MaxSessionDuration') ?? 3600;
    if (max < 3600 || max > 43200) throw validation(`1 validation error detected: Value '${max}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200`);
    const boundary = p.get('PermissionsBoundary');
    if (boundary) policyByArn(ctx, boundary);
    const role: Role = {
      name, roleId: iamId('AROA'), arn, path, createDate: ctx.now.toISOString(), description: p.get('Description'), trustPolicy: trust,
      maxSessionDuration: max, tags: tagsFrom(p), inlinePolicies: {}, attachedPolicies: [], permissionsBoundary: boundary,
    };
    ctx.world.roles[name] = role;
    ctx.trail.responseElements = { role: { path, roleName: name, roleId: role.roleId, arn, createDate: role.createDate } };
    return [node('Role', roleXml(role, true))];
  },
  GetRole(ctx, p) {
    return [node('Role', roleXml(roleOf(ctx, p, 'iam:GetRole'), true))];
  },
  ListRoles(ctx, p) {
    ctx.authorize('iam:ListRoles', '*');
    const prefix = p.get('PathPrefix') ?? '/';
    const { slice, marker } = page(Object.values(ctx.world.roles).filter((r) => r.path.startsWith(prefix)), p);
    return [node('Roles', items('member', slice, (r) => roleXml(r, false))), ...pageXml(marker)];
  },
  DeleteRole(ctx, p) {
    const role = roleOf(ctx, p, 'iam:DeleteRole');
    if (Object.keys(role.inlinePolicies).length || role.attachedPolicies.length) throw new ApiError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
    delete ctx.world.roles[role.name];
    return [];
  },
  UpdateRole(ctx, p) {
    const role = roleOf(ctx, p, 'iam:UpdateRole');
    const max = p.int('MaxSessionDuration');
    if (max !== undefined && (max < 3600 || max > 43200)) throw validation(`1 validation error detected: Value '${max}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200`);
    if (max !== undefined) role.maxSessionDuration = max;
    if (p.has('Description')) role.description = p.get('Description') || undefined;
    return [];
  },
  UpdateAssumeRolePolicy(ctx, p) {
    const role = roleOf(ctx, p, 'iam:UpdateAssumeRolePolicy');
    const doc = p.required('PolicyDocument');
    checkDocument(doc, 'resource');
    role.trustPolicy = doc;
    return [];
  },
  TagRole(ctx, p) {
    const role = roleOf(ctx, p, 'iam:TagRole');
    const tags = tagsFrom(p);
    if (Object.keys({ ...role.tags, ...tags }).length > 50) throw new ApiError('LimitExceeded', 'The number of tags has reached the maximum limit.', 409);
    Object.assign(role.tags, tags);
    return [];
  },
  UntagRole(ctx, p) {
    const role = roleOf(ctx, p, 'iam:UntagRole');
    for (const k of p.list('TagKeys.member')) delete role.tags[k];
    return [];
  },
  ListRoleTags(ctx, p) {
    const role = roleOf(ctx, p, 'iam:ListRoleTags');
    const { slice, marker } = page(Object.entries(role.tags), p);
    return [node('Tags', items('member', slice, ([k, v]) => [node('Key', k), node('Value', v)])), ...pageXml(marker)];
  },
  PutRolePolicy(ctx, p) {
    const role = roleOf(ctx, p, 'iam:PutRolePolicy');
    const name = p.required('PolicyName');
    checkName(name, 'policyName', 128);
    const doc = p.required('PolicyDocument');
    checkDocument(doc, 'identity');
    role.inlinePolicies[name] = doc;
    return [];
  },
  GetRolePolicy(ctx, p) {
    const role = roleOf(ctx, p, 'iam:GetRolePolicy');
    const name = p.required('PolicyName');
    const doc = role.inlinePolicies[name];
    if (doc === undefined) throw new ApiError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
    return [node('RoleName', role.name), node('PolicyName', name), node('PolicyDocument', encodeURIComponent(doc))];
  },
  DeleteRolePolicy(ctx, p) {
    const role = roleOf(ctx, p, 'iam:DeleteRolePolicy');
    const name = p.required('PolicyName');
    if (role.inlinePolicies[name] === undefined) throw new ApiError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
    delete role.inlinePolicies[name];
    return [];
  },
  ListRolePolicies(ctx, p) {
    const role = roleOf(ctx, p, 'iam:ListRolePolicies');
    const { slice, marker } = page(Object.keys(role.inlinePolicies), p);
    return [node('PolicyNames', items('member', slice, (n) => n)), ...pageXml(marker)];
  },
  AttachRolePolicy(ctx, p) {
    const role = roleOf(ctx, p, 'iam:AttachRolePolicy');
    const mp = policyByArn(ctx, p.required('PolicyArn'));
    if (!role.attachedPolicies.includes(mp.arn)) role.attachedPolicies.push(mp.arn);
    return [];
  },
  DetachRolePolicy(ctx, p) {
    const role = roleOf(ctx, p, 'iam:DetachRolePolicy');
    const arn = p.required('PolicyArn');
    if (!role.attachedPolicies.includes(arn)) throw new ApiError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
    role.attachedPolicies = role.attachedPolicies.filter((a) => a !== arn);
    return [];
  },
  ListAttachedRolePolicies(ctx, p) {
    const role = roleOf(ctx, p, 'iam:ListAttachedRolePolicies');
    const { slice, marker } = page(role.attachedPolicies, p);
    return [node('AttachedPolicies', items('member', slice, (arn) => [node('PolicyName', ctx.world.policies[arn]?.name ?? arn.split('/').pop()), node('PolicyArn', arn)])), ...pageXml(marker)];
  },
  PutRolePermissionsBoundary(ctx, p) {
    const role = roleOf(ctx, p, 'iam:PutRolePermissionsBoundary');
    role.permissionsBoundary = policyByArn(ctx, p.required('PermissionsBoundary')).arn;
    return [];
  },
  DeleteRolePermissionsBoundary(ctx, p) {
    const role = roleOf(ctx, p, 'iam:DeleteRolePermissionsBoundary');
    if (!role.permissionsBoundary) throw new ApiError('NoSuchEntity', `The role with name ${role.name} does not have a permissions boundary.`, 404);
    role.permissionsBoundary = undefined;
    return [];
  },
  CreatePolicy(ctx, p) {
    const name = p.required('PolicyName');
    checkName(name, 'policyName', 128);
    const path = p.get('Path') ?? '/';
    const arn = arns.policy(ctx.world.accountId, name, path);
    ctx.trail.resources.push({ type: 'AWS::IAM::Policy', name: arn, arn });
    ctx.authorize('iam:CreatePolicy', arn);
    if (ctx.world.policies[arn]) throw new ApiError('EntityAlreadyExists', `A policy called ${name} already exists. Duplicate names are not allowed.`, 409);
    const doc = p.required('PolicyDocument');
    checkDocument(doc, 'identity');
    const now = ctx.now.toISOString();
    const mp: ManagedPolicy = {
      arn, name, policyId: iamId('ANPA'), path, description: p.get('Description'), createDate: now, updateDate: now,
      defaultVersionId: 'v1', versions: [{ versionId: 'v1', document: doc, createDate: now }], tags: tagsFrom(p),
    };
    ctx.world.policies[arn] = mp;
    return [node('Policy', policyXml(mp, 0))];
  },
  GetPolicy(ctx, p) {
    const arn = p.required('PolicyArn');
    ctx.authorize('iam:GetPolicy', arn);
    return [node('Policy', policyXml(policyByArn(ctx, arn), attachmentCount(ctx, arn)))];
  },
  GetPolicyVersion(ctx, p) {
    const arn = p.required('PolicyArn');
    ctx.authorize('iam:GetPolicyVersion', arn);
    const mp = policyByArn(ctx, arn);
    const id = p.required('VersionId');
    const v = mp.versions.find((x) => x.versionId === id);
    if (!v) throw new ApiError('NoSuchEntity', `Policy ${arn} version ${id} does not exist or is not attachable.`, 404);
    return [node('PolicyVersion', [node('Document', encodeURIComponent(v.document)), node('VersionId', v.versionId), node('IsDefaultVersion', v.versionId === mp.defaultVersionId), node('CreateDate', iso(v.createDate))])];
  },
  CreatePolicyVersion(ctx, p) {
    const arn = p.required('PolicyArn');
    ctx.trail.resources.push({ type: 'AWS::IAM::Policy', name: arn, arn });
    ctx.authorize('iam:CreatePolicyVersion', arn);
    const mp = policyByArn(ctx, arn);
    const doc = p.required('PolicyDocument');
    checkDocument(doc, 'identity');
    if (mp.versions.length >= 5) throw new ApiError('LimitExceeded', `A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.`, 409);
    const next = Math.max(...mp.versions.map((v) => Number(v.versionId.slice(1)))) + 1;
    const version = { versionId: `v${next}`, document: doc, createDate: ctx.now.toISOString() };
    mp.versions.push(version);
    if (p.bool('SetAsDefault')) mp.defaultVersionId = version.versionId;
    mp.updateDate = version.createDate;
    return [node('PolicyVersion', [node('VersionId', version.versionId), node('IsDefaultVersion', mp.defaultVersionId === version.versionId), node('CreateDate', iso(version.createDate))])];
  },
  ListPolicies(ctx, p) {
    ctx.authorize('iam:ListPolicies', '*');
    const scope = p.get('Scope') ?? 'All';
    const onlyAttached = p.bool('OnlyAttached') ?? false;
    const list = Object.values(ctx.world.policies).filter((mp) => {
      const aws = mp.arn.startsWith('arn:aws:iam::aws:');
      if ((scope === 'Local' && aws) || (scope === 'AWS' && !aws)) return false;
      return !onlyAttached || attachmentCount(ctx, mp.arn) > 0;
    });
    const { slice, marker } = page(list, p);
    return [node('Policies', items('member', slice, (mp) => policyXml(mp, attachmentCount(ctx, mp.arn)))), ...pageXml(marker)];
  },
  GetAccountAuthorizationDetails: authorizationDetails,
  CreateUser(ctx, p) {
    const name = p.required('UserName');
    checkName(name, 'userName', 64);
    const path = p.get('Path') ?? '/';
    if (!PATH.test(path)) throw validation(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
    const arn = arns.user(ctx.world.accountId, name, path);
    ctx.trail.resources.push({ type: 'AWS::IAM::User', name, arn });
    ctx.authorize('iam:CreateUser', arn);
    if (ctx.world.users[name]) throw new ApiError('EntityAlreadyExists', `User with name ${name} already exists.`, 409);
    const boundary = p.get('PermissionsBoundary');
    if (boundary) policyByArn(ctx, boundary);
    const user: User = {
      name, userId: iamId('AIDA'), arn, path, createDate: ctx.now.toISOString(), tags: tagsFrom(p), inlinePolicies: {}, attachedPolicies: [], permissionsBoundary: boundary,
    };
    ctx.world.users[name] = user;
    return [node('User', userXml(user))];
  },
  UpdateUser(ctx, p) {
    const user = userOf(ctx, p, 'iam:UpdateUser');
    const path = p.get('NewPath');
    if (path !== undefined) {
      if (!PATH.test(path)) throw validation(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
      user.path = path;
      user.arn = arns.user(ctx.world.accountId, user.name, path);
    }
    if (p.has('NewUserName')) throw new ApiError('NotImplemented', 'Renaming users is not supported by the sandbox.', 501);
    return [];
  },
  TagUser(ctx, p) {
    const user = userOf(ctx, p, 'iam:TagUser');
    const tags = tagsFrom(p);
    if (Object.keys({ ...user.tags, ...tags }).length > 50) throw new ApiError('LimitExceeded', 'The number of tags has reached the maximum limit.', 409);
    Object.assign(user.tags, tags);
    return [];
  },
  UntagUser(ctx, p) {
    const user = userOf(ctx, p, 'iam:UntagUser');
    for (const k of p.list('TagKeys.member')) delete user.tags[k];
    return [];
  },
  PutUserPermissionsBoundary(ctx, p) {
    const user = userOf(ctx, p, 'iam:PutUserPermissionsBoundary');
    user.permissionsBoundary = policyByArn(ctx, p.required('PermissionsBoundary')).arn;
    return [];
  },
  DeleteUserPermissionsBoundary(ctx, p) {
    const user = userOf(ctx, p, 'iam:DeleteUserPermissionsBoundary');
    if (!user.permissionsBoundary) throw new ApiError('NoSuchEntity', `The user with name ${user.name} does not have a permissions boundary.`, 404);
    user.permissionsBoundary = undefined;
    return [];
  },
  PutUserPolicy(ctx, p) {
    const user = userOf(ctx, p, 'iam:PutUserPolicy');
    const name = p.required('PolicyName');
    checkName(name, 'policyName', 128);
    const doc = p.required('PolicyDocument');
    checkDocument(doc, 'identity');
    user.inlinePolicies[name] = doc;
    return [];
  },
  GetUserPolicy(ctx, p) {
    const user = userOf(ctx, p, 'iam:GetUserPolicy');
    const name = p.required('PolicyName');
    const doc = user.inlinePolicies[name];
    if (doc === undefined) throw new ApiError('NoSuchEntity', `The user policy with name ${name} cannot be found.`, 404);
    return [node('UserName', user.name), node('PolicyName', name), node('PolicyDocument', encodeURIComponent(doc))];
  },
  DeleteUserPolicy(ctx, p) {
    const user = userOf(ctx, p, 'iam:DeleteUserPolicy');
    const name = p.required('PolicyName');
    if (user.inlinePolicies[name] === undefined) throw new ApiError('NoSuchEntity', `The user policy with name ${name} cannot be found.`, 404);
    delete user.inlinePolicies[name];
    return [];
  },
  AttachUserPolicy(ctx, p) {
    const user = userOf(ctx, p, 'iam:AttachUserPolicy');
    const mp = policyByArn(ctx, p.required('PolicyArn'));
    if (!user.attachedPolicies.includes(mp.arn)) user.attachedPolicies.push(mp.arn);
    return [];
  },
  DetachUserPolicy(ctx, p) {
    const user = userOf(ctx, p, 'iam:DetachUserPolicy');
    const arn = p.required('PolicyArn');
    if (!user.attachedPolicies.includes(arn)) throw new ApiError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
    user.attachedPolicies = user.attachedPolicies.filter((a) => a !== arn);
    return [];
  },
  DeletePolicyVersion(ctx, p) {
    const arn = p.required('PolicyArn');
    ctx.trail.resources.push({ type: 'AWS::IAM::Policy', name: arn, arn });
    ctx.authorize('iam:DeletePolicyVersion', arn);
    const mp = policyByArn(ctx, arn);
    const id = p.required('VersionId');
    if (!mp.versions.some((v) => v.versionId === id)) throw new ApiError('NoSuchEntity', `Policy ${arn} version ${id} does not exist or is not attachable.`, 404);
    if (id === mp.defaultVersionId) throw new ApiError('DeleteConflict', 'Cannot delete the default version of a policy.', 409);
    mp.versions = mp.versions.filter((v) => v.versionId !== id);
    return [];
  },
  ListPolicyVersions(ctx, p) {
    const arn = p.required('PolicyArn');
    ctx.authorize('iam:ListPolicyVersions', arn);
    const mp = policyByArn(ctx, arn);
    const { slice, marker } = page([...mp.versions].reverse(), p);
    return [node('Versions', items('member', slice, (v) => [node('VersionId', v.versionId), node('IsDefaultVersion', v.versionId === mp.defaultVersionId), node('CreateDate', iso(v.createDate))])), ...pageXml(marker)];
  },
  CreateGroup(ctx, p) {
    const name = p.required('GroupName');
    checkName(name, 'groupName', 128);
    const path = p.get('Path') ?? '/';
    if (!PATH.test(path)) throw validation(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
    const arn = arns.group(ctx.world.accountId, name, path);
    ctx.trail.resources.push({ type: 'AWS::IAM::Group', name, arn });
    ctx.authorize('iam:CreateGroup', arn);
    const all = (ctx.world.groups ??= {});
    if (all[name]) throw new ApiError('EntityAlreadyExists', `Group with name ${name} already exists.`, 409);
    const group: Group = { name, groupId: iamId('AGPA'), arn, path, createDate: ctx.now.toISOString(), inlinePolicies: {}, attachedPolicies: [], members: [] };
    all[name] = group;
    return [node('Group', groupXml(group))];
  },
  GetGroup(ctx, p) {
    const group = groupOf(ctx, p, 'iam:GetGroup');
    const members = group.members.map((n) => ctx.world.users[n]).filter((u): u is User => Boolean(u));
    const { slice, marker } = page(members, p);
    return [node('Group', groupXml(group)), node('Users', items('member', slice, userXml)), ...pageXml(marker)];
  },
  UpdateGroup(ctx, p) {
    const group = groupOf(ctx, p, 'iam:UpdateGroup');
    const path = p.get('NewPath');
    if (path !== undefined) {
      if (!PATH.test(path)) throw validation(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
      group.path = path;
      group.arn = arns.group(ctx.world.accountId, group.name, path);
    }
    if (p.has('NewGroupName')) throw new ApiError('NotImplemented', 'Renaming groups is not supported by the sandbox.', 501);
    return [];
  },
  AddUserToGroup(ctx, p) {
    const group = groupOf(ctx, p, 'iam:AddUserToGroup');
    const user = p.required('UserName');
    if (!ctx.world.users[user]) throw new ApiError('NoSuchEntity', `The user with name ${user} cannot be found.`, 404);
    if (!group.members.includes(user)) group.members.push(user);
    return [];
  },
  RemoveUserFromGroup(ctx, p) {
    const group = groupOf(ctx, p, 'iam:RemoveUserFromGroup');
    const user = p.required('UserName');
    if (!group.members.includes(user)) throw new ApiError('NoSuchEntity', `The user with name ${user} cannot be found.`, 404);
    group.members = group.members.filter((u) => u !== user);
    return [];
  },
  ListGroupsForUser(ctx, p) {
    const user = userOf(ctx, p, 'iam:ListGroupsForUser');
    const { slice, marker } = page(groupsOf(ctx, user.name), p);
    return [node('Groups', items('member', slice, groupXml)), ...pageXml(marker)];
  },
  PutGroupPolicy(ctx, p) {
    const group = groupOf(ctx, p, 'iam:PutGroupPolicy');
    const name = p.required('PolicyName');
    checkName(name, 'policyName', 128);
    const doc = p.required('PolicyDocument');
    checkDocument(doc, 'identity');
    group.inlinePolicies[name] = doc;
    return [];
  },
  DeleteGroupPolicy(ctx, p) {
    const group = groupOf(ctx, p, 'iam:DeleteGroupPolicy');
    const name = p.required('PolicyName');
    if (group.inlinePolicies[name] === undefined) throw new ApiError('NoSuchEntity', `The group policy with name ${name} cannot be found.`, 404);
    delete group.inlinePolicies[name];
    return [];
  },
  AttachGroupPolicy(ctx, p) {
    const group = groupOf(ctx, p, 'iam:AttachGroupPolicy');
    const mp = policyByArn(ctx, p.required('PolicyArn'));
    if (!group.attachedPolicies.includes(mp.arn)) group.attachedPolicies.push(mp.arn);
    return [];
  },
  DetachGroupPolicy(ctx, p) {
    const group = groupOf(ctx, p, 'iam:DetachGroupPolicy');
    const arn = p.required('PolicyArn');
    if (!group.attachedPolicies.includes(arn)) throw new ApiError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
    group.attachedPolicies = group.attachedPolicies.filter((a) => a !== arn);
    return [];
  },
  CreateAccessKey(ctx, p) {
    const user = userOf(ctx, p, 'iam:CreateAccessKey');
    const mine = Object.values(ctx.world.accessKeys).filter((k) => k.userName === user.name);
    if (mine.length >= 2) throw new ApiError('LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2', 409);
    const key = { accessKeyId: iamId('AKIA'), secretAccessKey: secretKey(), userName: user.name, status: 'Active' as const, createDate: ctx.now.toISOString() };
    ctx.world.accessKeys[key.accessKeyId] = key;
    // CloudTrail never records the secret.
    ctx.trail.responseElements = { accessKey: { userName: user.name, accessKeyId: key.accessKeyId, status: key.status, createDate: key.createDate } };
    return [node('AccessKey', [node('UserName', user.name), node('AccessKeyId', key.accessKeyId), node('Status', key.status), node('SecretAccessKey', key.secretAccessKey), node('CreateDate', iso(key.createDate))])];
  },
  ListAccessKeys(ctx, p) {
    const name = p.get('UserName') ?? (ctx.principal.kind === 'user' ? ctx.principal.user!.name : undefined);
    if (!name) throw validation('Must specify userName when calling with non-User credentials');
    const user = ctx.world.users[name];
    ctx.authorize('iam:ListAccessKeys', user?.arn ?? arns.user(ctx.world.accountId, name));
    if (!user) throw noSuchUser(name);
    const { slice, marker } = page(Object.values(ctx.world.accessKeys).filter((k) => k.userName === name), p);
    return [node('AccessKeyMetadata', items('member', slice, (k) => [node('UserName', k.userName), node('AccessKeyId', k.accessKeyId), node('Status', k.status), node('CreateDate', iso(k.createDate))])), ...pageXml(marker)];
  },
  UpdateAccessKey(ctx, p) {
    const user = userOf(ctx, p, 'iam:UpdateAccessKey');
    const id = p.required('AccessKeyId');
    const key = ctx.world.accessKeys[id];
    if (!key || key.userName !== user.name) throw new ApiError('NoSuchEntity', `The Access Key with id ${id} cannot be found.`, 404);
    const status = p.required('Status');
    if (status !== 'Active' && status !== 'Inactive') throw validation(`1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
    key.status = status;
    return [];
  },
  CreateInstanceProfile(ctx, p) {
    const name = p.required('InstanceProfileName');
    checkName(name, 'instanceProfileName', 128);
    const path = p.get('Path') ?? '/';
    if (!PATH.test(path)) throw validation(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
    const arn = `arn:aws:iam::${ctx.world.accountId}:instance-profile${path}${name}`;
    ctx.trail.resources.push({ type: 'AWS::IAM::InstanceProfile', name, arn });
    ctx.authorize('iam:CreateInstanceProfile', arn);
    const all = (ctx.world.instanceProfiles ??= {});
    if (all[name]) throw new ApiError('EntityAlreadyExists', `Instance Profile ${name} already exists.`, 409);
    const ip: InstanceProfile = { name, instanceProfileId: iamId('AIPA'), arn, path, createDate: ctx.now.toISOString(), roles: [], tags: tagsFrom(p) };
    all[name] = ip;
    return [node('InstanceProfile', profileXml(ctx, ip, true))];
  },
  GetInstanceProfile(ctx, p) {
    return [node('InstanceProfile', profileXml(ctx, profileOf(ctx, p, 'iam:GetInstanceProfile'), true))];
  },
  ListInstanceProfiles(ctx, p) {
    ctx.authorize('iam:ListInstanceProfiles', '*');
    const prefix = p.get('PathPrefix') ?? '/';
    const { slice, marker } = page(Object.values(ctx.world.instanceProfiles ?? {}).filter((ip) => ip.path.startsWith(prefix)), p);
    // Like AWS, the listing omits tags.
    return [node('InstanceProfiles', items('member', slice, (ip) => profileXml(ctx, ip, false))), ...pageXml(marker)];
  },
  AddRoleToInstanceProfile(ctx, p) {
    const ip = profileOf(ctx, p, 'iam:AddRoleToInstanceProfile');
    const role = p.required('RoleName');
    if (!ctx.world.roles[role]) throw noSuchRole(role);
    if (ip.roles.length >= 1) throw new ApiError('LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1', 409);
    ip.roles.push(role);
    return [];
  },
  RemoveRoleFromInstanceProfile(ctx, p) {
    const ip = profileOf(ctx, p, 'iam:RemoveRoleFromInstanceProfile');
    const role = p.required('RoleName');
    if (!ip.roles.includes(role)) throw noSuchRole(role);
    ip.roles = ip.roles.filter((r) => r !== role);
    return [];
  },
  CreateOpenIDConnectProvider(ctx, p) {
    const raw = p.required('Url');
    if (!/^https:\/\/[^\s/]+/.test(raw)) throw validation('Invalid URL: it must begin with https://');
    const url = raw.replace(/^https:\/\//, '').replace(/\/$/, '');
    const arn = `arn:aws:iam::${ctx.world.accountId}:oidc-provider/${url}`;
    ctx.trail.resources.push({ type: 'AWS::IAM::OIDCProvider', name: arn, arn });
    ctx.authorize('iam:CreateOpenIDConnectProvider', arn);
    const all = (ctx.world.oidcProviders ??= {});
    if (all[arn]) throw new ApiError('EntityAlreadyExists', `Provider with url ${raw} already exists.`, 409);
    const thumbprints = p.list('ThumbprintList.member');
    if (thumbprints.some((t) => !/^[0-9a-fA-F]{40}$/.test(t))) throw validation('Thumbprints must be 40 hexadecimal characters.');
    all[arn] = { url, arn, clientIds: p.list('ClientIDList.member'), thumbprints, createDate: ctx.now.toISOString(), tags: tagsFrom(p) };
    return [node('OpenIDConnectProviderArn', arn)];
  },
  GetOpenIDConnectProvider(ctx, p) {
    const o = oidcOf(ctx, p, 'iam:GetOpenIDConnectProvider');
    return [
      node('Url', o.url), node('ClientIDList', items('member', o.clientIds, (c) => c)), node('ThumbprintList', items('member', o.thumbprints, (t) => t)),
      node('CreateDate', iso(o.createDate)), ...(Object.keys(o.tags).length ? [node('Tags', tagNodes(o.tags))] : []),
    ];
  },
  ListOpenIDConnectProviders(ctx) {
    ctx.authorize('iam:ListOpenIDConnectProviders', '*');
    return [node('OpenIDConnectProviderList', items('member', Object.keys(ctx.world.oidcProviders ?? {}), (arn) => [node('Arn', arn)]))];
  },
  AddClientIDToOpenIDConnectProvider(ctx, p) {
    const o = oidcOf(ctx, p, 'iam:AddClientIDToOpenIDConnectProvider');
    const id = p.required('ClientID');
    if (!o.clientIds.includes(id)) o.clientIds.push(id);
    return [];
  },
  RemoveClientIDFromOpenIDConnectProvider(ctx, p) {
    const o = oidcOf(ctx, p, 'iam:RemoveClientIDFromOpenIDConnectProvider');
    const id = p.required('ClientID');
    o.clientIds = o.clientIds.filter((c) => c !== id);
    return [];
  },
  UpdateOpenIDConnectProviderThumbprint(ctx, p) {
    const o = oidcOf(ctx, p, 'iam:UpdateOpenIDConnectProviderThumbprint');
    const list = p.list('ThumbprintList.member');
    if (list.some((t) => !/^[0-9a-fA-F]{40}$/.test(t))) throw validation('Thumbprints must be 40 hexadecimal characters.');
    o.thumbprints = list;
    return [];
  },
  TagOpenIDConnectProvider(ctx, p) {
    const o = oidcOf(ctx, p, 'iam:TagOpenIDConnectProvider');
    Object.assign(o.tags, tagsFrom(p));
    return [];
  },
  UntagOpenIDConnectProvider(ctx, p) {
    const o = oidcOf(ctx, p, 'iam:UntagOpenIDConnectProvider');
    for (const k of p.list('TagKeys.member')) delete o.tags[k];
    return [];
  },
  GetUser(ctx, p) {
    const name = p.get('UserName') ?? (ctx.principal.kind === 'user' ? ctx.principal.user!.name : undefined);
    if (!name) throw validation('Must specify userName when calling with non-User credentials');
    const user = ctx.world.users[name];
    const arn = user?.arn ?? arns.user(ctx.world.accountId, name);
    ctx.authorize('iam:GetUser', arn);
    if (!user) throw new ApiError('NoSuchEntity', `The user with name ${name} cannot be found.`, 404);
    return [node('User', [
      node('Path', user.path), node('UserName', user.name), node('UserId', user.userId), node('Arn', user.arn), node('CreateDate', iso(user.createDate)),
      ...(Object.keys(user.tags).length ? [node('Tags', tagNodes(user.tags))] : []),
    ])];
  },
};
