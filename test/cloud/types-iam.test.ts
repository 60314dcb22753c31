// IAM types through the GetAccountAuthorizationDetails family, against the sandbox with the real
// SDK: provider-shaped state matches untouched live objects; one live change per compared attribute
// is drift on that attribute; the type's writer reverts it; a fresh read is clean. And the family
// reads N roles with inline policies and attachments in ⌈N/page⌉ calls, not one per object.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand, AddClientIDToOpenIDConnectProviderCommand, AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand,
  CreateOpenIDConnectProviderCommand, RemoveRoleFromInstanceProfileCommand, CreateAccessKeyCommand, UpdateAccessKeyCommand, AttachGroupPolicyCommand, CreateGroupCommand, PutGroupPolicyCommand, RemoveUserFromGroupCommand, UpdateGroupCommand,
  AttachRolePolicyCommand, AttachUserPolicyCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand, CreateUserCommand,
  DetachRolePolicyCommand, IAMClient, PutRolePolicyCommand, PutUserPermissionsBoundaryCommand, PutUserPolicyCommand, TagRoleCommand,
  TagUserCommand, UpdateAssumeRolePolicyCommand, UpdateRoleCommand, UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { createClients, AwsClients } from '../../server/src/cloud/clients';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import { IAM_PAGE } from '../../server/src/cloud/families/iam';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { DEMO_SCENARIO, demoScenario, keyOf } from '../sandbox/helpers';
import { driftsOf, revertAll } from './type-check-helpers';
import { readLive } from '../support/type-suite';

const doc = (action: string, resource = '*') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });
const trust = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

let sandbox: SandboxHandle;
let iam: IAMClient;
let clients: AwsClients;
let policyArn: string;
let boundaryArn: string;
let sharedArn: string;
let accessKeyId: string;
let accessKeySecret: string;
let oidcArn: string;
const THUMB = '990f4193972f2becf12ddeda5237f9c952f20d9e';

function inst(type: string, name: string, attributes: Record<string, unknown>): StateInstance {
  return { address: `${type}.${name}`, resourceAddress: `${type}.${name}`, type, name, module: '', attributes };
}

