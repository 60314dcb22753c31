// The auto-revert journal in the ledger (migration 2): one plan row per ended grant, one step row per
// changed attribute. Every state change of a step is appended to the audit chain in the same
// transaction, so the journal and the audit never disagree.
import type { RevertRecord } from '../model';
import type { ChangeStatus } from '../model';
import { canonicalJson } from '../access/canonical-json';
import type { SqlExecutor } from '../access/ledger/database';
import type { Ledger } from '../access/ledger/ledger';
import { redact, redactValue } from '../access/redact';
import type { PlannedStep, StepState } from './plan';

/** A planned step as journaled: its grant, position and progress; the reason optional once stored. */
export interface RevertStep extends Omit<PlannedStep, 'reason' | 'alert'> {
  grantId: string;
  seq: number;
  reason?: string;
  attempts: number;
  plannedAt: string;
  finishedAt?: string;
}

interface StepRow {
  grant_id: string;
  seq: number;
  address: string;
  resource_type: string;
  attribute_path: string;
  live_id: string | null;
  expected: string;
  target: string;
  policy: string;
  state: StepState;
  status: ChangeStatus;
  reason: string | null;
  due_at: Date | string | null;
  attempts: number;
  planned_at: Date | string;
  finished_at: Date | string | null;
}

const iso = (v: Date | string | null): string | undefined => (v === null ? undefined : new Date(v).toISOString());
const STEP_COLUMNS = 'grant_id, seq, address, resource_type, attribute_path, live_id, expected, target, policy, state, status, reason, due_at, attempts, planned_at, finished_at';

function toStep(r: StepRow): RevertStep {
  return {
    grantId: r.grant_id, seq: Number(r.seq), address: r.address, resourceType: r.resource_type, attributePath: JSON.parse(r.attribute_path) as string[],
    liveId: r.live_id ?? undefined, expected: JSON.parse(r.expected), target: JSON.parse(r.target), policy: r.policy, state: r.state, status: r.status,
    reason: r.reason ?? undefined, dueAt: iso(r.due_at), attempts: Number(r.attempts), plannedAt: iso(r.planned_at)!, finishedAt: iso(r.finished_at),
  };
}

/** What became of one change under a grant, for the grant timeline, `tidemark log` and attribution. */
export interface RevertStatus {
  grantId: string;
  address: string;
  attributePath: string[];
  status: ChangeStatus;
  state: StepState;
  reason?: string;
  /** When the step finished (reverted, failed, kept…); absent while it is still planned. */
  at?: string;
}

/**
 * Revert outcomes of a grant's changes (all grants when `grantId` is absent), one per planned
 * attribute: `reverted`, `revert-failed`, `kept`, `adopted`, `ignored`, or `drifted` while a step
 * still waits (e.g. its grace period).
 */
export async function revertStatuses(db: SqlExecutor, grantId?: string): Promise<RevertStatus[]> {
  const rows = await db.query<StepRow>(
    `SELECT ${STEP_COLUMNS} FROM revert_steps${grantId ? ' WHERE grant_id = $1' : ''} ORDER BY grant_id, seq`,
    grantId ? [grantId] : [],
  );
  return rows.map(toStep).map((s) => ({ grantId: s.grantId, address: s.address, attributePath: s.attributePath, status: s.status, state: s.state, reason: s.reason, at: s.finishedAt }));
}

/**
 * Finished revert writes of a grant in the shape attribution's `grantChanges({ reverts })` takes:
 * `ok` for a confirmed revert, not ok for a failed or superseded one.
 */
export async function revertRecords(db: SqlExecutor, grantId: string): Promise<RevertRecord[]> {
  return (await revertStatuses(db, grantId))
    .filter((s) => s.at && (s.state === 'done' || s.state === 'failed' || s.state === 'superseded'))
    .map((s) => ({ address: s.address, attributePath: s.attributePath, at: s.at!, ok: s.state === 'done', message: s.reason }));
}

export class RevertJournal {
  constructor(private readonly ledger: Ledger, private readonly now: () => Date) {}

  private get db(): SqlExecutor {
    return this.ledger.db;
  }

  private async audit(tx: SqlExecutor, grantId: string, data: Record<string, unknown>): Promise<void> {
    // Values (tags, policy documents) are user data: scrub anything key-shaped before it is chained.
    const clean = redactValue(JSON.parse(JSON.stringify(data)) as Record<string, unknown>);
    await this.ledger.appendAudit(tx, { at: this.now().toISOString(), kind: 'revert', actor: 'tidemark', grantId, data: clean });
  }

  /** In the grant's ending transaction: planning is owed, from `dueAt` on. Idempotent. */
  async owe(tx: SqlExecutor, grantId: string, endedAt: string, dueAt: Date): Promise<void> {
    await tx.query(
      `INSERT INTO revert_plans (grant_id, ended_at, state, due_at) VALUES ($1, $2, 'pending', $3) ON CONFLICT (grant_id) DO NOTHING`,
      [grantId, endedAt, dueAt.toISOString()],
    );
  }

  async duePlans(now: Date): Promise<Array<{ grantId: string; attempts: number }>> {
    const rows = await this.db.query<{ grant_id: string; attempts: number }>(
      `SELECT grant_id, attempts FROM revert_plans WHERE state = 'pending' AND due_at <= $1 ORDER BY due_at, grant_id`, [now.toISOString()],
    );
    return rows.map((r) => ({ grantId: r.grant_id, attempts: Number(r.attempts) }));
  }

