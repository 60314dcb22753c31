// `npm run demo` is the product's story; this runs it exactly as a newcomer would (the built CLI
// in its own processes against the embedded sandbox) and checks what it printed at each turn.
// The demo itself asserts the live state after every step and exits non-zero when one is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { childEnv } from '../support/child-env';

const root = path.resolve(__dirname, '../../..');

test('the demo story runs end to end: attribution, adoption, automatic revert, an unauthorized change to a webhook, audit', () => {
  const run = spawnSync(process.execPath, [path.join(root, 'out/demo/run.js')], { cwd: root, encoding: 'utf8', timeout: 300_000, env: childEnv({ NO_COLOR: '1' }) });
  const out = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.status, 0, out);
  const grant = /grant (g-[a-z0-9]+) pending/.exec(out)?.[1];
  assert.ok(grant, out);
  assert.match(out, /requesters cannot approve their own request/);
  // The grant is scoped: bob sees the scope before approving; the call outside it is refused by AWS and flagged.
  assert.match(out, /scope: 2 resources\n\s+aws_security_group\.web\s+arn:aws:ec2:\S+:security-group\/sg-\w+\n\s+aws_instance\.worker\s+arn:aws:ec2:\S+:instance\/i-\w+/);
  assert.match(out, /ec2\.amazonaws\.com StopInstances arn:aws:ec2:\S+ — denied: outside the grant's scope \((Client\.)?UnauthorizedOperation\)|ec2\.amazonaws\.com StopInstances — denied: outside the grant's scope/);
  assert.match(out, /ALERT alice's grant g-\w+: StopInstances .*denied: outside the grant's scope/);
  assert.match(out, new RegExp(`under grant ${grant}`), 'the drift is attributed to the grant');
  assert.match(out, /port 22 closed again \(reverted\); worker: t3\.large \(adopted, kept\)/);
  assert.match(out, /NO GRANT: changed by carol/);
  assert.match(out, /webhook received \(HMAC signature verified\): ERROR drift-appeared: unauthorized change: aws_s3_bucket\.logs: tags\.Team/);
  assert.match(out, /aws_security_group\.web ingress\s+reverted/, 'tidemark log shows the revert');
  assert.match(out, /aws_instance\.worker instance_type\s+adopted/, 'tidemark log shows the adoption');
  assert.match(out, /audit chain intact/);
});
