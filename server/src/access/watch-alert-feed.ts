// Every broker process relays the alerts a team watch claims in the ledger to its own editors: the
// leader may be another process, so the ledger (its NOTIFY, then the rows) is the source, not the
// leader's memory. Notices are read one at a time and each read takes everything after the last
// sequence number relayed, so a burst of notices or a lost one neither repeats nor skips an alert.
// The ledger keeps alerts as raised; what leaves here is redacted.
import type { Alert } from '../model';
import { WATCH_ALERT_CHANNEL, type Database } from './ledger/database';
import { alertsAfter, lastAlertSeq, type SequencedAlert } from './ledger/watch-ledger';
import { redactValue } from './redact';

/** How many alerts one read relays, and one reconnecting stream replays at most. */
export const ALERT_PAGE = 500;

export class WatchAlertFeed {
  private last = 0;
  private reads: Promise<void> = Promise.resolve();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Database,
    private readonly relay: (seq: number, alert: Alert) => void,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts after the alerts already claimed: an editor that connects now gets what comes next. */
  async start(): Promise<void> {
    this.last = await lastAlertSeq(this.db);
    this.unlisten = await this.db.listen(WATCH_ALERT_CHANNEL, () => {
      this.reads = this.reads.then(() => this.readNew());
    });
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
    await this.reads;
  }

  /** The newest sequence number now: a fresh stream's cursor. */
  cursor(): Promise<number> {
    return lastAlertSeq(this.db);
  }

  /** What a stream that saw up to `seq` missed (oldest first, at most ALERT_PAGE). */
  async after(seq: number): Promise<SequencedAlert[]> {
    return (await alertsAfter(this.db, seq, ALERT_PAGE)).map((a) => ({ seq: a.seq, alert: redactValue(a.alert) }));
  }

  private async readNew(): Promise<void> {
    try {
      for (;;) {
        const page = await alertsAfter(this.db, this.last, ALERT_PAGE);
        for (const { seq, alert } of page) {
          this.last = seq;
          this.relay(seq, redactValue(alert));
        }
        if (page.length < ALERT_PAGE) return;
      }
    } catch (error) {
      // The next notice reads from the same place: nothing is skipped.
      this.log(`watch alerts not relayed yet: ${(error as Error).message}`);
    }
  }
}
