// IAM read through GetAccountAuthorizationDetails: users, roles and customer managed policies with
// every inline policy, attachment, boundary and tag, up to 1,000 entities per call, instead of one
// GetRole/GetRolePolicy/... per object. GAAD omits two role settings (description and maximum
// session duration); ListRoles supplies them, also 1,000 per page, only when a role type asks.
import {
  GetAccountAuthorizationDetailsCommand, GroupDetail, InstanceProfile, ListInstanceProfilesCommand, ListRolesCommand, ManagedPolicyDetail, Role, RoleDetail, UserDetail,
} from '@aws-sdk/client-iam';
import type { LiveEntry } from '../../drift/snapshot';
import { failureText, unknownEntry } from '../types/common';
import type { ReadContext, ReadTarget } from '../types/resource-type';
import { FamilyKey, FamilyRows, member, MemberSpec, ReadFamily } from './family';

/** What a member asks the family to read. */
export type IamKind = 'Role' | 'User' | 'Group' | 'LocalManagedPolicy' | 'RoleSettings' | 'InstanceProfiles';

/** Entities per call (the API's maximum). */
export const IAM_PAGE = 1000;

/** The account's IAM entities as read once for the whole check. */
export interface IamAccount {
  roles: Map<string, RoleDetail>;
  users: Map<string, UserDetail>;
  groups: Map<string, GroupDetail>;
  /** Customer managed policies by ARN. */
  policies: Map<string, ManagedPolicyDetail>;
  /** ListRoles entries by name (description, maximum session duration). */
  roleSettings: Map<string, Role>;
  /** ListInstanceProfiles entries by name (GAAD lists only profiles that hold a role). */
  instanceProfiles: Map<string, InstanceProfile>;
}

const GAAD_KINDS: IamKind[] = ['Role', 'User', 'Group', 'LocalManagedPolicy'];

async function authorizationDetails(ctx: ReadContext, filters: IamKind[], account: IamAccount): Promise<void> {
  let marker: string | undefined;
  do {
    const out = await ctx.clients.gate.call('iam:GetAccountAuthorizationDetails', () =>
      ctx.clients.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: filters as never[], MaxItems: IAM_PAGE, Marker: marker })));
    for (const r of out.RoleDetailList ?? []) if (r.RoleName) account.roles.set(r.RoleName, r);
    for (const u of out.UserDetailList ?? []) if (u.UserName) account.users.set(u.UserName, u);
    for (const g of out.GroupDetailList ?? []) if (g.GroupName) account.groups.set(g.GroupName, g);
    for (const p of out.Policies ?? []) if (p.Arn) account.policies.set(p.Arn, p);
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
}

async function listRoles(ctx: ReadContext, account: IamAccount): Promise<void> {
  let marker: string | undefined;
  do {
    const out = await ctx.clients.gate.call('iam:ListRoles', () => ctx.clients.iam.send(new ListRolesCommand({ MaxItems: IAM_PAGE, Marker: marker })));
    for (const r of out.Roles ?? []) if (r.RoleName) account.roleSettings.set(r.RoleName, r);
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
}

async function listInstanceProfiles(ctx: ReadContext, account: IamAccount): Promise<void> {
  let marker: string | undefined;
  do {
    const out = await ctx.clients.gate.call('iam:ListInstanceProfiles', () => ctx.clients.iam.send(new ListInstanceProfilesCommand({ MaxItems: IAM_PAGE, Marker: marker })));
    for (const p of out.InstanceProfiles ?? []) if (p.InstanceProfileName) account.instanceProfiles.set(p.InstanceProfileName, p);
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
}

export const iamFamily: ReadFamily<IamAccount> = {
  name: 'iam:GetAccountAuthorizationDetails',
  async load(keys, ctx) {
    const kinds = new Set(keys.map((k) => k.filter as IamKind));
    const account: IamAccount = { roles: new Map(), users: new Map(), groups: new Map(), policies: new Map(), roleSettings: new Map(), instanceProfiles: new Map() };
    const failed = new Map<string, string>();
    const gaad = GAAD_KINDS.filter((k) => kinds.has(k));
    await Promise.all([
      gaad.length
        ? authorizationDetails(ctx, gaad, account).catch((error) => { for (const k of gaad) failed.set(k, failureText(error)); })
        : undefined,
      kinds.has('RoleSettings')
        ? listRoles(ctx, account).catch((error) => { failed.set('RoleSettings', failureText(error)); })
        : undefined,
      kinds.has('InstanceProfiles')
        ? listInstanceProfiles(ctx, account).catch((error) => { failed.set('InstanceProfiles', failureText(error)); })
        : undefined,
    ]);
    return {
      lookup(key) {
        const failure = failed.get(key.filter);
        if (failure) return { failure };
        if (!kinds.has(key.filter as IamKind)) return { failure: `iam:GetAccountAuthorizationDetails was not planned for ${key.filter}` };
        return { items: [account] };
      },
    };
  },
};

export const iamKey = (kind: IamKind): FamilyKey => ({ filter: kind, value: '*' });

/**
 * A member of the IAM family: it names the kinds it needs and picks from the account read once;
 * a failed read of any needed kind makes the target unknown.
 */
export function iamMember(kinds: IamKind[], pick: (t: ReadTarget, account: IamAccount, ctx: ReadContext) => LiveEntry) {
  const spec: MemberSpec<IamAccount> = {
    keys: () => kinds.map(iamKey),
    pick(t, rows: FamilyRows<IamAccount>, ctx) {
      let account: IamAccount | undefined;
      for (const k of kinds) {
        const found = rows.lookup(iamKey(k));
        if ('failure' in found) return unknownEntry(ctx, found.failure);
        account = found.items[0];
      }
      if (!account) return unknownEntry(ctx, 'IAM was not read');
      return pick(t, account, ctx);
    },
  };
  return member(iamFamily, spec);
}

/** IAM returns policy documents URL-encoded. */
export function decodePolicy(doc: string | undefined): string | null {
  if (doc === undefined) return null;
  try {
    return decodeURIComponent(doc);
  } catch {
    return doc;
  }
}

/** `owner:name` ids of inline policies (aws_iam_role_policy, aws_iam_user_policy). */
export function splitPair(id: string, sep = ':'): [string, string] | undefined {
  const at = id.indexOf(sep);
  return at > 0 ? [id.slice(0, at), id.slice(at + sep.length)] : undefined;
}

/** Managed policies whose unrequested attachment is an error, not a warning: they grant (nearly) everything. */
const ALL_POWERFUL = new Set(['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/IAMFullAccess', 'arn:aws:iam::aws:policy/PowerUserAccess']);

export function attachmentSeverity(policyArn: string): 'error' | 'warning' {
  return ALL_POWERFUL.has(policyArn) ? 'error' : 'warning';
}
