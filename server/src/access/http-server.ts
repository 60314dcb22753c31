// The broker over HTTP: POST /v1/<operation> with an identity proof (and, for a team broker, the
// broker token), GET /v1/events as server-sent events, GET /v1/info for what a client must sign.
import { createServer, IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createServer as createTlsServer, Server as TlsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { timingSafeEqual, createHash } from 'node:crypto';
import { Broker, BrokerEvent, Principal } from './broker';
import { AccessError, HTTP_STATUS } from './errors';
import { dispatch, isOperation } from './operations';
import { Clock, systemClock } from './clock';
import { RefusalLimiter, RefusalLimitOptions } from './refusal-limit';

export const PROOF_HEADER = 'x-tidemark-proof';
const MAX_BODY_BYTES = 1 << 20;

export interface BrokerInfo {
  audience: string;
  stsEndpoint: string;
  /** Team brokers also need TIDEMARK_BROKER_TOKEN. */
  tokenRequired: boolean;
  protocol: 1;
}

export interface HttpBrokerOptions {
  host?: string;
  port?: number;
  /** Required on every request when set (team mode). */
  token?: string;
  /** PEM certificate chain and key: serve HTTPS. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Where request failures go; without it, stderr, so a 500's cause is never lost. */
  log?: (line: string) => void;
  /** Time for the refusal limit (tests move it by hand). */
  clock?: Clock;
  /** How many refused authentications a source may collect per minute before it gets 429. */
  refusalLimit?: RefusalLimitOptions;
}

export interface RunningHttpBroker {
  url: string;
  server: Server | TlsServer;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AccessError('bad-request', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  if (!size) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AccessError('bad-request', 'request body is not JSON');
  }
}

/** The SSE Last-Event-ID a reconnecting client sends: the last watch alert's sequence number it saw. */
function lastEventId(req: IncomingMessage): number | undefined {
  const raw = req.headers['last-event-id'];
  return typeof raw === 'string' && /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
}

export async function serveBroker(broker: Broker, o: HttpBrokerOptions = {}): Promise<RunningHttpBroker> {
  const log = o.log ?? ((line: string) => process.stderr.write(`tidemark broker: ${line}\n`));
  const streams = new Set<ServerResponse>();
  const limiter = new RefusalLimiter(o.clock ?? systemClock, o.refusalLimit);

  const authenticate = async (req: IncomingMessage): Promise<Principal> => {
    const remote = req.socket.remoteAddress ?? 'unknown';
    if (o.token) {
      const auth = req.headers.authorization ?? '';
      const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (!given || !sameSecret(given, o.token)) {
        await broker.refuseAuthentication('missing or wrong broker token', remote);
        throw new AccessError('unauthenticated', 'missing or wrong broker token (TIDEMARK_BROKER_TOKEN)');
      }
    }
    const header = req.headers[PROOF_HEADER];
    let proof: unknown;
    try {
      proof = typeof header === 'string' ? JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) : undefined;
    } catch {
      proof = undefined;
    }
    return broker.authenticate(proof, remote);
  };

  /** Authenticates unless the source has collected too many refusals this minute (then 429, counted, not checked). */
  const limited = async (req: IncomingMessage, res: ServerResponse): Promise<Principal | undefined> => {
    const remote = req.socket.remoteAddress ?? 'unknown';
    const wait = limiter.retryAfter(remote);
    if (wait > 0) {
      await broker.refuseAuthentication('too many refused requests from this source', remote);
      const text = JSON.stringify({ error: { code: 'rate-limited', message: `too many refused requests from ${remote}; retry in ${wait} s` } });
      res.writeHead(429, { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': String(wait), 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return undefined;
    }
    try {
      return await authenticate(req);
    } catch (error) {
      if (error instanceof AccessError && error.code === 'unauthenticated') limiter.refused(remote);
      throw error;
    }
  };

  const handler: RequestListener = (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://broker');
      try {
        if (req.method === 'GET' && url.pathname === '/v1/info') {
          const info: BrokerInfo = { audience: broker.audience, stsEndpoint: broker.stsEndpoint, tokenRequired: Boolean(o.token), protocol: 1 };
          return send(res, 200, info);
        }
        if (req.method === 'GET' && url.pathname === '/v1/events') {
          const principal = await limited(req, res);
          if (!principal) return;
          broker.requireConfigured(principal);
          const resumeFrom = lastEventId(req);
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
          res.write(': connected\n\n');
          streams.add(res);
          const write = (e: BrokerEvent) => {
            if (res.writableEnded) return;
            res.write(`${e.type === 'watch-alert' ? `id: ${e.seq}\n` : ''}event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
          };
          // Watch alerts carry the ledger's sequence number as the event id. The stream opens with
          // the cursor (an id-only frame), or with what a resuming client (Last-Event-ID) missed;
          // subscribed first, so an alert raised meanwhile comes once, from the replay or live.
          let sent = 0;
          // Operators see who follows the broker, and a resume (an editor that lost its connection).
          log(`events: ${principal.name ?? principal.arn} subscribed${resumeFrom === undefined ? '' : `, resuming after watch alert ${resumeFrom}`}`);
          const opening = (async () => {
            if (resumeFrom === undefined) {
              sent = await broker.watchAlertCursor();
              if (!res.writableEnded) res.write(`id: ${sent}\n\n`);
              return;
            }
            sent = resumeFrom;
            for (const { seq, alert } of await broker.watchAlertsAfter(resumeFrom)) {
              if (await broker.mayReceive(principal, { type: 'watch-alert', seq, alert })) write({ type: 'watch-alert', seq, alert });
              sent = seq;
            }
          })();
          // Each listener gets only what it may list: events go through the same read policy as `grants`.
          // Deliveries are chained so the stream keeps the broker's order even when one policy
          // check takes longer than the next (a client must never see `pending` after `active`).
          let delivered = opening.catch((error: Error) => log(`events stream could not resume: ${error.message}`));
          const unsubscribe = broker.subscribe((e) => {
            const allowed = broker.mayReceive(principal, e);
            delivered = delivered.then(() => allowed).then(
              (may) => {
                if (!may) return;
                if (e.type === 'watch-alert') {
                  if (e.seq <= sent) return;
                  sent = e.seq;
                }
                write(e);
              },
              (error: Error) => log(`event not delivered: ${error.message}`),
            );
          });
          const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
          keepAlive.unref();
          req.on('close', () => { unsubscribe(); clearInterval(keepAlive); streams.delete(res); });
          return;
        }
        const op = url.pathname.startsWith('/v1/') ? url.pathname.slice(4) : '';
        if (req.method !== 'POST' || !isOperation(op)) return send(res, 404, { error: { code: 'not-found', message: `no such endpoint ${req.method} ${url.pathname}` } });
        const principal = await limited(req, res);
        if (!principal) return;
        const body = await readBody(req);
        send(res, 200, { result: await dispatch(broker, principal, op, body) });
      } catch (error) {
        if (error instanceof AccessError) return send(res, HTTP_STATUS[error.code], { error: { code: error.code, message: error.message } });
        log(`broker request ${req.method} ${url.pathname} failed: ${(error as Error).stack ?? (error as Error).message}`);
        if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: 'internal broker error (see broker log)' } });
        else res.destroy();
      }
    })();
  };
  const server: Server | TlsServer = o.tls ? createTlsServer({ cert: o.tls.cert, key: o.tls.key, minVersion: 'TLSv1.2' }, handler) : createServer(handler);
  // A client that does not trust the certificate ends the handshake; say so where operators look.
  server.on('tlsClientError', (error: Error, socket: { remoteAddress?: string }) => log(`TLS handshake with ${socket.remoteAddress ?? 'unknown'} failed: ${error.message}`));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${o.tls ? 'https' : 'http'}://${host}:${address.port}`,
    server,
    close: () => new Promise<void>((resolve) => {
      for (const s of streams) s.end();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