  /** Planning could not finish (CloudTrail or live reads failed): try again at `dueAt`. */
  async postponePlan(grantId: string, dueAt: Date, note: string): Promise<void> {
    await this.db.query(`UPDATE revert_plans SET due_at = $2, attempts = attempts + 1, note = $3 WHERE grant_id = $1 AND state = 'pending'`, [grantId, dueAt.toISOString(), redact(note)]);
  }

  /** Stores the steps and marks the plan made, once: a second broker planning the same grant writes nothing. */
  async savePlan(grantId: string, steps: PlannedStep[], summary: Record<string, unknown>): Promise<boolean> {
    return this.ledger.transaction(async (tx) => {
      const claimed = await tx.query(`UPDATE revert_plans SET state = 'planned', planned_at = $2 WHERE grant_id = $1 AND state = 'pending' RETURNING grant_id`, [grantId, this.now().toISOString()]);
      if (claimed.length === 0) return false;
      const plannedAt = this.now().toISOString();
      for (const [i, s] of steps.entries()) {
        const finished = s.state === 'planned' ? null : plannedAt;
        await tx.query(
          `INSERT INTO revert_steps (grant_id, seq, address, resource_type, attribute_path, live_id, expected, target, policy, state, status, reason, due_at, planned_at, finished_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [grantId, i + 1, s.address, s.resourceType, JSON.stringify(s.attributePath), s.liveId ?? null, canonicalJson(s.expected ?? null), canonicalJson(s.target ?? null),
            s.policy, s.state, s.status, redact(s.reason), s.dueAt ?? null, plannedAt, finished],
        );
        await this.audit(tx, grantId, {
          step: i + 1, event: 'planned', address: s.address, attribute: s.attributePath.join('.'), state: s.state, status: s.status, policy: s.policy,
          reason: redact(s.reason), expected: s.expected ?? null, target: s.target ?? null, dueAt: s.dueAt,
        });
      }
      await this.audit(tx, grantId, { event: 'plan', steps: steps.length, ...summary });
      return true;
    });
  }

  /** The next planned step that is due and not leased by another broker; leased to us until `leaseUntil`. */
  async claimNext(now: Date, leaseUntil: Date): Promise<RevertStep | undefined> {
    for (;;) {
      const [candidate] = await this.db.query<StepRow>(
        `SELECT ${STEP_COLUMNS} FROM revert_steps WHERE state = 'planned' AND due_at <= $1 AND (lease_until IS NULL OR lease_until < $1) ORDER BY due_at, grant_id, seq LIMIT 1`,
        [now.toISOString()],
      );
      if (!candidate) return undefined;
      const won = await this.db.query(
        `UPDATE revert_steps SET lease_until = $3 WHERE grant_id = $1 AND seq = $2 AND state = 'planned' AND (lease_until IS NULL OR lease_until < $4) RETURNING seq`,
        [candidate.grant_id, candidate.seq, leaseUntil.toISOString(), now.toISOString()],
      );
      if (won.length) return toStep(candidate);
    }
  }

  async finish(step: RevertStep, state: Exclude<StepState, 'planned'>, status: ChangeStatus, reason: string, extra: Record<string, unknown> = {}): Promise<void> {
    await this.ledger.transaction(async (tx) => {
      await tx.query(
        `UPDATE revert_steps SET state = $3, status = $4, reason = $5, finished_at = $6, lease_until = NULL WHERE grant_id = $1 AND seq = $2`,
        [step.grantId, step.seq, state, status, redact(reason), this.now().toISOString()],
      );
      await this.audit(tx, step.grantId, { step: step.seq, event: state, address: step.address, attribute: step.attributePath.join('.'), state, status, reason: redact(reason), ...extra });
    });
  }

  /** A transient failure (throttling, unreadable): the step stays planned and runs again at `dueAt`. */
  async retryLater(step: RevertStep, dueAt: Date, reason: string): Promise<void> {
    await this.ledger.transaction(async (tx) => {
      await tx.query(`UPDATE revert_steps SET due_at = $3, attempts = attempts + 1, lease_until = NULL, reason = $4 WHERE grant_id = $1 AND seq = $2`,
        [step.grantId, step.seq, dueAt.toISOString(), redact(reason)]);
      await this.audit(tx, step.grantId, { step: step.seq, event: 'retry', address: step.address, attribute: step.attributePath.join('.'), reason: redact(reason), retryAt: dueAt.toISOString() });
    });
  }

  /** Releases a lease without a decision (the broker is stopping). */
  async release(step: RevertStep): Promise<void> {
    await this.db.query('UPDATE revert_steps SET lease_until = NULL WHERE grant_id = $1 AND seq = $2', [step.grantId, step.seq]);
  }

  async steps(grantId: string): Promise<RevertStep[]> {
    const rows = await this.db.query<StepRow>(`SELECT ${STEP_COLUMNS} FROM revert_steps WHERE grant_id = $1 ORDER BY seq`, [grantId]);
    return rows.map(toStep);
  }

  /** Earliest time a plan or step is due (leased steps count from their lease's end). */
  async nextDue(): Promise<Date | undefined> {
    const [row] = await this.db.query<{ next: Date | string | null }>(
      `SELECT min(t) AS next FROM (
         SELECT due_at AS t FROM revert_plans WHERE state = 'pending'
         UNION ALL SELECT greatest(due_at, coalesce(lease_until, due_at)) FROM revert_steps WHERE state = 'planned'
       ) due`,
    );
    return row?.next ? new Date(row.next) : undefined;
  }
}
