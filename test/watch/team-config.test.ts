// The `watch:` section of config.yaml that a team broker follows: defaults, and mistakes named by
// file:line:column and field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseTeamWatchConfig, TeamWatchConfigError } from '../../server/src/watch/team-config';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/tidemark-events';

test('no watch section: the broker watches nothing; a section gets the defaults', () => {
  assert.equal(parseTeamWatchConfig('users: []\n', 'c.yaml', '/w'), undefined);
  assert.deepEqual(parseTeamWatchConfig(`watch:\n  queues: [${QUEUE}]\n  webhooks:\n    - url: https://hooks.example.com/t\n`, 'c.yaml', '/w'), {
    root: path.resolve('/w'), region: undefined, roots: [{ root: path.resolve('/w'), region: undefined }], routed: false, queues: [QUEUE], intervalMs: 30_000, sweepMs: 900_000, budget: 20,
    webhooks: [{ url: 'https://hooks.example.com/t', format: 'json', secretEnv: undefined }],
  });
  const full = parseTeamWatchConfig('watch:\n  root: infra/prod\n  region: eu-west-1\n  interval: 1m\n  sweep: 1h\n  budget: 5\n  webhooks:\n    - { url: "http://h/x", format: slack, secretEnv: HOOK_KEY }\n', 'c.yaml', '/w')!;
  assert.equal(full.root, path.resolve('/w/infra/prod'));
  assert.equal(full.region, 'eu-west-1');
  assert.deepEqual([full.intervalMs, full.sweepMs, full.budget], [60_000, 3_600_000, 5]);
  assert.deepEqual(full.webhooks, [{ url: 'http://h/x', format: 'slack', secretEnv: 'HOOK_KEY' }]);
});

test('several roots: each with its account and regions (or none: derived when the watch starts); events are routed', () => {
  const c = parseTeamWatchConfig('watch:\n  roots:\n    - { root: infra/prod, account: "012345678901", regions: [eu-west-1, us-east-1] }\n    - root: infra/staging\n', 'c.yaml', '/w')!;
  assert.equal(c.routed, true);
  assert.deepEqual(c.roots, [
    { root: path.resolve('/w/infra/prod'), account: '012345678901', regions: ['eu-west-1', 'us-east-1'], region: 'eu-west-1' },
    { root: path.resolve('/w/infra/staging'), account: undefined, regions: undefined, region: undefined },
  ]);
  assert.equal(c.root, path.resolve('/w/infra/prod'));
});

const bad: Array<[string, RegExp]> = [
  ['watch:\n  root: a\n  roots: [{ root: b }]\n', /^c\.yaml:2:9: watch\.root and watch\.roots exclude each other/],
  ['watch:\n  roots: []\n', /^c\.yaml:2:10: watch\.roots must be a list/],
  ['watch:\n  roots:\n    - { root: a, acount: "123456789012" }\n', /^c\.yaml:3:18: watch\.roots\[0\]\.acount is not a root field/],
  ['watch:\n  roots:\n    - { account: "123456789012" }\n', /^c\.yaml:3:7: watch\.roots\[0\] is missing 'root'/],
  ['watch:\n  roots:\n    - { root: a, account: 012345678901 }\n', /^c\.yaml:3:27: watch\.roots\[0\]\.account must be a 12-digit AWS account id in quotes, not '12345678901'/],
  ['watch:\n  roots:\n    - { root: a, regions: [eu-west] }\n', /^c\.yaml:3:28: watch\.roots\[0\]\.regions\[0\] must be an AWS region/],
  ['watch:\n  roots:\n    - { root: a }\n    - { root: ./a }\n', /^c\.yaml:4:15: watch\.roots\[1\]\.root '\.\/a' is listed twice/],
  ['watch: yes\n', /^c\.yaml:1:8: watch must be a mapping/],
  ['watch:\n  queue: x\n', /^c\.yaml:2:3: watch\.queue is not a setting \(expected root, region, roots, queues/],
  ['watch:\n  queues: [https://example.com/q]\n', /^c\.yaml:2:12: watch\.queues\[0\]: 'https:\/\/example\.com\/q' is not an SQS queue URL/],
  ['watch:\n  sweep: soon\n', /^c\.yaml:2:10: watch\.sweep 'soon' is not a duration/],
  ['watch:\n  budget: 0\n', /^c\.yaml:2:11: watch\.budget must be a whole number of at least 1/],
  ['watch:\n  webhooks:\n    - url: ftp://x\n', /^c\.yaml:3:12: watch\.webhooks\[0\]\.url must be an http\(s\) URL/],
  ['watch:\n  webhooks:\n    - url: http://x\n      format: teams\n', /^c\.yaml:4:15: watch\.webhooks\[0\]\.format must be one of slack, json/],
];
for (const [text, message] of bad) {
  test(`a broken watch section ${JSON.stringify(text)} is named by line and field`, () => {
    assert.throws(() => parseTeamWatchConfig(text, 'c.yaml', '/w'), (e: unknown) => e instanceof TeamWatchConfigError && message.test(e.message));
  });
}
