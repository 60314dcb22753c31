// Text fields sent to the broker are checked before they reach the ledger: a NUL byte (which
// PostgreSQL cannot store) or another control character is a 400 naming the field, not a 500.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROOF_HEADER, RunningHttpBroker, serveBroker } from '../../server/src/access/http-server';
import { checkText, forbiddenCharacter } from '../../server/src/access/operations';
import { closeSharedLedger, harness, Harness } from './helpers';
import type { Principal } from '../../server/src/access/broker';

let h: Harness;
let http: RunningHttpBroker;
const serverLog: string[] = [];

before(async () => {
  h = await harness();
  http = await serveBroker(h.broker, { log: (line) => serverLog.push(line) });
});

after(async () => {
  await http?.close();
  await h?.broker.stop();
  await closeSharedLedger();
});

async function post(as: Principal, op: string, body: unknown): Promise<{ status: number; json: { result?: unknown; error?: { code: string; message: string } } }> {
  const proof = Buffer.from(JSON.stringify(await h.proofFor(as))).toString('base64url');
  const res = await fetch(`${http.url}/v1/${op}`, { method: 'POST', headers: { [PROOF_HEADER]: proof, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as never };
}

test('a NUL byte in a reason is a 400 naming the field, and nothing is stored', async () => {
  const res = await post(h.alice, 'request', { role: 'prod-operator', durationSeconds: 1800, reason: 'fix\u0000it' });
  assert.equal(res.status, 400, JSON.stringify(res.json));
  assert.equal(res.json.error?.code, 'bad-request');
  assert.match(res.json.error?.message ?? '', /'reason' contains U\+0000 at character 4; tab and newline are the only control characters allowed/);
  assert.deepEqual(await h.broker.grants({ all: true }), []);
  assert.deepEqual(serverLog, [], 'a refused request is no internal error');
});

test('one-line fields refuse newlines and escape sequences; prose fields keep tabs and newlines', async () => {
  const ticket = await post(h.alice, 'request', { role: 'prod-operator', durationSeconds: 1800, reason: 'ok', ticket: 'OPS-1\nApproved by CISO' });
  assert.equal(ticket.status, 400);
  assert.match(ticket.json.error?.message ?? '', /'ticket' contains U\+000A at character 6; it must be one line of text without control characters/);
  const role = await post(h.alice, 'request', { role: 'prod-\u001b[2Joperator', durationSeconds: 1800, reason: 'ok' });
  assert.match(role.json.error?.message ?? '', /'role' contains U\+001B/);
  const bidi = await post(h.alice, 'request', { role: 'prod-operator', durationSeconds: 1800, reason: 'rotate \u202Eyek\u202C' });
  assert.match(bidi.json.error?.message ?? '', /'reason' contains U\+202E/);
  const prose = await post(h.alice, 'request', { role: 'prod-operator', durationSeconds: 1800, reason: 'incident 42:\n\tdisk full' });
  assert.equal(prose.status, 200, JSON.stringify(prose.json));
});

test('lengths are bounded per field', async () => {
  const long = await post(h.alice, 'request', { role: 'prod-operator', durationSeconds: 1800, reason: 'x'.repeat(2001) });
  assert.equal(long.status, 400);
  assert.match(long.json.error?.message ?? '', /'reason' is 2001 characters; at most 2000/);
  const id = await post(h.bob, 'approve', { id: 'g'.repeat(65) });
  assert.match(id.json.error?.message ?? '', /'id' is 65 characters; at most 64/);
  const comment = await post(h.bob, 'deny', { id: 'nope', comment: 'a\u0007b' });
  assert.match(comment.json.error?.message ?? '', /'comment' contains U\+0007/);
});

test('the character check is exact about what it allows', () => {
  assert.equal(forbiddenCharacter('tab\tand\nnewline\r\n', true), undefined);
  assert.deepEqual(forbiddenCharacter('a\nb', false), { at: 1, code: 'U+000A' });
  assert.deepEqual(forbiddenCharacter('\u007f', true), { at: 0, code: 'U+007F' });
  assert.deepEqual(forbiddenCharacter('\u2067', true), { at: 0, code: 'U+2067' });
  assert.equal(forbiddenCharacter('Zürich — ✓ 日本', false), undefined);
  assert.equal(checkText('reason', 'plain'), 'plain');
});

test('session commands are kept, with control characters written as visible escapes', async () => {
  const requested = await post(h.alice, 'request', { role: 'prod-operator', durationSeconds: 1800, reason: 'commands' });
  const id = (requested.json.result as { id: string }).id;
  assert.equal((await post(h.bob, 'approve', { id })).status, 200);
  const res = await post(h.alice, 'recordCommands', { id, commands: [{ command: 'echo a\u0000b\u001b[31m', cwd: '/tmp\u0000' }] });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  const timeline = JSON.stringify(await h.broker.timeline(h.alice, id));
  assert.ok(timeline.includes('echo a\\\\u{0}b\\\\u{1b}[31m'), timeline);
});
