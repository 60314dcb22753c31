// The broker's public types: who asks (Principal), what they ask (GrantRequestInput), what they read
// back (GrantTimeline), what it pushes (BrokerEvent), and how it is built (BrokerOptions).
import type { KeyObject } from 'node:crypto';
import type { BackoffPolicy } from '../backoff';
import type { Alert, ChangeEvent, Grant, GrantScope, RevertRecord, SessionCommand } from '../model';
import type { AccessCloud } from './cloud';
import type { Clock, Scheduler } from './clock';
import type { UserEntry } from './config';
import type { SqlExecutor } from './ledger/database';
import type { Ledger } from './ledger/ledger';
import type { PolicySource } from './policy-source';
import type { OUTSIDE_SCOPE } from './scope-denial';

export type Principal = UserEntry;

export interface GrantRequestInput {
  role: string;
  durationSeconds: number;
  reason: string;
  ticket?: string;
  breakGlass?: boolean;
  /** Id of the requester's active grant this request extends. */
  extends?: string;
  /** Resources the credentials may change (resolved through state by the requester). */
  scope?: GrantScope[];
}

export type TimelineEntry =
  | { at: string; kind: 'state'; text: string; actor: string }
  | { at: string; kind: 'command'; command: SessionCommand }
  | { at: string; kind: 'api'; event: ChangeEvent; /** Set when the grant's session policy refused the call. */ denied?: typeof OUTSIDE_SCOPE };

export interface GrantTimeline {
  grant: Grant;
  entries: TimelineEntry[];
  /** Writes the broker made to revert this grant's changes (the revert journal), oldest first. */
  reverts: RevertRecord[];
  /** Why API activity may be incomplete (e.g. CloudTrail unreachable). */
  warnings: string[];
}

/**
 * What the broker pushes to editors (GET /v1/events): grant changes, grant alerts, and the alerts a
 * team watch raised (`watch-alert`), numbered in the ledger's order so a reconnecting stream
 * resumes after the last one it saw (Last-Event-ID) and misses none.
 */
export type BrokerEvent =
  | { type: 'grant'; grant: Grant }
  | { type: 'alert'; grantId: string; message: string }
  | { type: 'watch-alert'; seq: number; alert: Alert };

/** Context the broker hands to a GrantEndHandler's run(). */
export interface GrantEndContext {
  /** Raises a broker alert (editors, webhook, stdout). */
  alert(grantId: string, message: string): void;
  /** Pulls the grant's CloudTrail events into the ledger (`api_events`). */
  syncApiEvents(grant: Grant): Promise<void>;
  /** True once the broker is stopping: long work stops between steps and resumes on the next start. */
  stopping(): boolean;
}

/** Work that follows the end of a grant (auto-revert). The broker stays ignorant of what it does. */
export interface GrantEndHandler {
  /** Runs inside the transaction that ends an active grant, so the follow-up is journaled with the end itself. */
  ended(tx: SqlExecutor, grant: Grant): Promise<void>;
  /** Does whatever is due; called from the serialised tick (so after every end, on start and at deadlines). */
  run(ctx: GrantEndContext): Promise<void>;
  /** The next time run() has work, for the deadline timer. */
  nextDue(): Promise<Date | undefined>;
}

export interface BrokerOptions {
  ledger: Ledger;
  /** The grant's finished revert writes (the revert journal), for its timeline; wired by the composition root. */
  reverts?: (db: Ledger['db'], grantId: string) => Promise<RevertRecord[]>;
  policy: Pick<PolicySource, 'current'>;
  cloud: AccessCloud;
  /** Binds identity proofs to this broker (a proof for another broker is refused). */
  audience: string;
  clock?: Clock;
  scheduler?: Scheduler;
  log?: (line: string) => void;
  /** An open break-glass review alerts again after this long. */
  reviewAlertSeconds?: number;
  /** Follow-up when a grant ends (expiry, revoke, release), e.g. auto-revert. */
  onGrantEnd?: GrantEndHandler;
  /** Retry schedule for revoke policies the cloud did not take (default 2 s doubling to 5 min). */
  retry?: BackoffPolicy;
  /** Jitter source for retries (tests fix it). */
  random?: () => number;
  /** A failure that keeps repeating is raised once, then summarised at most this often (default 15 min). */
  alertSummarySeconds?: number;
  /** Ed25519 key, kept outside the ledger, that signs audit heads (`audit head`, exports). */
  auditKey?: KeyObject;
}
