// `tidemark events init`: the module it writes parses with HashiCorp's HCL parser and names, per
// region (us-east-1 always, for IAM), the rule, its SQS target queue, the queue policy and the
// dead-letter queue; an existing file is never overwritten; a bad region is one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../server/src/cli/io';
import { run } from '../../server/src/cli/events';
import { parseHclToJson } from '../../server/src/hcl/hcl2json-runtime';

async function events(cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  const io: CliIO = { cwd, env: {}, out: (t) => (out += t + '\n'), err: () => undefined, isTTY: false };
  try {
    return { code: await run(args, io), out, err: '' };
  } catch (error) {
    return { code: (error as { exitCode?: number }).exitCode ?? 99, out, err: (error as Error).message };
  }
}

test('events init writes a module naming the rule, queue, policy and dead-letter queue per region', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-events-'));
  try {
    const r = await events(dir, ['init', '--regions', 'eu-west-1']);
    assert.equal(r.code, 0, r.err);
    const text = readFileSync(path.join(dir, 'tidemark-events', 'main.tf'), 'utf8');
    const json = await parseHclToJson('main.tf', text) as { resource: Record<string, Record<string, Array<Record<string, unknown>>>>; provider: { aws: Array<{ region: string }> } };
    for (const l of ['us_east_1', 'eu_west_1']) {
      assert.ok(json.resource.aws_cloudwatch_event_rule[`writes_${l}`], `rule in ${l}`);
      assert.ok(json.resource.aws_cloudwatch_event_target[`queue_${l}`], `target in ${l}`);
      assert.ok(json.resource.aws_sqs_queue[`events_${l}`], `queue in ${l}`);
      assert.ok(json.resource.aws_sqs_queue[`dlq_${l}`], `dead-letter queue in ${l}`);
      assert.ok(json.resource.aws_sqs_queue_policy[`events_${l}`], `queue policy in ${l}`);
      assert.match(String(json.resource.aws_sqs_queue[`events_${l}`]![0]!.redrive_policy), new RegExp(`aws_sqs_queue\\.dlq_${l}\\.arn`));
      assert.match(String(json.resource.aws_sqs_queue_policy[`events_${l}`]![0]!.policy), /events\.amazonaws\.com[\s\S]*aws_cloudwatch_event_rule\.writes_/);
    }
    assert.match(String(json.resource.aws_cloudwatch_event_rule.writes_us_east_1![0]!.event_pattern), /AWS API Call via CloudTrail[\s\S]*readOnly[\s\S]*false/);
    assert.deepEqual(json.provider.aws.map((p) => p.region).sort(), ['eu-west-1', 'us-east-1']);

    const again = await events(dir, ['init']);
    assert.equal(again.code, 1);
    assert.match(again.err, /tidemark-events\/main\.tf: already exists; not overwritten/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('events init: a bad region, or an existing file in --dir, is one line and exit 1', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-events-'));
  try {
    const bad = await events(dir, ['init', '--regions', 'us-east-1,moon']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^--regions: 'moon' is not an AWS region name/);
    mkdirSync(path.join(dir, 'ev'));
    writeFileSync(path.join(dir, 'ev', 'main.tf'), '# mine\n');
    const taken = await events(dir, ['init', '--dir', 'ev']);
    assert.equal(taken.code, 1);
    assert.equal(readFileSync(path.join(dir, 'ev', 'main.tf'), 'utf8'), '# mine\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
