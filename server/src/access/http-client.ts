// BrokerClient over HTTP: a fresh identity proof on every call, plus the broker token in team mode.
import { AccessError, AccessErrorCode } from './errors';
import { BrokerClient, ProofSource } from './client';
import type { BrokerEvent } from './broker';
import { BrokerInfo, PROOF_HEADER } from './http-server';

const CODES: ReadonlySet<string> = new Set(['bad-request', 'unauthenticated', 'forbidden', 'not-found', 'conflict', 'unavailable']);

export function httpClient(baseUrl: string, proofs: ProofSource, token?: string): BrokerClient {
  const base = baseUrl.replace(/\/+$/, '');
  let info: Promise<BrokerInfo> | undefined;
  const controllers = new Set<AbortController>();

  const getInfo = (): Promise<BrokerInfo> => {
    info ??= (async () => {
      let res: Response;
      try {
        res = await fetch(`${base}/v1/info`, { signal: AbortSignal.timeout(10_000) });
      } catch (error) {
        info = undefined;
        throw new AccessError('unavailable', `no broker answers at ${base} (${(error as Error).message})`);
      }
      if (!res.ok) { info = undefined; throw new AccessError('unavailable', `${base} is not a Tidemark broker (HTTP ${res.status})`); }
      return (await res.json()) as BrokerInfo;
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
      let res: Response;
      try {
        res = await fetch(`${base}/v1/${op}`, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify(params ?? {}) });
      } catch (error) {
        throw new AccessError('unavailable', `broker at ${base} did not answer (${(error as Error).message})`);
      }
      const body = (await res.json().catch(() => ({}))) as { result?: unknown; error?: { code?: string; message?: string } };
      if (!res.ok || body.error) {
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
        while (!controller.signal.aborted) {
          try {
            const res = await fetch(`${base}/v1/events`, { headers: await headers(), signal: controller.signal });
            if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
            delay = 500;
            let buffer = '';
            for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
              buffer += Buffer.from(chunk).toString('utf8');
              let end: number;
              while ((end = buffer.indexOf('\n\n')) >= 0) {
                const frame = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
                if (data) listener(JSON.parse(data) as BrokerEvent);
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
