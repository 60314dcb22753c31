// CloudTrail LookupEvents through the real SDK: every mutating call (allowed or refused) and every
// AssumeRole recorded with a real-shaped userIdentity; lookup attributes, time range, pagination
// at 50 a page, and the 2-requests-per-second throttle.
import { LookupEventsCommand, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { CreateTagsCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxHandle, Scenario } from '../../sandbox/src/index';
import { clientsFor, failure, keyOf, startDemo, type Clients } from './helpers';
import { fakeKeyId } from '../support/fake-keys';

const WEB = 'i-0a1b2c3d4e5f60c01';

interface EventRecord {
  eventVersion: string;
  userIdentity: Record<string, unknown> & { sessionContext?: { sourceIdentity?: string; sessionIssuer: Record<string, string>; attributes: Record<string, string> } };
  eventSource: string;
  eventName: string;
  awsRegion: string;
  errorCode?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  resources?: { ARN: string; type: string; accountId: string }[];
  readOnly: boolean;
  eventID: string;
  eventType: string;
}

describe('CloudTrail', () => {
  let sandbox: SandboxHandle;
  let scenario: Scenario;
  let reader: Clients;
  let carol: Clients;
  let operator: Clients;

  before(async () => {
    ({ sandbox, scenario } = await startDemo({}, (s) => {
      s.limits = { lookupEventsPerSecond: 0 };
      s.users!.push({ name: 'nobody', accessKeys: [{ id: fakeKeyId('AKIA'), secret: 'nobody-secret-00000000000000' }] });
    }));
    reader = clientsFor(sandbox, keyOf(scenario, 'drift-reader'));
    carol = clientsFor(sandbox, keyOf(scenario, 'carol'));
    const broker = clientsFor(sandbox, keyOf(scenario, 'tidemark-broker'));
    const assumed = await broker.sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/prod-operator', RoleSessionName: 'tidemark-g42', SourceIdentity: 'alice', Tags: [{ Key: 'tidemark-grant', Value: 'g42' }] }));
    operator = clientsFor(sandbox, { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! });
    await operator.ec2.send(new StopInstancesCommand({ InstanceIds: [WEB] }));
    await carol.ec2.send(new CreateTagsCommand({ Resources: [WEB], Tags: [{ Key: 'Env', Value: 'staging' }] }));
    await failure(reader.ec2.send(new CreateTagsCommand({ Resources: [WEB], Tags: [{ Key: 'Env', Value: 'x' }] })));
  });
  after(() => sandbox.stop());

  const lookup = async (key: string, value: string): Promise<EventRecord[]> => {
    const out = await reader.cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: key as 'EventName', AttributeValue: value }] }));
    return out.Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as EventRecord);
  };

  it('records a role session’s change with the session issuer and its SourceIdentity', async () => {
    const out = await reader.cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StopInstances' }] }));
    assert.equal(out.Events!.length, 1);
    const e = out.Events![0]!;
    assert.equal(e.Username, 'tidemark-g42');
    assert.equal(e.EventSource, 'ec2.amazonaws.com');
    assert.deepEqual(e.Resources, [{ ResourceType: 'AWS::EC2::Instance', ResourceName: WEB }]);
    assert.match(e.AccessKeyId!, /^ASIA/);
    const record = JSON.parse(e.CloudTrailEvent!) as EventRecord;
    assert.equal(record.userIdentity.type, 'AssumedRole');
    assert.equal(record.userIdentity.arn, 'arn:aws:sts::123456789012:assumed-role/prod-operator/tidemark-g42');
    assert.match(String(record.userIdentity.principalId), /^AROA[A-Z0-9]+:tidemark-g42$/);
    assert.equal(record.userIdentity.accessKeyId, e.AccessKeyId);
    assert.equal(record.userIdentity.sessionContext!.sourceIdentity, 'alice');
    assert.deepEqual(record.userIdentity.sessionContext!.sessionIssuer.arn, 'arn:aws:iam::123456789012:role/prod-operator');
    assert.equal(record.userIdentity.sessionContext!.sessionIssuer.type, 'Role');
    assert.equal(record.userIdentity.sessionContext!.attributes.mfaAuthenticated, 'false');
    assert.deepEqual(record.requestParameters, { instancesSet: { items: [{ instanceId: WEB }] } });
    assert.equal(record.readOnly, false);
    assert.equal(record.eventType, 'AwsApiCall');
    assert.equal(record.eventVersion, '1.09');
    assert.deepEqual(record.resources, [{ accountId: '123456789012', type: 'AWS::EC2::Instance', ARN: `arn:aws:ec2:us-east-1:123456789012:instance/${WEB}` }]);
  });

  it('records an IAM user’s change and a refused call with its error code', async () => {
    const events = await lookup('EventName', 'CreateTags');
    const byCarol = events.find((e) => e.userIdentity.userName === 'carol')!;
    assert.equal(byCarol.userIdentity.type, 'IAMUser');
    assert.equal(byCarol.userIdentity.arn, 'arn:aws:iam::123456789012:user/carol');
    assert.deepEqual(byCarol.requestParameters, { resourcesSet: { items: [{ resourceId: WEB }] }, tagSet: { items: [{ key: 'Env', value: 'staging' }] } });
    assert.equal(byCarol.errorCode, undefined);
    const refused = events.find((e) => e.userIdentity.userName === 'drift-reader')!;
    assert.equal(refused.errorCode, 'Client.UnauthorizedOperation');
    assert.equal(refused.responseElements, null);
  });

  it('records AssumeRole with the role as resource and the issued key', async () => {
    const [assume] = await lookup('EventName', 'AssumeRole');
    assert.equal(assume!.eventSource, 'sts.amazonaws.com');
    assert.equal(assume!.userIdentity.userName, 'tidemark-broker');
    assert.deepEqual(assume!.requestParameters, { roleArn: 'arn:aws:iam::123456789012:role/prod-operator', roleSessionName: 'tidemark-g42', sourceIdentity: 'alice', tags: [{ key: 'tidemark-grant', value: 'g42' }] });
    assert.equal((assume!.responseElements!.credentials as { accessKeyId: string }).accessKeyId, (await lookup('EventName', 'StopInstances'))[0]!.userIdentity.accessKeyId);
  });

  it('filters by Username, AccessKeyId, ResourceName and time range', async () => {
    assert.equal((await lookup('Username', 'tidemark-g42')).length, 1);
    const key = (await lookup('EventName', 'StopInstances'))[0]!.userIdentity.accessKeyId as string;
    assert.deepEqual((await lookup('AccessKeyId', key)).map((e) => e.eventName), ['StopInstances']);
    assert.equal((await lookup('ResourceName', WEB)).length, 3);
    const future = await reader.cloudtrail.send(new LookupEventsCommand({ StartTime: new Date(Date.now() + 3600_000), EndTime: new Date(Date.now() + 7200_000) }));
    assert.deepEqual(future.Events, []);
    const bad = await failure(reader.cloudtrail.send(new LookupEventsCommand({ StartTime: new Date(Date.now()), EndTime: new Date(Date.now() - 1000) })));
    assert.equal(bad.name, 'InvalidTimeRangeException');
    const two = await failure(reader.cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'a' }, { AttributeKey: 'Username', AttributeValue: 'b' }] })));
    assert.equal(two.name, 'InvalidLookupAttributesException');
  });

  it('pages newest first, at most 50 events a page', async () => {
    for (let n = 0; n < 60; n++) await carol.ec2.send(new CreateTagsCommand({ Resources: [WEB], Tags: [{ Key: 'n', Value: String(n) }] }));
    const pages: number[] = [];
    const values: string[] = [];
    for await (const page of paginateLookupEvents({ client: reader.cloudtrail }, { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'carol' }] })) {
      pages.push(page.Events!.length);
      for (const e of page.Events!) {
        const tag = (JSON.parse(e.CloudTrailEvent!) as EventRecord).requestParameters as { tagSet: { items: { key: string; value: string }[] } };
        values.push(tag.tagSet.items[0]!.value);
      }
    }
    assert.deepEqual(pages, [50, 11]);
    assert.equal(values[0], '59', 'newest first');
    assert.equal(values[59], '0');
    const tooMany = await failure(reader.cloudtrail.send(new LookupEventsCommand({ MaxResults: 51 })));
    assert.equal(tooMany.name, 'InvalidMaxResultsException');
  });

  it('refuses LookupEvents without cloudtrail:LookupEvents', async () => {
    const err = await failure(clientsFor(sandbox, keyOf(scenario, 'nobody')).cloudtrail.send(new LookupEventsCommand({})));
    assert.equal(err.name, 'AccessDeniedException');
    assert.match(err.message, /cloudtrail:LookupEvents/);
  });

  it('throttles LookupEvents above two requests per second per account, as AWS does', async () => {
    const { sandbox: limited, scenario: s } = await startDemo();
    try {
      const c = clientsFor(limited, keyOf(s, 'drift-reader'), 1);
      await c.cloudtrail.send(new LookupEventsCommand({}));
      await c.cloudtrail.send(new LookupEventsCommand({}));
      const err = await failure(c.cloudtrail.send(new LookupEventsCommand({})));
      assert.equal(err.name, 'ThrottlingException');
    } finally {
      await limited.stop();
    }
  });
});
