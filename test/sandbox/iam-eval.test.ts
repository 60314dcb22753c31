// The policy evaluator as a table: explicit Deny > Allow > implicit deny, wildcards, NotAction /
// NotResource, policy variables, and the condition operators revocation and tagging use.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, evaluatePolicy, type RequestContext } from '../../sandbox/src/auth/iam-eval';
import { PolicyError, parsePolicy } from '../../sandbox/src/auth/policy';

const policy = (...statements: Record<string, unknown>[]) => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }));
const session: RequestContext = {
  'aws:tokenissuetime': '2024-05-01T10:00:00Z', 'aws:sourceidentity': 'alice', 'aws:userid': 'AROAEXAMPLE:tidemark-g1',
  'aws:principaltag/team': 'platform', 'aws:username': 'alice',
};

describe('IAM policy evaluation', () => {
  const cases: { name: string; statements: Record<string, unknown>[]; action: string; resource: string; context?: RequestContext; expect: string }[] = [
    { name: 'no statement applies: implicit deny', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }], action: 'ec2:StopInstances', resource: '*', expect: 'ImplicitDeny' },
    { name: 'action wildcard *', statements: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }], action: 'ec2:StopInstances', resource: 'arn:aws:ec2:us-east-1:1:instance/i-1', expect: 'Allow' },
    { name: 'action match ignores case', statements: [{ Effect: 'Allow', Action: 'EC2:describe*', Resource: '*' }], action: 'ec2:DescribeInstances', resource: '*', expect: 'Allow' },
    { name: 'action wildcard ?', statements: [{ Effect: 'Allow', Action: 'ec2:St?pInstances', Resource: '*' }], action: 'ec2:StopInstances', resource: '*', expect: 'Allow' },
    { name: 'resource wildcard', statements: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::demo-*' }], action: 's3:GetBucketTagging', resource: 'arn:aws:s3:::demo-assets', expect: 'Allow' },
    { name: 'resource is case-sensitive', statements: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::Demo-*' }], action: 's3:GetBucketTagging', resource: 'arn:aws:s3:::demo-assets', expect: 'ImplicitDeny' },
    { name: 'explicit deny beats allow', statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'ec2:Stop*', Resource: '*' }], action: 'ec2:StopInstances', resource: '*', expect: 'ExplicitDeny' },
    { name: 'NotAction allows everything else', statements: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], action: 'iam:PutRolePolicy', resource: '*', expect: 'ImplicitDeny' },
    { name: 'NotResource', statements: [{ Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::public' }, { Effect: 'Allow', Action: '*', Resource: '*' }], action: 's3:GetObject', resource: 'arn:aws:s3:::public', expect: 'Allow' },
    { name: 'policy variable in Resource', statements: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home-${aws:username}' }], action: 's3:ListBucket', resource: 'arn:aws:s3:::home-alice', context: session, expect: 'Allow' },
    { name: 'DateLessThan aws:TokenIssueTime revokes earlier sessions', statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2024-05-01T10:00:01Z' } } }], action: 'ec2:DescribeInstances', resource: '*', context: session, expect: 'ExplicitDeny' },
    { name: 'DateLessThan spares later sessions', statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2024-05-01T09:59:59Z' } } }], action: 'ec2:DescribeInstances', resource: '*', context: session, expect: 'Allow' },
    { name: 'DateGreaterThan with epoch seconds', statements: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:TokenIssueTime': '1714550000' } } }], action: 'sts:GetCallerIdentity', resource: '*', context: session, expect: 'Allow' },
    { name: 'date condition on a missing key does not match (user, no token)', statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2030-01-01T00:00:00Z' } } }], action: 'ec2:DescribeInstances', resource: '*', context: { 'aws:username': 'alice' }, expect: 'Allow' },
    { name: 'StringEquals aws:SourceIdentity', statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceIdentity': ['bob', 'alice'] } } }], action: 's3:ListBucket', resource: '*', context: session, expect: 'ExplicitDeny' },
    { name: 'StringLike aws:userid with wildcard', statements: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:userid': 'AROAEXAMPLE:tidemark-*' } } }], action: 's3:ListBucket', resource: '*', context: session, expect: 'ExplicitDeny' },
    { name: 'condition keys ignore case, aws:PrincipalTag', statements: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'AWS:PrincipalTag/Team': 'platform' } } }], action: 'ec2:DescribeVpcs', resource: '*', context: session, expect: 'Allow' },
    { name: 'negated operator on a missing key matches', statements: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceIdentity': 'alice' } } }], action: 's3:ListBucket', resource: '*', context: {}, expect: 'ExplicitDeny' },
    { name: 'IfExists passes on a missing key', statements: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:SourceIdentity': 'alice' } } }], action: 's3:ListBucket', resource: '*', context: {}, expect: 'Allow' },
    { name: 'Null checks absence', statements: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Null: { 'aws:SourceIdentity': 'true' } } }, { Effect: 'Allow', Action: '*', Resource: '*' }], action: 's3:ListBucket', resource: '*', context: {}, expect: 'ExplicitDeny' },
    { name: 'multiple condition keys are ANDed', statements: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceIdentity': 'alice', 'aws:PrincipalTag/team': 'other' } } }, { Effect: 'Allow', Action: '*', Resource: '*' }], action: 's3:ListBucket', resource: '*', context: session, expect: 'Allow' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(authorize({ identityPolicies: [policy(...c.statements)] }, { action: c.action, resource: c.resource, context: c.context ?? {} }), c.expect);
    });
  }

  it('a permissions boundary limits what identity policies allow', () => {
    const identity = [policy({ Effect: 'Allow', Action: '*', Resource: '*' })];
    const limits = [policy({ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' })];
    assert.equal(authorize({ identityPolicies: identity, limits }, { action: 'ec2:DescribeInstances', resource: '*', context: {} }), 'Allow');
    assert.equal(authorize({ identityPolicies: identity, limits }, { action: 'ec2:StopInstances', resource: '*', context: {} }), 'ImplicitDeny');
  });

  it('matches Principal in resource policies by specific ARN or by account', () => {
    const trust = parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::123456789012:user/broker', '123456789012'] }, Action: 'sts:AssumeRole' }] }), 'resource');
    const req = { action: 'sts:AssumeRole', resource: 'arn:aws:iam::123456789012:role/r', context: {} };
    const broker = { account: '123456789012', arns: ['arn:aws:iam::123456789012:user/broker'], specificArns: ['arn:aws:iam::123456789012:user/broker'] };
    const other = { account: '123456789012', arns: ['arn:aws:iam::123456789012:user/other'], specificArns: ['arn:aws:iam::123456789012:user/other'] };
    assert.deepEqual(evaluatePolicy(trust, req, broker), { deny: false, allow: true, allowVia: 'specific' });
    assert.deepEqual(evaluatePolicy(trust, req, other), { deny: false, allow: true, allowVia: 'account' });
    assert.deepEqual(evaluatePolicy(trust, req, { ...other, account: '999999999999' }), { deny: false, allow: false });
  });

  it('rejects malformed documents with IAM’s wording', () => {
    assert.throws(() => parsePolicy('{'), PolicyError);
    assert.throws(() => parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*' }] })), /must contain resources/);
    assert.throws(() => parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringSortOf: { a: 'b' } } }] })), /Invalid Condition type/);
    assert.throws(() => parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Principal: '*' }] })), /should not specify a principal/);
    assert.throws(() => parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*' }] }), 'resource'), /Principal/);
  });
});
