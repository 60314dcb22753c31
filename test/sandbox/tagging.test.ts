// Resource Groups Tagging API through the real SDK: GetResources filters and pagination over every
// resource kind, tag and untag with per-resource failures, tag keys and values.
import {
  GetResourcesCommand, GetTagKeysCommand, GetTagValuesCommand, TagResourcesCommand, UntagResourcesCommand, paginateGetResources,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxHandle, Scenario } from '../../sandbox/src/index';
import { CloudWatchLogsClient, CreateLogGroupCommand, ListTagsForResourceCommand as ListLogTagsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateKeyCommand, KMSClient, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { CreateHealthCheckCommand, CreateHostedZoneCommand, ListTagsForResourceCommand as ListZoneTagsCommand, Route53Client } from '@aws-sdk/client-route-53';
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

  it('lists KMS keys, log groups, hosted zones and health checks with AWS\'s ARNs, by type filter, tag filter and ARN list; tags them', async () => {
    const common = { endpoint: sandbox.endpoint, region: 'us-east-1', credentials: keyOf(scenario, 'carol'), maxAttempts: 1 };
    const kms = new KMSClient(common);
    const logs = new CloudWatchLogsClient(common);
    const r53 = new Route53Client(common);
    const keyId = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'Stack', TagValue: 'dns-kms-logs' }] }))).KeyMetadata!.KeyId!;
    await kms.send(new CreateKeyCommand({}));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/tm/tagged', tags: { Stack: 'dns-kms-logs' } }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/tm/untagged' }));
    const zoneId = (await r53.send(new CreateHostedZoneCommand({ Name: 'tagged.example', CallerReference: 'tagging-1' }))).HostedZone!.Id!.replace('/hostedzone/', '');
    const checkId = (await r53.send(new CreateHealthCheckCommand({ CallerReference: 'tagging-2', HealthCheckConfig: { Type: 'HTTP', IPAddress: '192.0.2.1', Port: 80 } }))).HealthCheck!.Id!;
    const keyArn = `arn:aws:kms:us-east-1:123456789012:key/${keyId}`;
    const groupArn = 'arn:aws:logs:us-east-1:123456789012:log-group:/tm/tagged';
    const zoneArn = `arn:aws:route53:::hostedzone/${zoneId}`;
    const checkArn = `arn:aws:route53:::healthcheck/${checkId}`;
    // Zones and health checks are tagged through the Tagging API itself; Route 53 then shows the tags.
    const tagged = await carol.tagging.send(new TagResourcesCommand({ ResourceARNList: [zoneArn, checkArn], Tags: { Stack: 'dns-kms-logs' } }));
    assert.deepEqual(tagged.FailedResourcesMap, {});
    const zoneTags = await r53.send(new ListZoneTagsCommand({ ResourceType: 'hostedzone', ResourceId: zoneId }));
    assert.deepEqual(zoneTags.ResourceTagSet!.Tags, [{ Key: 'Stack', Value: 'dns-kms-logs' }]);

    const byType = async (filter: string) =>
      (await reader.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: [filter] }))).ResourceTagMappingList!.map((m) => m.ResourceARN);
    // Untagged objects are not listed, as in AWS.
    assert.deepEqual(await byType('kms:key'), [keyArn]);
    assert.deepEqual(await byType('logs:log-group'), [groupArn]);
    assert.deepEqual(await byType('route53:hostedzone'), [zoneArn]);
    assert.deepEqual(await byType('route53:healthcheck'), [checkArn]);
    assert.deepEqual((await byType('route53')).sort(), [checkArn, zoneArn].sort());

    const byTag = await reader.tagging.send(new GetResourcesCommand({ TagFilters: [{ Key: 'Stack', Values: ['dns-kms-logs'] }], ResourcesPerPage: 1 }));
    assert.equal(byTag.ResourceTagMappingList!.length, 1);
    const all = [];
    for await (const page of paginateGetResources({ client: reader.tagging }, { TagFilters: [{ Key: 'Stack', Values: ['dns-kms-logs'] }], ResourcesPerPage: 1 })) all.push(...page.ResourceTagMappingList!);
    assert.deepEqual(all.map((m) => m.ResourceARN).sort(), [checkArn, groupArn, keyArn, zoneArn].sort());
    assert.ok(all.every((m) => m.Tags!.some((t) => t.Key === 'Stack' && t.Value === 'dns-kms-logs')));

    const listed = await reader.tagging.send(new GetResourcesCommand({ ResourceARNList: [keyArn, `${groupArn}:*`, zoneArn, checkArn, 'arn:aws:route53:::hostedzone/ZNOSUCHZONE'] }));
    assert.deepEqual(listed.ResourceTagMappingList!.map((m) => m.ResourceARN).sort(), [checkArn, groupArn, keyArn, zoneArn].sort());

    await carol.tagging.send(new TagResourcesCommand({ ResourceARNList: [keyArn, groupArn], Tags: { Owner: 'ops' } }));
    const keyTags = await kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
    assert.ok(keyTags.Tags!.some((t) => t.TagKey === 'Owner' && t.TagValue === 'ops'));
    assert.equal((await logs.send(new ListLogTagsCommand({ resourceArn: groupArn }))).tags!.Owner, 'ops');
    await carol.tagging.send(new UntagResourcesCommand({ ResourceARNList: [keyArn, groupArn, zoneArn, checkArn], TagKeys: ['Owner', 'Stack'] }));
    assert.deepEqual(await byType('kms:key'), []);
    assert.deepEqual(await byType('route53'), []);
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
