// Webhook delivery to a local HTTP receiver: both formats, the HMAC signature checked the way a
// receiver would, retries on 500 and while the receiver is down (sending never waits for it), the
// bounded queue dropping the oldest, and secrets kept out of alert bodies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert } from '../../server/src/alerts/alert';
import { SIGNATURE_HEADER, verifySignature } from '../../server/src/alerts/format';
import { AlertBus } from '../../server/src/alerts/sink';
import { WebhookSink } from '../../server/src/alerts/webhook';
import { fakeKeyId } from '../support/fake-keys';

/** A key id that appears in a command line an alert carries: it must never reach the webhook. */
const CAROL_KEY = fakeKeyId('AKIA');

interface Delivery {
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A receiver answering with `statuses` in turn (then 200), recording what it accepted. */
async function receiver(statuses: number[] = [], port = 0): Promise<{ url: string; port: number; got: Delivery[]; hits: number; close(): Promise<void> }> {
  const got: Delivery[] = [];
  const state = { hits: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.hits++;
      const status = statuses.shift() ?? 200;
      if (status === 200) got.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const p = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${p}/hook`, port: p, got,
    get hits() { return state.hits; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port with nothing listening (the receiver is "down"). */
async function downPort(): Promise<number> {
  const r = await receiver();
  await r.close();
  return r.port;
}

const alert = (n: number, over: Partial<Alert> = {}): Alert => ({
  id: `a${n}`, at: '2026-11-25T10:31:00.000Z', severity: 'error', kind: 'drift-appeared',
  resource: 'aws_security_group.web', attribute: 'ingress', file: 'network.tf', line: 110,
  attribution: { class: 'no-grant', actor: 'carol', principalArn: 'arn:aws:iam::123456789012:user/carol', eventName: 'ec2:AuthorizeSecurityGroupIngress', summary: 'changed by carol outside any Tidemark grant' },
  message: `unauthorized change number ${n}`, ...over,
});

const fast = { baseDelayMs: 2, maxDelayMs: 10 };

test('slack format: {text, blocks}, signed with HMAC-SHA256 over the exact body', async () => {
  const r = await receiver();
  const secret = 'hook-secret-for-tests';
  const sink = new WebhookSink({ url: r.url, format: 'slack', secret, ...fast });
  try {
    sink.send(alert(1));
    await sink.idle();
    assert.equal(r.got.length, 1);
    const { body, headers } = r.got[0]!;
    // What a receiver runs: HMAC over the raw bytes with the shared secret.
    const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    assert.equal(headers[SIGNATURE_HEADER.toLowerCase()], expected);
    assert.equal(verifySignature(body, secret, expected), true);
    assert.equal(verifySignature(body, 'another-secret', expected), false);
    const payload = JSON.parse(body) as { text: string; blocks: Array<{ type: string }> };
    assert.match(payload.text, /^ERROR drift-appeared aws_security_group\.web ingress: unauthorized change number 1$/);
    assert.deepEqual(payload.blocks.map((b) => b.type), ['section', 'section', 'section', 'context']);
    assert.match(JSON.stringify(payload.blocks), /carol/);
    assert.equal(headers['content-type'], 'application/json');
  } finally {
    await sink.close();
    await r.close();
  }
});

test('generic JSON format: the alert under a versioned schema; unsigned without a secret', async () => {
  const r = await receiver();
  const sink = new WebhookSink({ url: r.url, format: 'json', ...fast });
  try {
    sink.send(alert(2));
    await sink.idle();
    const payload = JSON.parse(r.got[0]!.body) as { schema: string; alert: Alert };
    assert.equal(payload.schema, 'tidemark.alert/v1');
    assert.deepEqual(payload.alert, alert(2));
    assert.equal(r.got[0]!.headers[SIGNATURE_HEADER.toLowerCase()], undefined);
  } finally {
    await sink.close();
    await r.close();
  }
});

test('a receiver answering 500 is retried until it accepts; a 400 is given up at once', async () => {
  const r = await receiver([500, 503]);
  const logs: string[] = [];
  const sink = new WebhookSink({ url: r.url, format: 'json', ...fast, log: (m) => logs.push(m) });
  try {
    sink.send(alert(3));
    await sink.idle();
    assert.equal(r.hits, 3);
    assert.deepEqual(r.got.map((d) => (JSON.parse(d.body) as { alert: Alert }).alert.id), ['a3']);
    assert.deepEqual({ ...sink.stats }, { delivered: 1, dropped: 0, failed: 0, attempts: 3, queued: 0 });
  } finally {
    await sink.close();
    await r.close();
  }
  const bad = await receiver([400]);
  const sink2 = new WebhookSink({ url: bad.url, format: 'json', ...fast, log: (m) => logs.push(m) });
  try {
    sink2.send(alert(4));
    await sink2.idle();
    assert.equal(bad.hits, 1);
    assert.equal(sink2.stats.failed, 1);
    assert.match(logs.join('\n'), /gave up on alert a4 after 1 attempt\(s\): HTTP 400/);
  } finally {
    await sink2.close();
    await bad.close();
  }
});

test('while the receiver is down, emitting returns at once; everything arrives, in order, once it is up', async () => {
  const port = await downPort();
  const sink = new WebhookSink({ url: `http://127.0.0.1:${port}/hook`, format: 'json', ...fast, maxAttempts: 100_000 });
  const bus = new AlertBus([sink]);
  let r: Awaited<ReturnType<typeof receiver>> | undefined;
  try {
    // The engine's side: emit returns synchronously, nothing waits for the network.
    for (let n = 1; n <= 5; n++) bus.emit(alert(n));
    assert.equal(sink.stats.delivered, 0);
    assert.equal(sink.stats.queued, 5);
    // Let it fail a few times against the closed port before the receiver comes up.
    while (sink.stats.attempts < 3) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(sink.stats.delivered, 0);
    r = await receiver([], port);
    await sink.idle();
    assert.deepEqual(r.got.map((d) => (JSON.parse(d.body) as { alert: Alert }).alert.id), ['a1', 'a2', 'a3', 'a4', 'a5']);
    assert.equal(sink.stats.delivered, 5);
  } finally {
    await bus.close();
    await r?.close();
  }
});

test('a full queue drops the oldest waiting alerts (not the one in flight) and logs how many', async () => {
  const port = await downPort();
  const logs: string[] = [];
  const sink = new WebhookSink({ url: `http://127.0.0.1:${port}/hook`, format: 'json', ...fast, maxAttempts: 100_000, maxQueue: 3, log: (m) => logs.push(m) });
  let r: Awaited<ReturnType<typeof receiver>> | undefined;
  try {
    for (let n = 1; n <= 6; n++) sink.send(alert(n));
    assert.equal(sink.stats.dropped, 3);
    assert.equal(sink.stats.queued, 3);
    assert.match(logs[0] ?? '', /webhook queue full \(3\): dropping the oldest alerts/);
    r = await receiver([], port);
    await sink.idle();
    // a1 was already on the wire when the others queued up behind it; a2..a4 were waiting.
    assert.deepEqual(r.got.map((d) => (JSON.parse(d.body) as { alert: Alert }).alert.id), ['a1', 'a5', 'a6']);
    assert.match(logs.join('\n'), /dropped 3 alert\(s\) while the queue was full \(3 in total\)/);
  } finally {
    await sink.close();
    await r?.close();
  }
});

test('secrets never reach an alert body: known secrets and key-shaped strings are redacted', async () => {
  const r = await receiver();
  const sink = new WebhookSink({ url: r.url, format: 'slack', ...fast });
  const bus = new AlertBus([sink], () => ['hunter2-the-webhook-secret']);
  try {
    bus.emit(alert(7, { message: `ran aws with ${CAROL_KEY} and hunter2-the-webhook-secret` }));
    await sink.idle();
    const body = r.got[0]!.body;
    assert.doesNotMatch(body, new RegExp(`${CAROL_KEY}|hunter2`));
    assert.match(body, /\[REDACTED\]/);
  } finally {
    await bus.close();
    await r.close();
  }
});
