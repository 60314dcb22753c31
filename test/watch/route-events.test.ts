// Routing a team watch's queue events to its roots by the account and region each came from:
// a root takes its account's events in its regions (global services' us-east-1 events by account
// alone); what no root takes is counted by account/region, not an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChangeEvent } from '../../server/src/model';
import { routeEvents, type EventOrigin, type RouteTarget } from '../../server/src/watch/route-events';

const event = (eventId: string, eventSource = 'ec2.amazonaws.com'): ChangeEvent => ({ eventId, at: '2026-11-30T10:00:00Z', eventSource, eventName: 'CreateTags', resources: [] });

test('events go to the roots of their account and region; the rest are counted by account/region', () => {
  const prod: RouteTarget = { account: '111111111111', regions: ['eu-west-1', 'us-east-1'] };
  const staging: RouteTarget = { account: '222222222222', regions: ['eu-central-1'] };
  const cases: Array<[string, ChangeEvent, EventOrigin, 'prod' | 'staging' | 'both' | 'ignored']> = [
    ['prod account, prod region', event('e1'), { account: '111111111111', region: 'eu-west-1' }, 'prod'],
    ['staging account, staging region', event('e2'), { account: '222222222222', region: 'eu-central-1' }, 'staging'],
    ['prod account, a region prod does not read', event('e3'), { account: '111111111111', region: 'ap-south-1' }, 'ignored'],
    ['unknown account', event('e4'), { account: '999999999999', region: 'eu-west-1' }, 'ignored'],
    ['IAM (global, recorded in us-east-1) for staging, which reads eu-central-1 only', event('e5', 'iam.amazonaws.com'), { account: '222222222222', region: 'us-east-1' }, 'staging'],
    ['a regional service in us-east-1 for staging', event('e6', 'ec2.amazonaws.com'), { account: '222222222222', region: 'us-east-1' }, 'ignored'],
    ['an envelope without account or region', event('e7'), {}, 'both'],
  ];
  for (const [name, e, origin, expected] of cases) {
    const routed = routeEvents([prod, staging], [e], () => origin);
    const got = routed.byTarget[0]!.length && routed.byTarget[1]!.length ? 'both' : routed.byTarget[0]!.length ? 'prod' : routed.byTarget[1]!.length ? 'staging' : 'ignored';
    assert.equal(got, expected, name);
    assert.equal(routed.ignored.size, expected === 'ignored' ? 1 : 0, name);
  }
});

test('ignored events are counted per account/region across a batch; a target without account or regions takes everything', () => {
  const origins = new Map<string, EventOrigin>([
    ['a', { account: '999999999999', region: 'eu-west-1' }],
    ['b', { account: '999999999999', region: 'eu-west-1' }],
    ['c', { account: '888888888888', region: 'us-west-2' }],
  ]);
  const events = [...origins.keys()].map((id) => event(id));
  const routed = routeEvents([{ account: '111111111111' }], events, (e) => origins.get(e.eventId)!);
  assert.deepEqual([...routed.ignored], [['999999999999/eu-west-1', 2], ['888888888888/us-west-2', 1]]);
  assert.deepEqual(routeEvents([{}], events, (e) => origins.get(e.eventId)!).byTarget[0]!.map((e) => e.eventId), ['a', 'b', 'c']);
});