/** State as the AWS provider v5 writes it after apply: computed attributes and defaults present. */
function state(): StateInstance[] {
  const account = sandbox.accountId;
  return [
    inst('aws_iam_policy', 'app', {
      id: policyArn, arn: policyArn, name: 'tm-app', name_prefix: '', path: '/', description: 'app access',
      // Keys in another order and a one-element Action list: semantically the same document.
      policy: JSON.stringify({ Statement: [{ Resource: '*', Action: ['s3:GetObject'], Effect: 'Allow' }], Version: '2012-10-17' }),
      policy_id: 'ANPA', tags: {}, tags_all: {}, attachment_count: 2,
    }),
    inst('aws_iam_role', 'app', {
      id: 'tm-role', arn: `arn:aws:iam::${account}:role/tm-role`, name: 'tm-role', name_prefix: '', path: '/', description: 'the app',
      assume_role_policy: trust('ec2.amazonaws.com'), max_session_duration: 3600, permissions_boundary: '', force_detach_policies: false,
      unique_id: 'AROA', create_date: '2026-01-01T00:00:00Z', tags: { Team: 'app' }, tags_all: { Team: 'app' }, inline_policy: [], managed_policy_arns: [],
    }),
    inst('aws_iam_role_policy', 'app', { id: 'tm-role:read', role: 'tm-role', name: 'read', name_prefix: '', policy: doc('s3:ListBucket') }),
    inst('aws_iam_role_policy_attachment', 'app', { id: 'tm-role-20260101000000000000000001', role: 'tm-role', policy_arn: policyArn }),
    inst('aws_iam_user', 'ci', {
      id: 'tm-ci', arn: `arn:aws:iam::${account}:user/tm-ci`, name: 'tm-ci', path: '/', permissions_boundary: '', force_destroy: false,
      unique_id: 'AIDA', tags: { Team: 'ci' }, tags_all: { Team: 'ci' },
    }),
    inst('aws_iam_user_policy', 'ci', { id: 'tm-ci:deploy', user: 'tm-ci', name: 'deploy', name_prefix: '', policy: doc('ec2:Describe*') }),
    inst('aws_iam_user_policy_attachment', 'ci', { id: 'tm-ci-20260101000000000000000002', user: 'tm-ci', policy_arn: policyArn }),
    inst('aws_iam_group', 'devs', { id: 'tm-devs', arn: `arn:aws:iam::${account}:group/tm-devs`, name: 'tm-devs', path: '/', unique_id: 'AGPA' }),
    inst('aws_iam_group_policy', 'devs', { id: 'tm-devs:read', group: 'tm-devs', name: 'read', name_prefix: '', policy: doc('logs:Get*') }),
    inst('aws_iam_group_policy_attachment', 'devs', { id: 'tm-devs-20260101000000000000000003', group: 'tm-devs', policy_arn: policyArn }),
    inst('aws_iam_group_membership', 'devs', { id: 'devs-members', name: 'devs-members', group: 'tm-devs', users: ['tm-ci'] }),
    inst('aws_iam_user_group_membership', 'ci', { id: 'terraform-20260101000000000000000004', user: 'tm-ci', groups: ['tm-devs'] }),
    // Provider-shaped, minus what Tidemark never reads: secret, ses_smtp_password_v4 stay in state only.
    inst('aws_iam_access_key', 'ci', { id: accessKeyId, user: 'tm-ci', status: 'Active', create_date: '2026-01-01T00:00:00Z', pgp_key: null, secret: 'in-state-only', ses_smtp_password_v4: 'in-state-only' }),
    inst('aws_iam_instance_profile', 'app', { id: 'tm-profile', name: 'tm-profile', name_prefix: '', path: '/', role: 'tm-role', arn: `arn:aws:iam::${account}:instance-profile/tm-profile`, unique_id: 'AIPA', tags: {}, tags_all: {} }),
    // The provider keeps the URL as written (with its scheme) and thumbprints in any case.
    inst('aws_iam_openid_connect_provider', 'github', {
      id: oidcArn, arn: oidcArn, url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'], thumbprint_list: [THUMB.toUpperCase()], tags: {}, tags_all: {},
    }),
    inst('aws_iam_policy_attachment', 'shared', { id: 'tm-shared-att', name: 'tm-shared-att', policy_arn: sharedArn, users: [], roles: [], groups: ['tm-devs'] }),
  ];
}

function read(instances = state()) {
  return readLive(clients, instances, { declared: false });
}

before(async () => {
  sandbox = await startSandbox(DEMO_SCENARIO);
  const credentials = keyOf(demoScenario(), 'carol');
  iam = new IAMClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials });
  clients = await createClients(resolveAwsTarget({ region: sandbox.region, endpoint: sandbox.endpoint }, {}, undefined), { credentials });
  policyArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'tm-app', Description: 'app access', PolicyDocument: doc('s3:GetObject') }))).Policy!.Arn!;
  boundaryArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'tm-boundary', PolicyDocument: doc('*') }))).Policy!.Arn!;
  await iam.send(new CreateRoleCommand({ RoleName: 'tm-role', Description: 'the app', AssumeRolePolicyDocument: trust('ec2.amazonaws.com'), Tags: [{ Key: 'Team', Value: 'app' }] }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'tm-role', PolicyName: 'read', PolicyDocument: doc('s3:ListBucket') }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'tm-role', PolicyArn: policyArn }));
  await iam.send(new CreateUserCommand({ UserName: 'tm-ci', Tags: [{ Key: 'Team', Value: 'ci' }] }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'tm-ci', PolicyName: 'deploy', PolicyDocument: doc('ec2:Describe*') }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'tm-ci', PolicyArn: policyArn }));
  sharedArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'tm-shared', PolicyDocument: doc('sqs:*') }))).Policy!.Arn!;
  await iam.send(new CreateGroupCommand({ GroupName: 'tm-devs' }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'tm-devs', PolicyName: 'read', PolicyDocument: doc('logs:Get*') }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'tm-devs', PolicyArn: policyArn }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'tm-devs', PolicyArn: sharedArn }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'tm-devs', UserName: 'tm-ci' }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'tm-profile' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'tm-profile', RoleName: 'tm-role' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'tm-other', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
  oidcArn = (await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: [THUMB] }))).OpenIDConnectProviderArn!;
  const created = (await iam.send(new CreateAccessKeyCommand({ UserName: 'tm-ci' }))).AccessKey!;
  accessKeyId = created.AccessKeyId!;
  accessKeySecret = created.SecretAccessKey!;
});

