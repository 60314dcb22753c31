// BrokerClient over HTTP(S): a fresh identity proof on every call, plus the broker token in team
// mode. Over https:// the broker's certificate is verified against the system CAs plus an optional
// team CA; plain http:// is only for loopback unless the user says the network is trusted.
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { AccessError, AccessErrorCode } from './errors';
import { BrokerClient, ProofSource } from './client';
import type { BrokerEvent } from './broker';
import { BrokerInfo, PROOF_HEADER } from './http-server';

const CODES: ReadonlySet<string> = new Set(['bad-request', 'unauthenticated', 'forbidden', 'not-found', 'conflict', 'unavailable']);
const MAX_ANSWER_BYTES = 32 << 20;

export interface BrokerTlsOptions {
  /** PEM of a CA trusted in addition to the system CAs (a team's own CA or self-signed broker). */
  ca?: string;
  /** Where `ca` came from, for messages. */
  caSource?: string;
  /** Allows plain http:// to a host that is not this machine. */
  insecure?: boolean;
}

/**
 * The client's TLS settings from `--ca FILE` / TIDEMARK_BROKER_CA and `--insecure` /
 * TIDEMARK_BROKER_INSECURE=1. An unreadable or non-PEM CA file is an error naming the file.
 */
export function brokerTlsOptions(env: NodeJS.ProcessEnv, flags: { caFile?: string; insecure?: boolean } = {}): BrokerTlsOptions {
  const caFile = flags.caFile || env.TIDEMARK_BROKER_CA || undefined;
  const insecure = flags.insecure === true || env.TIDEMARK_BROKER_INSECURE === '1';
  if (!caFile) return { insecure };
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new AccessError('bad-request', `cannot read the broker CA file ${caFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new AccessError('bad-request', `${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return { ca, caSource: caFile, insecure };
}

/** Whether a URL host is this machine, where plain HTTP never crosses a network. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Checks a broker URL before anything is sent to it; returns the normalised base. */
export function checkBrokerUrl(baseUrl: string, tls: BrokerTlsOptions): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new AccessError('bad-request', `broker URL '${baseUrl}' is not a URL (expected https://host:port)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AccessError('bad-request', `broker URL '${baseUrl}' must start with https:// (or http:// on this machine)`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !tls.insecure) {
    throw new AccessError('bad-request',
      `refusing plain HTTP to ${url.host}: the broker token, identity proofs and STS credentials would cross the network unencrypted. ` +
      'Use an https:// broker URL (the broker serves TLS with --tls-cert/--tls-key), or pass --insecure / set TIDEMARK_BROKER_INSECURE=1 if the network is trusted');
  }
  return url;
}

const CERT_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_SIGNATURE_FAILURE', 'INVALID_CA',
]);

/** Says what went wrong with the connection, naming a certificate problem and its remedy. */
function connectionProblem(base: string, error: unknown, tls: BrokerTlsOptions): string {
  const e = error as NodeJS.ErrnoException;
  const code = e.code ?? '';
  if (CERT_CODES.has(code)) {
    const trusted = tls.caSource ? `the system CAs and ${tls.caSource}` : 'the system CAs';
    return `the broker at ${base} presented a TLS certificate this client does not accept (${code}: ${e.message}); ` +
      `checked against ${trusted}. If the broker uses your team's own CA, pass --ca FILE or set TIDEMARK_BROKER_CA (editor: tidemark.broker.caFile)`;
  }
  if (code === 'EPROTO' || /wrong version number|packet length too long/i.test(e.message ?? '')) {
    return `the broker at ${base} does not speak ${base.startsWith('https:') ? 'TLS' : 'plain HTTP'} (${e.message}); check http:// versus https://`;
  }
  return `no broker answers at ${base} (${e.message || code})`;
}

interface Answer { status: number; body: IncomingMessage }

