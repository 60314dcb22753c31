// IAM through the real SDK (modelled IAM error codes such as NoSuchEntity surface as the SDK's
// NoSuchEntityException classes, which proves the wire code matched the model): role reads with URL-encoded documents, inline and managed policies,
// tags, trust policy updates, pagination and not-found / malformed-document errors.
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, GetPolicyCommand, GetPolicyVersionCommand,
  GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, ListRolesCommand, PutRolePolicyCommand, TagRoleCommand,
  UntagRoleCommand, UpdateAssumeRolePolicyCommand, UpdateRoleCommand, paginateListRoles,
} from '@aws-sdk/client-iam';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoAsCarol, failure } from './helpers';

const TRUST = '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}],"Version":"2012-10-17"}';

describe('IAM', () => {
  const demo = demoAsCarol();

  it('GetRole returns the role with its URL-encoded trust policy and tags', async () => {
    const { Role: role } = await demo.reader.iam.send(new GetRoleCommand({ RoleName: 'app-role' }));
    assert.equal(role!.Arn, 'arn:aws:iam::123456789012:role/app-role');
    assert.equal(role!.RoleId, 'AROAZDEMOAPPROLE00001');
    assert.equal(role!.MaxSessionDuration, 3600);
    assert.equal(decodeURIComponent(role!.AssumeRolePolicyDocument!), TRUST);
    assert.notEqual(role!.AssumeRolePolicyDocument, TRUST, 'IAM returns documents URL-encoded');
    assert.equal(role!.Tags!.find((t) => t.Key === 'Team')!.Value, 'app');
    assert.equal(role!.CreateDate!.toISOString(), '2024-05-01T09:00:00.000Z');
  });

  it('reads inline policies and answers NoSuchEntity for missing ones', async () => {
    const out = await demo.reader.iam.send(new GetRolePolicyCommand({ RoleName: 'app-role', PolicyName: 'app-role-s3-read' }));
    assert.equal(JSON.parse(decodeURIComponent(out.PolicyDocument!)).Statement[0].Action[0], 's3:GetObject');
    const names = await demo.reader.iam.send(new ListRolePoliciesCommand({ RoleName: 'app-role' }));
    assert.deepEqual(names.PolicyNames, ['app-role-s3-read']);
    const missing = await failure(demo.reader.iam.send(new GetRolePolicyCommand({ RoleName: 'app-role', PolicyName: 'nope' })));
    assert.equal(missing.name, 'NoSuchEntityException');
    assert.equal(missing.status, 404);
    const role = await failure(demo.reader.iam.send(new GetRoleCommand({ RoleName: 'ghost' })));
    assert.equal(role.name, 'NoSuchEntityException');
    assert.match(role.message, /The role with name ghost cannot be found/);
  });

  it('creates a role, changes it, and refuses malformed documents', async () => {
    await demo.carol.iam.send(new CreateRoleCommand({ RoleName: 'scratch-role', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'a', Value: '1' }] }));
    const dup = await failure(demo.carol.iam.send(new CreateRoleCommand({ RoleName: 'scratch-role', AssumeRolePolicyDocument: TRUST })));
    assert.equal(dup.name, 'EntityAlreadyExistsException');
    await demo.carol.iam.send(new UpdateRoleCommand({ RoleName: 'scratch-role', MaxSessionDuration: 7200, Description: 'changed' }));
    await demo.carol.iam.send(new TagRoleCommand({ RoleName: 'scratch-role', Tags: [{ Key: 'b', Value: '2' }] }));
    await demo.carol.iam.send(new UntagRoleCommand({ RoleName: 'scratch-role', TagKeys: ['a'] }));
    const newTrust = TRUST.replace('ec2.amazonaws.com', 'lambda.amazonaws.com');
    await demo.carol.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'scratch-role', PolicyDocument: newTrust }));
    const { Role: role } = await demo.carol.iam.send(new GetRoleCommand({ RoleName: 'scratch-role' }));
    assert.deepEqual([role!.MaxSessionDuration, role!.Description, role!.Tags, decodeURIComponent(role!.AssumeRolePolicyDocument!)], [7200, 'changed', [{ Key: 'b', Value: '2' }], newTrust]);
    const bad = await failure(demo.carol.iam.send(new PutRolePolicyCommand({ RoleName: 'scratch-role', PolicyName: 'p', PolicyDocument: '{"Statement":[{"Effect":"Maybe"}]}' })));
    assert.equal(bad.name, 'MalformedPolicyDocumentException');
    const range = await failure(demo.carol.iam.send(new UpdateRoleCommand({ RoleName: 'scratch-role', MaxSessionDuration: 60 })));
    assert.equal(range.name, 'ValidationError');
  });

  it('attaches managed policies and refuses to delete a role that still has policies', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] });
    const { Policy: policy } = await demo.carol.iam.send(new CreatePolicyCommand({ PolicyName: 'scratch-policy', PolicyDocument: doc }));
    assert.equal(policy!.Arn, 'arn:aws:iam::123456789012:policy/scratch-policy');
    await demo.carol.iam.send(new CreateRoleCommand({ RoleName: 'holder', AssumeRolePolicyDocument: TRUST }));
    await demo.carol.iam.send(new AttachRolePolicyCommand({ RoleName: 'holder', PolicyArn: policy!.Arn }));
    const attached = await demo.carol.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'holder' }));
    assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'scratch-policy', PolicyArn: policy!.Arn }]);
    assert.equal((await demo.carol.iam.send(new GetPolicyCommand({ PolicyArn: policy!.Arn }))).Policy!.AttachmentCount, 1);
    const version = await demo.carol.iam.send(new GetPolicyVersionCommand({ PolicyArn: policy!.Arn, VersionId: 'v1' }));
    assert.equal(decodeURIComponent(version.PolicyVersion!.Document!), doc);
    assert.equal((await failure(demo.carol.iam.send(new DeleteRoleCommand({ RoleName: 'holder' })))).name, 'DeleteConflictException');
    const noPolicy = await failure(demo.carol.iam.send(new AttachRolePolicyCommand({ RoleName: 'holder', PolicyArn: 'arn:aws:iam::123456789012:policy/nope' })));
    assert.equal(noPolicy.name, 'NoSuchEntityException');
  });

  it('paginates ListRoles with Marker', async () => {
    for (let n = 0; n < 5; n++) await demo.carol.iam.send(new CreateRoleCommand({ RoleName: `page-${n}`, AssumeRolePolicyDocument: TRUST, Path: '/paged/' }));
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListRoles({ client: demo.reader.iam, pageSize: 2 }, { PathPrefix: '/paged/' })) {
      pages++;
      names.push(...page.Roles!.map((r) => r.RoleName!));
    }
    assert.equal(pages, 3);
    assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    const all = await demo.reader.iam.send(new ListRolesCommand({}));
    assert.ok(all.Roles!.some((r) => r.RoleName === 'prod-operator'));
  });

  it('refuses role changes to a reader with AccessDenied', async () => {
    const denied = await failure(demo.reader.iam.send(new PutRolePolicyCommand({ RoleName: 'prod-operator', PolicyName: 'x', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}' })));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
    const del = await failure(demo.reader.iam.send(new DeleteRolePolicyCommand({ RoleName: 'app-role', PolicyName: 'app-role-s3-read' })));
    assert.equal(del.name, 'AccessDenied');
  });
});
