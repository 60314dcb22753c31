// Leader election among team broker processes on one PostgreSQL database: a session-level
// advisory lock held on a dedicated connection. PostgreSQL releases it the moment that session
// ends — the process exits, is killed, or loses its network — so another process's next try
// takes it over; there is no lease to expire and no clock to trust.
import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** A stable 64-bit lock key (as a decimal string, pg's bigint) for a name. */
export function advisoryKey(name: string): string {
  return createHash('sha256').update(`tidemark:${name}`).digest().readBigInt64BE(0).toString();
}

export class LeaderLock {
  private client: Client | undefined;
  private held = false;
  private lostHandler: ((why: string) => void) | undefined;
  private health: NodeJS.Timeout | undefined;

  constructor(private readonly connectionString: string, private readonly key: string, private readonly healthMs = 5_000) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Called once if a held lock is lost (connection closed or broken). */
  onLost(handler: (why: string) => void): void {
    this.lostHandler = handler;
  }

  /** One try: true when this process now holds the lock. Connection failures are thrown. */
  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    const client = this.client ?? (await this.connect());
    const rows = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [this.key])).rows;
    this.held = rows[0]?.ok === true;
    if (this.held) {
      // A silently dead connection (no FIN) is noticed by a failing query, not by an event.
      this.health = setInterval(() => {
        this.client?.query('SELECT 1').catch((error: Error) => this.lost(`lock connection check failed: ${error.message}`));
      }, this.healthMs);
      this.health.unref();
    }
    return this.held;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.stopHealth();
    this.held = false;
    // Ending the session releases the lock; an explicit unlock first is only politeness.
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.connectionString, keepAlive: true });
    client.on('error', (error) => this.lost(`lock connection failed: ${error.message}`));
    client.on('end', () => this.lost('lock connection closed'));
    try {
      await client.connect();
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private lost(why: string): void {
    const client = this.client;
    this.client = undefined;
    this.stopHealth();
    client?.end().catch(() => undefined);
    if (!this.held) return;
    this.held = false;
    this.lostHandler?.(why);
  }

  private stopHealth(): void {
    if (this.health) clearInterval(this.health);
    this.health = undefined;
  }
}
