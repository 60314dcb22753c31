// The language server's door to the access broker: the workspace's embedded broker by default,
// a team broker when `tidemark.broker.url` is set. Connected lazily on the first access request.
import type { BrokerClient } from '../access/client';
import { AccessError } from '../access/errors';
import type { OperationName, OperationParams, OperationResult } from '../access/operations';
import { envProofSource } from '../access/proof-source';
import { redact } from '../access/redact';
import { BrokerEvent, connectBroker, EmbeddedBroker, embeddedBrokerRunning } from '../access/runtime';
import { findWorkspace } from '../access/workspace';

export interface AccessServiceOptions {
  workspace: () => string | undefined;
  env: NodeJS.ProcessEnv;
  brokerUrl: () => string | undefined;
  /** The team broker's token, from the client's SecretStorage; never from settings or disk. */
  token: () => string | undefined;
  onEvent: (event: BrokerEvent) => void;
  log: (line: string) => void;
}

export class AccessService {
  private connection?: Promise<EmbeddedBroker>;
  private unsubscribe?: () => void;

  constructor(private readonly o: AccessServiceOptions) {}

  private connect(): Promise<EmbeddedBroker> {
    this.connection ??= (async () => {
      const token = this.o.token();
      const env = token ? { ...this.o.env, TIDEMARK_BROKER_TOKEN: token } : this.o.env;
      const broker = await connectBroker({
        cwd: this.o.workspace() ?? process.cwd(),
        workspace: this.o.brokerUrl() ? undefined : this.o.workspace(),
        env,
        proofs: envProofSource(env),
        brokerUrl: this.o.brokerUrl(),
        log: (line) => this.o.log(redact(line)),
      });
      this.unsubscribe = broker.client.subscribe((event) => this.o.onEvent(event));
      this.o.log(`access broker: ${broker.runtime ? 'embedded, owned by this editor' : broker.url}`);
      return broker;
    })().catch((error) => {
      this.connection = undefined; // a later request may succeed (policy fixed, broker started)
      throw error;
    });
    return this.connection;
  }

  /**
   * Whether a broker can be asked without starting one: already connected, a team broker
   * configured, or a running embedded broker. Background work (attribution) asks only then.
   */
  reachable(): boolean {
    if (this.connection || this.o.brokerUrl() || this.o.env.TIDEMARK_BROKER_URL) return true;
    const root = findWorkspace(this.o.workspace() ?? process.cwd());
    return root !== undefined && embeddedBrokerRunning(root);
  }

  async call<K extends OperationName>(op: K, params: OperationParams<K>): Promise<OperationResult<K>> {
    const broker = await this.connect();
    return broker.client.call(op, params);
  }

  /** Settings or the token changed: the next call connects anew. */
  async reset(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (connection) await (await connection.catch(() => undefined))?.client.close();
  }
}

/** Errors as the user should read them: the broker's own message, secrets redacted. */
export function accessErrorMessage(error: unknown): string {
  if (error instanceof AccessError) return redact(error.message);
  return redact(error instanceof Error ? error.message : String(error));
}
