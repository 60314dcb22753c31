// A stand-in for Slack or an incident tool: receives `tidemark watch` webhooks on loopback and
// checks each one's X-Tidemark-Signature (HMAC-SHA256 over the body) before accepting it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert } from '../server/src/alerts/alert';

export interface Delivery {
  schema: string;
  alert: Alert;
}

export interface WebhookReceiver {
  url: string;
  /** The first verified delivery that matches (already received or still to come). */
  next(matches: (d: Delivery) => boolean, timeoutMs: number): Promise<Delivery>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: Delivery[] = [];
  let waiting: Array<{ matches: (d: Delivery) => boolean; resolve: (d: Delivery) => void }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-tidemark-signature'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(204).end();
      const delivery = JSON.parse(body.toString('utf8')) as Delivery;
      received.push(delivery);
      for (const w of waiting.filter((w) => w.matches(delivery))) w.resolve(delivery);
      waiting = waiting.filter((w) => !w.matches(delivery));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tidemark`,
    next(matches, timeoutMs) {
      const ready = received.find(matches);
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching webhook delivery within ${timeoutMs / 1000} s (got ${received.length})`)), timeoutMs);
        waiting.push({ matches, resolve: (d) => { clearTimeout(timer); resolve(d); } });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
