// Resource Groups Tagging API through the real SDK: GetResources filters and pagination over every
// resource kind, tag and untag with per-resource failures, tag keys and values.
import {
  GetResourcesCommand, GetTagKeysCommand, GetTagValuesCommand, TagResourcesCommand, UntagResourcesCommand, paginateGetResources,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxHandle, Scenario } from '../../sandbox/src/index';
import { clientsFor, failure, keyOf, startDemo, type Clients } from './helpers';
import { fakeKeyId } from '../support/fake-keys';

const WEB_ARN = 'arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60c01';

describe('Resource Groups Tagging API', () => {
  let sandbox: SandboxHandle;
  let scenario: Scenario;
  let carol: Clients;
  let reader: Clients;

  before(async () => {
    ({ sandbox, scenario } = await startDemo({}, (s) => {
      for (let n = 0; n < 250; n++) s.buckets!.push({ name: `bulk-bucket-${String(n).padStart(3, '0')}`, tags: { Fleet: 'bulk', Index: String(n) } });
    }));
    carol = clientsFor(sandbox, keyOf(scenario, 'carol'));
    reader = clientsFor(sandbox, keyOf(scenario, 'drift-reader'));
  });
  after(() => sandbox.stop());

  it('lists every tagged demo resource with its tags', async () => {
    const out = await reader.tagging.send(new GetResourcesCommand({ TagFilters: [{ Key: 'Project', Values: ['tidemark-demo'] }] }));
    const arns = out.ResourceTagMappingList!.map((r) => r.ResourceARN!).sort();
    assert.deepEqual(arns, [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60c01',
      'arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60c02',
      'arn:aws:ec2:us-east-1:123456789012:security-group-rule/sgr-0a1b2c3d4e5f60b04',
      'arn:aws:ec2:us-east-1:123456789012:security-group-rule/sgr-0a1b2c3d4e5f60b05',
      'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0a1b2c3d4e5f60a01',
      'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0a1b2c3d4e5f60a02',
      'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0a1b2c3d4e5f60001',
      'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0a1b2c3d4e5f60002',
      'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0a1b2c3d4e5f60718',
      'arn:aws:iam::123456789012:role/app-role',
      'arn:aws:s3:::tidemark-demo-assets',
      'arn:aws:s3:::tidemark-demo-logs',
    ]);
    assert.equal(out.PaginationToken, '');
    const web = out.ResourceTagMappingList!.find((r) => r.ResourceARN === WEB_ARN)!;
    assert.deepEqual(web.Tags!.find((t) => t.Key === 'Team'), { Key: 'Team', Value: 'web' });
  });

  it('filters by resource type and by tag value (OR within a key, AND across keys)', async () => {
    const instances = await reader.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['ec2:instance'] }));
    assert.equal(instances.ResourceTagMappingList!.length, 2);
    const ec2 = await reader.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['ec2'], TagFilters: [{ Key: 'Team', Values: ['web', 'data'] }] }));
    assert.equal(ec2.ResourceTagMappingList!.length, 3);
    const both = await reader.tagging.send(new GetResourcesCommand({ TagFilters: [{ Key: 'Team', Values: ['web'] }, { Key: 'Name', Values: ['tidemark-demo-assets'] }] }));
    assert.deepEqual(both.ResourceTagMappingList!.map((r) => r.ResourceARN), ['arn:aws:s3:::tidemark-demo-assets']);
    const byArn = await reader.tagging.send(new GetResourcesCommand({ ResourceARNList: [WEB_ARN, 'arn:aws:s3:::tidemark-demo-logs', 'arn:aws:s3:::no-such-bucket'] }));
    assert.equal(byArn.ResourceTagMappingList!.length, 2);
  });

  it('paginates with ResourcesPerPage up to 100 and PaginationToken', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateGetResources({ client: reader.tagging }, { ResourceTypeFilters: ['s3'], TagFilters: [{ Key: 'Fleet' }], ResourcesPerPage: 100 })) {
      pages++;
      assert.ok(page.ResourceTagMappingList!.length <= 100);
      seen.push(...page.ResourceTagMappingList!.map((r) => r.ResourceARN!));
    }
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 250);
    const tooMany = await failure(reader.tagging.send(new GetResourcesCommand({ ResourcesPerPage: 101 })));
    assert.equal(tooMany.name, 'InvalidParameterException');
    const mixed = await failure(reader.tagging.send(new GetResourcesCommand({ ResourceARNList: [WEB_ARN], TagFilters: [{ Key: 'Env' }] })));
    assert.equal(mixed.name, 'InvalidParameterException');
    const badToken = await failure(reader.tagging.send(new GetResourcesCommand({ PaginationToken: 'garbage' })));
    assert.equal(badToken.name, 'PaginationTokenExpiredException');
  });

  it('tags and untags across services, reporting resources it could not change', async () => {
    const missing = 'arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0';
    const out = await carol.tagging.send(new TagResourcesCommand({ ResourceARNList: [WEB_ARN, 'arn:aws:s3:::tidemark-demo-logs', 'arn:aws:iam::123456789012:role/app-role', missing], Tags: { Reviewed: 'yes' } }));
    assert.deepEqual(Object.keys(out.FailedResourcesMap!), [missing]);
    assert.equal(sandbox.world.instances['i-0a1b2c3d4e5f60c01']!.tags.Reviewed, 'yes');
    assert.equal(sandbox.world.buckets['tidemark-demo-logs']!.tags!.Reviewed, 'yes');
    assert.equal(sandbox.world.roles['app-role']!.tags.Reviewed, 'yes');
    const values = await reader.tagging.send(new GetTagValuesCommand({ Key: 'Reviewed' }));
    assert.deepEqual(values.TagValues, ['yes']);
    await carol.tagging.send(new UntagResourcesCommand({ ResourceARNList: [WEB_ARN, 'arn:aws:s3:::tidemark-demo-logs', 'arn:aws:iam::123456789012:role/app-role'], TagKeys: ['Reviewed'] }));
    const keys = await reader.tagging.send(new GetTagKeysCommand({}));
    assert.ok(keys.TagKeys!.includes('Env'));
    assert.ok(!keys.TagKeys!.includes('Reviewed'));
  });

  it('reports a resource the caller may not tag as a failure, without changing it', async () => {
    const { sandbox: sb, scenario: s } = await startDemo({}, (sc) => {
      sc.users!.push({ name: 'tagger', accessKeys: [{ id: fakeKeyId('AKIA'), secret: 'tagger-secret-000000000000000' }], policies: { t: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['tag:*', 'ec2:CreateTags'], Resource: '*' }] } } });
    });
    try {
      const tagger = clientsFor(sb, keyOf(s, 'tagger'));
      const out = await tagger.tagging.send(new TagResourcesCommand({ ResourceARNList: [WEB_ARN, 'arn:aws:s3:::tidemark-demo-logs'], Tags: { X: '1' } }));
      assert.deepEqual(Object.keys(out.FailedResourcesMap!), ['arn:aws:s3:::tidemark-demo-logs']);
      assert.equal(out.FailedResourcesMap!['arn:aws:s3:::tidemark-demo-logs']!.StatusCode, 403);
      assert.equal(sb.world.buckets['tidemark-demo-logs']!.tags!.X, undefined);
      const reader2 = clientsFor(sb, keyOf(s, 'drift-reader'));
      assert.equal((await failure(reader2.tagging.send(new TagResourcesCommand({ ResourceARNList: [WEB_ARN], Tags: { X: '1' } })))).name, 'AccessDeniedException');
    } finally {
      await sb.stop();
    }
  });
});