after(async () => {
  await sandbox?.stop();
});

test('provider-shaped state of every IAM type matches the untouched live objects', async () => {
  const snapshot = await read();
  for (const i of state()) assert.equal(snapshot.get(i.address)?.status, 'found', i.address);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), snapshot), []);
  // The access key's secret is never read.
  const key = snapshot.get('aws_iam_access_key.ci');
  assert.deepEqual(key?.status === 'found' && Object.keys(key.resource.attributes).sort(), ['status', 'user']);
  assert.ok(!JSON.stringify([...snapshot.addresses()].map((a) => snapshot.get(a))).includes(accessKeySecret));
});

// One live change per compared attribute class, each with the drift it must produce.
const CHANGES: Array<{ drift: string; change: () => Promise<unknown> }> = [
  { drift: 'aws_iam_role.app assume_role_policy', change: () => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'tm-role', PolicyDocument: trust('lambda.amazonaws.com') })) },
  { drift: 'aws_iam_role.app description', change: () => iam.send(new UpdateRoleCommand({ RoleName: 'tm-role', Description: 'changed by hand' })) },
  { drift: 'aws_iam_role.app max_session_duration', change: () => iam.send(new UpdateRoleCommand({ RoleName: 'tm-role', MaxSessionDuration: 7200 })) },
  { drift: 'aws_iam_role.app tags', change: () => iam.send(new TagRoleCommand({ RoleName: 'tm-role', Tags: [{ Key: 'Team', Value: 'hotfix' }] })) },
  { drift: 'aws_iam_role_policy.app policy', change: () => iam.send(new PutRolePolicyCommand({ RoleName: 'tm-role', PolicyName: 'read', PolicyDocument: doc('s3:*') })) },
  { drift: 'aws_iam_policy.app policy', change: () => iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: doc('s3:*'), SetAsDefault: true })) },
  { drift: 'aws_iam_user.ci path', change: () => iam.send(new UpdateUserCommand({ UserName: 'tm-ci', NewPath: '/moved/' })) },
  { drift: 'aws_iam_user.ci permissions_boundary', change: () => iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'tm-ci', PermissionsBoundary: boundaryArn })) },
  { drift: 'aws_iam_user.ci tags', change: () => iam.send(new TagUserCommand({ UserName: 'tm-ci', Tags: [{ Key: 'Extra', Value: 'x' }] })) },
  { drift: 'aws_iam_group.devs path', change: () => iam.send(new UpdateGroupCommand({ GroupName: 'tm-devs', NewPath: '/moved/' })) },
  { drift: 'aws_iam_group_policy.devs policy', change: () => iam.send(new PutGroupPolicyCommand({ GroupName: 'tm-devs', PolicyName: 'read', PolicyDocument: doc('logs:*') })) },
  // Exclusive: a member added by hand is drift on the membership.
  { drift: 'aws_iam_group_membership.devs users', change: () => iam.send(new AddUserToGroupCommand({ GroupName: 'tm-devs', UserName: 'alice' })) },
  { drift: 'aws_iam_user_group_membership.ci groups', change: () => iam.send(new RemoveUserFromGroupCommand({ GroupName: 'tm-devs', UserName: 'tm-ci' })) },
  // Exclusive: the policy attached by hand to a role is drift on the attachment's roles.
  { drift: 'aws_iam_policy_attachment.shared roles', change: () => iam.send(new AttachRolePolicyCommand({ RoleName: 'tm-role', PolicyArn: sharedArn })) },
  { drift: 'aws_iam_access_key.ci status', change: () => iam.send(new UpdateAccessKeyCommand({ UserName: 'tm-ci', AccessKeyId: accessKeyId, Status: 'Inactive' })) },
  {
    drift: 'aws_iam_instance_profile.app role',
    change: async () => {
      await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'tm-profile', RoleName: 'tm-role' }));
      await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'tm-profile', RoleName: 'tm-other' }));
    },
  },
  { drift: 'aws_iam_openid_connect_provider.github client_id_list', change: () => iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: oidcArn, ClientID: 'evil-client' })) },
  { drift: 'aws_iam_user_policy.ci policy', change: () => iam.send(new PutUserPolicyCommand({ UserName: 'tm-ci', PolicyName: 'deploy', PolicyDocument: doc('ec2:*') })) },
];