export function httpClient(baseUrl: string, proofs: ProofSource, token?: string, tls: BrokerTlsOptions = {}): BrokerClient {
  const base = baseUrl.replace(/\/+$/, '');
  let info: Promise<BrokerInfo> | undefined;
  const controllers = new Set<AbortController>();
  // The custom CA is added to, never substituted for, the system store (and NODE_EXTRA_CA_CERTS).
  const ca = tls.ca ? [...rootCertificates, ...extraCaCertificates(), tls.ca] : undefined;

  const send = (path: string, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; signal?: AbortSignal }): Promise<Answer> => {
    const url = new URL(`${checkBrokerUrl(base, tls).href.replace(/\/+$/, '')}${path}`);
    const requester = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Answer>((resolve, reject) => {
      const req = requester(url, {
        method: init.method,
        headers: { ...init.headers, ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) },
        signal: init.signal,
        // A connection per request: a POST sent on a kept-alive socket just as the broker closes it for
        // idleness (5 s; signing a proof can take that long on a busy machine) fails with "socket hang up".
        agent: false,
        ...(url.protocol === 'https:' && ca ? { ca } : {}),
      }, (res) => resolve({ status: res.statusCode ?? 0, body: res }));
      req.on('error', reject);
      req.end(init.body);
    });
  };

  const readJson = async (res: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res) {
      size += (chunk as Buffer).length;
      if (size > MAX_ANSWER_BYTES) { res.destroy(); throw new AccessError('unavailable', `broker at ${base} sent an answer over ${MAX_ANSWER_BYTES} bytes`); }
      chunks.push(chunk as Buffer);
    }
    try { return JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { return {}; }
  };

  const getInfo = (): Promise<BrokerInfo> => {
    info ??= (async () => {
      let res: Answer;
      try {
        res = await send('/v1/info', { method: 'GET', signal: AbortSignal.timeout(10_000) });
      } catch (error) {
        info = undefined;
        if (error instanceof AccessError) throw error;
        throw new AccessError('unavailable', connectionProblem(base, error, tls));
      }
      if (res.status !== 200) { res.body.resume(); info = undefined; throw new AccessError('unavailable', `${base} is not a Tidemark broker (HTTP ${res.status})`); }
      return (await readJson(res.body)) as BrokerInfo;
    })();
    return info;
  };

  const headers = async (): Promise<Record<string, string>> => {
    const { audience, tokenRequired } = await getInfo();
    if (tokenRequired && !token) throw new AccessError('unauthenticated', 'this team broker needs TIDEMARK_BROKER_TOKEN');
    const proof = await proofs(audience);
    return {
      [PROOF_HEADER]: Buffer.from(JSON.stringify(proof)).toString('base64url'),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
  };

  return {
    location: base,
    async call(op, params) {
      const h = await headers();
      let res: Answer;
      try {
        res = await send(`/v1/${op}`, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify(params ?? {}) });
      } catch (error) {
        if (error instanceof AccessError) throw error;
        throw new AccessError('unavailable', `broker at ${base} did not answer (${connectionProblem(base, error, tls)})`);
      }
      const body = (await readJson(res.body)) as { result?: unknown; error?: { code?: string; message?: string } };
      if (res.status < 200 || res.status > 299 || body.error) {
        const code = body.error?.code && CODES.has(body.error.code) ? (body.error.code as AccessErrorCode) : 'unavailable';
        throw new AccessError(code, body.error?.message ?? `broker answered HTTP ${res.status}`);
      }
      return body.result as never;
    },
    subscribe(listener) {
      const controller = new AbortController();
      controllers.add(controller);
      void (async () => {
        let delay = 500;
        // The last event id seen (the watch alerts' sequence): a reconnect resumes after it.
        let lastEventId: string | undefined;
        while (!controller.signal.aborted) {
          try {
            const resume: Record<string, string> = lastEventId === undefined ? {} : { 'last-event-id': lastEventId };
            const res = await send('/v1/events', { method: 'GET', headers: { ...(await headers()), ...resume }, signal: controller.signal });
            if (res.status !== 200) { res.body.resume(); throw new Error(`HTTP ${res.status}`); }
            delay = 500;
            let buffer = '';
            for await (const chunk of res.body) {
              buffer += Buffer.from(chunk as Buffer).toString('utf8');
              let end: number;
              while ((end = buffer.indexOf('\n\n')) >= 0) {
                const frame = parseSseFrame(buffer.slice(0, end));
                buffer = buffer.slice(end + 2);
                if (frame.id !== undefined) lastEventId = frame.id;
                if (frame.data) listener(JSON.parse(frame.data) as BrokerEvent);
              }
            }
          } catch {
            if (controller.signal.aborted) return;
          }
          await new Promise((r) => setTimeout(r, delay).unref());
          delay = Math.min(delay * 2, 30_000);
        }
      })();
      return () => { controller.abort(); controllers.delete(controller); };
    },
    async close() {
      for (const c of controllers) c.abort();
      controllers.clear();
    },
  };
}

/** One server-sent event frame's `id` and joined `data` lines (comments and other fields ignored). */
export function parseSseFrame(frame: string): { id?: string; data: string } {
  let id: string | undefined;
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const value = line.slice(colon + 1).replace(/^ /, '');
    const field = line.slice(0, colon);
    if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  return { id, data: data.join('\n') };
}

/** NODE_EXTRA_CA_CERTS, which Node drops once a `ca` list is given explicitly. */
function extraCaCertificates(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try { return [readFileSync(file, 'utf8')]; } catch { return []; }
}
