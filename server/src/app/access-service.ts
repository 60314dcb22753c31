// The language server's door to the access broker: the workspace's embedded broker by default,
// a team broker when `tidemark.broker.url` is set. Connected lazily on the first access request.
import type { AwsSettings } from '../cloud/aws-env';
import { AccessError } from '../access/errors';
import type { OperationName, OperationParams, OperationResult } from '../access/operations';
import { envProofSource } from '../access/proof-source';
import { redact } from '../access/redact';
import { BrokerEvent, connectBroker, EmbeddedBroker, embeddedBrokerRunning } from './broker-runtime';
import { findWorkspace } from '../access/paths';

export interface AccessServiceOptions {
  workspace: () => string | undefined;
  env: NodeJS.ProcessEnv;
  /** `tidemark.aws.*` settings: they win over the environment, for the broker as for drift. */
  aws: () => AwsSettings;
  brokerUrl: () => string | undefined;
  /** `tidemark.broker.caFile`: wins over TIDEMARK_BROKER_CA. */
  brokerCaFile?: () => string | undefined;
  /** The team broker's token, from the client's SecretStorage; never from settings or disk. */
  token: () => string | undefined;
  onEvent: (event: BrokerEvent) => void;
  log: (line: string) => void;
  /** How long a replaced connection may finish the calls it is answering before it closes. */
  drainMs?: number;
}

interface Connection {
  broker: Promise<EmbeddedBroker>;
  /** What it was opened for: a reset that changes none of it keeps the connection. */
  key: string;
  inFlight: Set<Promise<unknown>>;
  unsubscribe?: () => void;
}

/**
 * The environment a broker connection is made with: the AWS settings written over the process
 * environment the way the SDK reads it, so the identity proof, the embedded broker's STS/IAM/
 * CloudTrail clients and its reverts all go where the drift side goes.
 */
export function accessEnv(env: NodeJS.ProcessEnv, aws: AwsSettings, token?: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  const endpoint = aws.endpoint?.trim();
  if (endpoint) {
    // One endpoint for every service: per-service variables and the opt-out must not override it.
    for (const k of Object.keys(out)) if (k.startsWith('AWS_ENDPOINT_URL_')) delete out[k];
    delete out.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
    out.AWS_ENDPOINT_URL = endpoint;
  }
  if (aws.region?.trim()) out.AWS_REGION = aws.region.trim();
  if (aws.profile?.trim()) {
    // A chosen profile wins over keys in the environment, as it does for the drift side.
    out.AWS_PROFILE = aws.profile.trim();
    delete out.AWS_ACCESS_KEY_ID;
    delete out.AWS_SECRET_ACCESS_KEY;
    delete out.AWS_SESSION_TOKEN;
  }
  if (token) out.TIDEMARK_BROKER_TOKEN = token;
  return out;
}

export class AccessService {
  private connection?: Connection;
  /** The previous connection closing: a new one waits, so one process never opens the ledger twice. */
  private closing: Promise<void> = Promise.resolve();

  constructor(private readonly o: AccessServiceOptions) {}

  private key(): string {
    return JSON.stringify({ workspace: this.o.workspace(), url: this.o.brokerUrl(), ca: this.o.brokerCaFile?.(), token: this.o.token(), aws: this.o.aws() });
  }

  private connect(): Connection {
    if (this.connection) return this.connection;
    const closing = this.closing;
    const connection: Connection = { key: this.key(), inFlight: new Set(), broker: undefined as never };
    connection.broker = (async () => {
      await closing;
      const caFile = this.o.brokerCaFile?.();
      const env = { ...accessEnv(this.o.env, this.o.aws(), this.o.token()), ...(caFile ? { TIDEMARK_BROKER_CA: caFile } : {}) };
      const broker = await connectBroker({
        cwd: this.o.workspace() ?? process.cwd(),
        workspace: this.o.brokerUrl() ? undefined : this.o.workspace(),
        env,
        proofs: envProofSource(env),
        brokerUrl: this.o.brokerUrl(),
        log: (line) => this.o.log(redact(line)),
      });
      if (this.connection === connection) connection.unsubscribe = broker.client.subscribe((event) => this.o.onEvent(event));
      this.o.log(`access broker: ${broker.runtime ? 'embedded, owned by this editor' : broker.url}`);
      return broker;
    })().catch((error) => {
      if (this.connection === connection) this.connection = undefined; // a later request may succeed (policy fixed, broker started)
      throw error;
    });
    this.connection = connection;
    return connection;
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
    const connection = this.connect();
    const result = (async () => (await connection.broker).client.call(op, params))();
    connection.inFlight.add(result);
    const done = () => connection.inFlight.delete(result);
    result.then(done, done);
    return result;
  }

  /**
   * Settings or the token may have changed: when anything the connection was made with did, the
   * next call connects anew. Calls in flight finish on the old connection first.
   */
  async reset(): Promise<void> {
    if (this.connection && this.connection.key === this.key()) return;
    await this.close();
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) {
      connection.unsubscribe?.();
      const drainMs = this.o.drainMs ?? 30_000;
      this.closing = this.closing.then(async () => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, drainMs); });
        await Promise.race([Promise.allSettled([...connection.inFlight]), timeout]);
        clearTimeout(timer);
        const broker = await connection.broker.catch(() => undefined);
        await broker?.client.close().catch((error: Error) => this.o.log(`access broker: closing: ${redact(error.message)}`));
      });
    }
    await this.closing;
  }
}

const USER_ERRORS = /^(ConfigError|PolicyError|PolicyTestFileError|CloudError|TransitionRefused|RevertConfigError|AwsSetupError|AwsCallError)$/;

/**
 * Errors as the user should read them: the broker's own message, secrets redacted. Anything else
 * is an internal failure (a closed database, a bug): its text means nothing to the user, so it
 * goes to the log and the user gets words.
 */
export function accessErrorMessage(error: unknown, log?: (line: string) => void): string {
  if (error instanceof AccessError) return redact(error.message);
  const name = error instanceof Error ? error.name : '';
  const message = redact(error instanceof Error ? error.message : String(error));
  if (name === 'CredentialsProviderError') return `no AWS credentials to prove who you are (${message})`;
  // Our own error classes carry the user's terms (file:line, role, AWS error code).
  if (error instanceof Error && USER_ERRORS.test(error.constructor.name)) return message;
  log?.(`access broker: internal error: ${message}`);
  return 'the access broker failed unexpectedly; the Tidemark output channel has the details';
}
