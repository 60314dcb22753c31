// The queue path's pure parts: an EventBridge "AWS API Call via CloudTrail" envelope → the change
// event the LookupEvents path produces; SQS queue URLs; remembering processed event ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyFingerprint } from '../../server/src/cloud/cloudtrail';
import { rememberQueueEvents, freshCursor } from '../../server/src/watch/cursor';
import { parseQueueMessage, parseQueueUrl } from '../../server/src/watch/queue-events';

const record = {
  eventVersion: '1.09',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/carol', accessKeyId: 'AKIACAROL', userName: 'carol' },
  eventTime: '2026-03-01T10:31:09Z', eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress', awsRegion: 'eu-west-1',
  userAgent: 'aws-cli/2.9.19', requestParameters: { groupId: 'sg-0web', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22 }] } },
  eventID: 'e-1', readOnly: false, eventType: 'AwsApiCall',
};
const envelope = (detail: unknown, detailType = 'AWS API Call via CloudTrail') =>
  JSON.stringify({ version: '0', id: 'x', 'detail-type': detailType, source: 'aws.ec2', account: '123456789012', time: '2026-03-01T10:31:09Z', region: 'eu-west-1', resources: [], detail });

test('an envelope becomes the same change event as its LookupEvents record', () => {
  const parsed = parseQueueMessage(envelope(record));
  assert.equal(parsed.kind, 'event');
  if (parsed.kind !== 'event') return;
  assert.deepEqual(parsed.event, {
    eventId: 'e-1', at: '2026-03-01T10:31:09.000Z', eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress',
    principalArn: 'arn:aws:iam::123456789012:user/carol', sourceIdentity: undefined, readOnly: false, errorCode: undefined,
    resources: ['sg-0web'], userAgent: 'aws-cli/2.9.19', parameterNames: ['groupId', 'ipPermissions'],
    sessionName: undefined, keyFingerprint: keyFingerprint('AKIACAROL'),
  });
  assert.equal(parsed.account, '123456789012');
  assert.equal(parsed.region, 'eu-west-1');
});

test('envelope table: names from the record and its parameters; what is ignored; what is unparseable', () => {
  const cases: Array<{ name: string; body: string; kind: string; resources?: string[]; session?: string; reason?: RegExp }> = [
    { name: 'ARNs of the record and an EC2 item list', body: envelope({ ...record, resources: [{ ARN: 'arn:aws:s3:::assets' }], requestParameters: { resourcesSet: { items: [{ resourceId: 'i-1' }] } } }), kind: 'event', resources: ['arn:aws:s3:::assets', 'i-1'] },
    { name: 'bucket name', body: envelope({ ...record, eventSource: 's3.amazonaws.com', requestParameters: { bucketName: 'assets', Tagging: {} } }), kind: 'event', resources: ['assets'] },
    { name: 'assumed role session', body: envelope({ ...record, userIdentity: { arn: 'arn:aws:sts::123456789012:assumed-role/prod-operator/alice-1' } }), kind: 'event', session: 'alice-1' },
    { name: 'a read-only call', body: envelope({ ...record, readOnly: true }), kind: 'ignored' },
    { name: 'another detail type', body: envelope({}, 'AWS Console Sign In via CloudTrail'), kind: 'ignored' },
    { name: 'not JSON', body: 'hello', kind: 'unparseable', reason: /not JSON/ },
    { name: 'an array', body: '[]', kind: 'unparseable', reason: /not a JSON object/ },
    { name: 'no detail-type', body: '{"detail":{}}', kind: 'unparseable', reason: /detail-type/ },
    { name: 'detail not an object', body: envelope('x'), kind: 'unparseable', reason: /"detail" is not an object/ },
    { name: 'no eventID', body: envelope({ ...record, eventID: undefined }), kind: 'unparseable', reason: /detail\.eventID/ },
    { name: 'a bad time', body: envelope({ ...record, eventTime: 'yesterday' }), kind: 'unparseable', reason: /not a time/ },
  ];
  for (const c of cases) {
    const parsed = parseQueueMessage(c.body);
    assert.equal(parsed.kind, c.kind, c.name);
    if (parsed.kind === 'event' && c.resources) assert.deepEqual(parsed.event.resources, c.resources, c.name);
    if (parsed.kind === 'event' && c.session) assert.equal(parsed.event.sessionName, c.session, c.name);
    if (parsed.kind !== 'event' && c.reason) assert.match(parsed.reason, c.reason, c.name);
  }
});

test('queue URLs: AWS hosts give the region; a custom endpoint is accepted; anything else is refused', () => {
  assert.deepEqual(parseQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/tidemark-events'), { account: '123456789012', name: 'tidemark-events', region: 'eu-west-1' });
  assert.deepEqual(parseQueueUrl('https://us-east-1.queue.amazonaws.com/123456789012/q'), { account: '123456789012', name: 'q', region: 'us-east-1' });
  assert.deepEqual(parseQueueUrl('http://127.0.0.1:4510/123456789012/q'), { account: '123456789012', name: 'q', region: undefined });
  assert.match(parseQueueUrl('not a url') as string, /is not a URL/);
  assert.match(parseQueueUrl('https://example.com/queue') as string, /not an SQS queue URL/);
  assert.match(parseQueueUrl('ftp://sqs.us-east-1.amazonaws.com/123456789012/q') as string, /not an SQS queue URL/);
});

test('processed queue event ids are remembered, and forgotten a day after the newest', () => {
  let cursor = rememberQueueEvents(freshCursor(new Date('2026-03-01T00:00:00Z')), [{ eventId: 'old', at: '2026-03-01T00:00:00Z' }]);
  cursor = rememberQueueEvents(cursor, [{ eventId: 'a', at: '2026-03-02T00:00:00Z' }]);
  assert.deepEqual(cursor.queueSeen, { old: '2026-03-01T00:00:00Z', a: '2026-03-02T00:00:00Z' });
  cursor = rememberQueueEvents(cursor, [{ eventId: 'b', at: '2026-03-02T00:00:01Z' }]);
  assert.deepEqual(Object.keys(cursor.queueSeen!).sort(), ['a', 'b']);
});
