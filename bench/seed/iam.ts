// IAM principals and what hangs off them, created through the IAM API: a user with an inline
// policy, a managed-policy attachment, an access key and a group membership of its own; two groups
// (one with an exclusive membership list, one with an inline policy and an attachment); a policy
// attached exclusively (aws_iam_policy_attachment); an instance profile on a role; an OIDC provider.
// Every object a managed container holds is declared, so nothing reads as unmanaged.
import {
  AddRoleToInstanceProfileCommand, AddUserToGroupCommand, AttachGroupPolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand,
  CreateInstanceProfileCommand, CreateOpenIDConnectProviderCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient,
  PutGroupPolicyCommand, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { clientFor, DEFAULT_TAGS, hclValue, type SeededBlock, type Seeder, type SeedTarget } from './seeder';
import { awsName, block, label, q, tagSet } from './hcl-text';
import { tagList } from './block-text';

const TYPES = [
  'aws_iam_user', 'aws_iam_group', 'aws_iam_policy', 'aws_iam_role', 'aws_iam_user_policy', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy',
  'aws_iam_group_policy_attachment', 'aws_iam_group_membership', 'aws_iam_user_group_membership', 'aws_iam_policy_attachment', 'aws_iam_instance_profile',
  'aws_iam_openid_connect_provider', 'aws_iam_access_key',
] as const;

const THUMBPRINT = '990f4193972f2becf12ddeda5237f9c952f20d9e';
const document = (actions: string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
const jsonencode = (v: unknown) => `jsonencode(${hclValue(v, '  ')})`;
/** The id the provider gives attachments and user group memberships: a prefix and a 26-digit stamp. */
const stamp = (random: () => number) => `2024050109${String(Math.floor(random() * 1e15)).padStart(16, '0')}`;

async function seedUnit(target: SeedTarget, suffix: string, random: () => number): Promise<SeededBlock[]> {
  const iam = clientFor(IAMClient, target);
  const account = target.account;
  const n = (prefix: string) => label(prefix, suffix);
  const user = awsName('bench-user', suffix);
  const owners = awsName('bench-owners', suffix);
  const readers = awsName('bench-readers', suffix);
  const roleName = awsName('bench-node', suffix);
  const profileName = awsName('bench-node-profile', suffix);
  const policyName = awsName('bench-deploy', suffix);
  const sharedName = awsName('bench-shared', suffix);
  const oidcUrl = `https://oidc.${awsName('bench', suffix)}.example.com`;
  const userTags = tagSet(user);
  const roleTags = tagSet(roleName);
  const oidcTags = tagSet(`oidc-${suffix}`);
  const deployDoc = document(['s3:GetObject', 's3:PutObject']);
  const sharedDoc = document(['sqs:SendMessage']);
  const userInline = document(['ec2:Describe*']);
  const groupInline = document(['logs:Get*']);
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  const policyArn = (await iam.send(new CreatePolicyCommand({ PolicyName: policyName, Description: 'Deploy access', PolicyDocument: JSON.stringify(deployDoc) }))).Policy!.Arn!;
  const sharedArn = (await iam.send(new CreatePolicyCommand({ PolicyName: sharedName, Description: 'Shared queue access', PolicyDocument: JSON.stringify(sharedDoc) }))).Policy!.Arn!;
  const created = await iam.send(new CreateUserCommand({ UserName: user, Tags: tagList(userTags.live) }));
  await iam.send(new PutUserPolicyCommand({ UserName: user, PolicyName: 'describe', PolicyDocument: JSON.stringify(userInline) }));
  await iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: policyArn }));
  await iam.send(new CreateGroupCommand({ GroupName: owners }));
  await iam.send(new CreateGroupCommand({ GroupName: readers }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: readers, PolicyName: 'logs', PolicyDocument: JSON.stringify(groupInline) }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: readers, PolicyArn: policyArn }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: owners, PolicyArn: sharedArn }));
  await iam.send(new AddUserToGroupCommand({ GroupName: owners, UserName: user }));
  await iam.send(new AddUserToGroupCommand({ GroupName: readers, UserName: user }));
  const role = await iam.send(new CreateRoleCommand({ RoleName: roleName, Description: 'Bench node', AssumeRolePolicyDocument: JSON.stringify(trust), Tags: tagList(roleTags.live) }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: profileName }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: profileName, RoleName: roleName }));
  const oidcArn = (await iam.send(new CreateOpenIDConnectProviderCommand({
    Url: oidcUrl, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: [THUMBPRINT], Tags: tagList(oidcTags.live),
  }))).OpenIDConnectProviderArn!;
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey!;

  const userRef = `aws_iam_user.${n('user')}`;
  return [
    {
      type: 'aws_iam_policy', name: n('deploy'),
      hcl: block('aws_iam_policy', n('deploy'), [`  name        = ${q(policyName)}`, '  description = "Deploy access"', `  policy      = ${jsonencode(deployDoc)}`]),
      attributes: {
        id: policyArn, arn: policyArn, name: policyName, name_prefix: '', path: '/', description: 'Deploy access', policy: JSON.stringify(deployDoc),
        policy_id: `ANPA${suffix.toUpperCase()}`, attachment_count: 2, tags: {}, tags_all: { ...DEFAULT_TAGS },
      },
    },
    {
      type: 'aws_iam_policy', name: n('shared'),
      hcl: block('aws_iam_policy', n('shared'), [`  name        = ${q(sharedName)}`, '  description = "Shared queue access"', `  policy      = ${jsonencode(sharedDoc)}`]),
      attributes: {
        id: sharedArn, arn: sharedArn, name: sharedName, name_prefix: '', path: '/', description: 'Shared queue access', policy: JSON.stringify(sharedDoc),
        policy_id: `ANPB${suffix.toUpperCase()}`, attachment_count: 1, tags: {}, tags_all: { ...DEFAULT_TAGS },
      },
    },
    {
      type: 'aws_iam_user', name: n('user'),
      hcl: block('aws_iam_user', n('user'), [`  name = ${q(user)}`, '', userTags.hcl]),
      attributes: {
        id: user, arn: created.User!.Arn!, name: user, path: '/', permissions_boundary: '', force_destroy: false, unique_id: created.User!.UserId!, ...userTags.state,
      },
    },
    {
      type: 'aws_iam_user_policy', name: n('user'),
      hcl: block('aws_iam_user_policy', n('user'), [`  name   = "describe"`, `  user   = ${userRef}.name`, `  policy = ${jsonencode(userInline)}`]),
      attributes: { id: `${user}:describe`, user, name: 'describe', name_prefix: '', policy: JSON.stringify(userInline) },
      dependencies: [userRef],
    },
    {
      type: 'aws_iam_user_policy_attachment', name: n('user'),
      hcl: block('aws_iam_user_policy_attachment', n('user'), [`  user       = ${userRef}.name`, `  policy_arn = aws_iam_policy.${n('deploy')}.arn`]),
      attributes: { id: `${user}-${stamp(random)}`, user, policy_arn: policyArn },
      dependencies: [`aws_iam_policy.${n('deploy')}`, userRef],
    },
    {
      type: 'aws_iam_access_key', name: n('user'),
      hcl: block('aws_iam_access_key', n('user'), [`  user = ${userRef}.name`]),
      // The secret stays in state only (Tidemark never reads it); the seeding process does not keep it either.
      attributes: { id: key.AccessKeyId!, user, status: 'Active', create_date: '2024-05-01T09:00:00Z', pgp_key: null, secret: '(in state only)', ses_smtp_password_v4: '(in state only)' },
      dependencies: [userRef],
    },
    {
      type: 'aws_iam_group', name: n('owners'),
      hcl: block('aws_iam_group', n('owners'), [`  name = ${q(owners)}`]),
      attributes: { id: owners, arn: `arn:aws:iam::${account}:group/${owners}`, name: owners, path: '/', unique_id: `AGPA${suffix.toUpperCase()}` },
    },
    {
      type: 'aws_iam_group', name: n('readers'),
      hcl: block('aws_iam_group', n('readers'), [`  name = ${q(readers)}`]),
      attributes: { id: readers, arn: `arn:aws:iam::${account}:group/${readers}`, name: readers, path: '/', unique_id: `AGPB${suffix.toUpperCase()}` },
    },
    {
      // Exclusive: the owners group has exactly these members.
      type: 'aws_iam_group_membership', name: n('owners'),
      hcl: block('aws_iam_group_membership', n('owners'), [`  name  = ${q(`${owners}-members`)}`, `  group = aws_iam_group.${n('owners')}.name`, `  users = [${userRef}.name]`]),
      attributes: { id: `${owners}-members`, name: `${owners}-members`, group: owners, users: [user] },
      dependencies: [`aws_iam_group.${n('owners')}`, userRef],
    },
    {
      // Non-exclusive: the user is (at least) in the readers group.
      type: 'aws_iam_user_group_membership', name: n('user'),
      hcl: block('aws_iam_user_group_membership', n('user'), [`  user   = ${userRef}.name`, `  groups = [aws_iam_group.${n('readers')}.name]`]),
      attributes: { id: `terraform-${stamp(random)}`, user, groups: [readers] },
      dependencies: [`aws_iam_group.${n('readers')}`, userRef],
    },
    {
      type: 'aws_iam_group_policy', name: n('readers'),
      hcl: block('aws_iam_group_policy', n('readers'), ['  name   = "logs"', `  group  = aws_iam_group.${n('readers')}.name`, `  policy = ${jsonencode(groupInline)}`]),
      attributes: { id: `${readers}:logs`, group: readers, name: 'logs', name_prefix: '', policy: JSON.stringify(groupInline) },
      dependencies: [`aws_iam_group.${n('readers')}`],
    },
    {
      type: 'aws_iam_group_policy_attachment', name: n('readers'),
      hcl: block('aws_iam_group_policy_attachment', n('readers'), [`  group      = aws_iam_group.${n('readers')}.name`, `  policy_arn = aws_iam_policy.${n('deploy')}.arn`]),
      attributes: { id: `${readers}-${stamp(random)}`, group: readers, policy_arn: policyArn },
      dependencies: [`aws_iam_group.${n('readers')}`, `aws_iam_policy.${n('deploy')}`],
    },
    {
      // Exclusive: the shared policy is attached to the owners group and nothing else.
      type: 'aws_iam_policy_attachment', name: n('shared'),
      hcl: block('aws_iam_policy_attachment', n('shared'), [`  name       = ${q(`${sharedName}-attachment`)}`, `  policy_arn = aws_iam_policy.${n('shared')}.arn`, `  groups     = [aws_iam_group.${n('owners')}.name]`]),
      attributes: { id: `${sharedName}-attachment`, name: `${sharedName}-attachment`, policy_arn: sharedArn, users: [], roles: [], groups: [owners] },
      dependencies: [`aws_iam_group.${n('owners')}`, `aws_iam_policy.${n('shared')}`],
    },
    {
      type: 'aws_iam_role', name: n('node'),
      hcl: block('aws_iam_role', n('node'), [`  name               = ${q(roleName)}`, '  description        = "Bench node"', `  assume_role_policy = ${jsonencode(trust)}`, '', roleTags.hcl]),
      attributes: {
        id: roleName, name: roleName, name_prefix: '', arn: role.Role!.Arn!, assume_role_policy: JSON.stringify(trust), description: 'Bench node', max_session_duration: 3600,
        path: '/', permissions_boundary: '', force_detach_policies: false, unique_id: role.Role!.RoleId!, create_date: '2024-05-01T09:00:00Z',
        inline_policy: [], managed_policy_arns: [], ...roleTags.state,
      },
    },
    {
      type: 'aws_iam_instance_profile', name: n('node'),
      hcl: block('aws_iam_instance_profile', n('node'), [`  name = ${q(profileName)}`, `  role = aws_iam_role.${n('node')}.name`]),
      attributes: {
        id: profileName, name: profileName, name_prefix: '', path: '/', role: roleName, arn: `arn:aws:iam::${account}:instance-profile/${profileName}`,
        unique_id: `AIPA${suffix.toUpperCase()}`, tags: {}, tags_all: { ...DEFAULT_TAGS },
      },
      dependencies: [`aws_iam_role.${n('node')}`],
    },
    {
      type: 'aws_iam_openid_connect_provider', name: n('oidc'),
      hcl: block('aws_iam_openid_connect_provider', n('oidc'), [`  url             = ${q(oidcUrl)}`, '  client_id_list  = ["sts.amazonaws.com"]', `  thumbprint_list = [${q(THUMBPRINT)}]`, '', oidcTags.hcl]),
      attributes: { id: oidcArn, arn: oidcArn, url: oidcUrl, client_id_list: ['sts.amazonaws.com'], thumbprint_list: [THUMBPRINT], ...oidcTags.state },
    },
  ];
}

export const iamSeeder: Seeder = {
  family: 'iam',
  types: TYPES,
  global: true,
  seedUnit,
  lowerBound(byType) {
    // Users, groups, policies, roles, inline policies, attachments, memberships and instance
    // profiles (in each role's InstanceProfileList) all come with GetAccountAuthorizationDetails,
    // which the generator's bound already counts. What it omits has no batch read:
    return {
      // ListOpenIDConnectProviders returns ARNs only: one GetOpenIDConnectProvider per provider.
      'iam:GetOpenIDConnectProvider': byType.aws_iam_openid_connect_provider ?? 0,
      // Access keys are listed per user (ListAccessKeys); each unit's user has one key.
      'iam:ListAccessKeys': byType.aws_iam_access_key ?? 0,
    };
  },
  readActions: ['iam:GetAccountAuthorizationDetails', 'iam:ListRoles', 'iam:ListInstanceProfiles', 'iam:ListAccessKeys', 'iam:GetOpenIDConnectProvider'],
};