test('a live change to each compared IAM attribute is drift on it; the writer reverts it; a fresh read is clean', async () => {
  for (const c of CHANGES) await c.change();
  const snapshot = await read();
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), snapshot).sort(), CHANGES.map((c) => c.drift).sort());
  const outcomes = await revertAll(RESOURCE_TYPES, state(), snapshot, clients);
  assert.deepEqual(outcomes.map((o) => o.drift).sort(), CHANGES.map((c) => c.drift).sort());
  assert.deepEqual(outcomes.filter((o) => !o.ok), []);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), await read()), []);
});

test('a detached managed policy reads as the attachment missing', async () => {
  await iam.send(new DetachRolePolicyCommand({ RoleName: 'tm-role', PolicyArn: policyArn }));
  const snapshot = await read();
  assert.equal(snapshot.get('aws_iam_role_policy_attachment.app')?.status, 'missing');
  assert.equal(snapshot.get('aws_iam_user_policy_attachment.ci')?.status, 'found');
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'tm-role', PolicyArn: policyArn }));
});

test('the IAM family reads N roles with inline policies and attachments in ⌈entities/page⌉ GetAccountAuthorizationDetails calls', async () => {
  const n = 30;
  const instances: StateInstance[] = [];
  for (let i = 0; i < n; i++) {
    const name = `tm-bulk-${i}`;
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'inline', PolicyDocument: doc('s3:GetObject') }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn }));
    instances.push(
      inst('aws_iam_role', `r${i}`, { id: name, name, assume_role_policy: trust('ec2.amazonaws.com') }),
      inst('aws_iam_role_policy', `r${i}`, { id: `${name}:inline`, role: name, name: 'inline', policy: doc('s3:GetObject') }),
      inst('aws_iam_role_policy_attachment', `r${i}`, { id: `${name}-1`, role: name, policy_arn: policyArn }),
    );
  }
  sandbox.resetStats();
  const snapshot = await read(instances);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, instances, snapshot), []);
  const world = sandbox.world;
  const roles = Object.keys(world.roles).length;
  const stats = sandbox.stats();
  assert.equal(stats['iam:GetAccountAuthorizationDetails'], Math.ceil(roles / IAM_PAGE));
  assert.equal(stats['iam:ListRoles'], Math.ceil(roles / IAM_PAGE));
  assert.deepEqual(Object.keys(stats).sort(), ['iam:GetAccountAuthorizationDetails', 'iam:ListRoles']);
});

test('a managed policy attached by hand to a managed role or user is an unmanaged attachment on it; Revert detaches it', async () => {
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'tm-role', PolicyArn: boundaryArn }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'tm-ci', PolicyArn: boundaryArn }));
  const snapshot = await read();
  const found = snapshot.unmanaged.filter((l) => l.container).map((l) => `${l.type} ${l.id} ${l.container!.resourceAddress} ${l.container!.severity}`).sort();
  assert.deepEqual(found, [
    `aws_iam_role_policy_attachment tm-role/${boundaryArn} aws_iam_role.app warning`,
    `aws_iam_user_policy_attachment tm-ci/${boundaryArn} aws_iam_user.ci warning`,
  ]);
  for (const live of snapshot.unmanaged.filter((l) => l.container)) {
    const type = RESOURCE_TYPES.get(live.type)!;
    // Import: the id `terraform import` takes for an attachment is `principal/policy-arn`.
    assert.equal(type.importId(live), live.id);
    const outcome = await type.removeLive!(live, clients);
    assert.ok(outcome.ok, outcome.message);
  }
  assert.deepEqual((await read()).unmanaged.filter((l) => l.container), []);
});
