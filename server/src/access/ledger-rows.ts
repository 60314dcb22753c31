// What `log` and `grants` show comes from the grants, session_commands and api_events tables, not
// from the chain. So every write to a grant row chains a digest of the row, every command is chained
// in full and every API event with a digest of its stored body; verify compares the tables with the
// chain and names the grant whose rows were changed outside the broker. Pure: the I/O is the ledger's.
import { createHash } from 'node:crypto';
import { AuditRecord, ChangeEvent, Grant, SessionCommand } from '../model';
import { canonicalJson } from './canonical-json';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Digest of a grant as stored (undefined fields dropped), chained as `data.grantDigest` with each write. */
export function grantDigest(g: Grant): string {
  return sha256(canonicalJson(g));
}

/** Digest of an API event's stored body, chained as `data.bodyDigest`. */
export function apiEventDigest(e: ChangeEvent): string {
  return sha256(canonicalJson(e));
}

/** The fields of a session command the chain holds (`user` is the grant's requester name). */
function commandKey(c: Pick<SessionCommand, 'at' | 'cwd' | 'command' | 'exitCode' | 'source'>): string {
  return JSON.stringify([c.at, c.cwd, c.command, c.exitCode ?? null, c.source]);
}

export interface LedgerRows {
  grants: Grant[];
  commands: SessionCommand[];
  apiEvents: Array<{ grantId: string; event: ChangeEvent }>;
}

export interface RowProblem {
  grantId: string;
  /** The chained record that says what the row should be, when there is one. */
  seq?: number;
  problem: string;
}

/** Compares the tables with the chain; one problem per grant whose rows differ (the first difference). */
export function checkRows(records: readonly AuditRecord[], rows: LedgerRows): RowProblem[] {
  const lastDigest = new Map<string, { digest: string; seq: number }>();
  const chained = new Set<string>();
  const commands = new Map<string, Map<string, number>>();
  const events = new Map<string, { digest?: string; seq: number }>();
  for (const r of records) {
    if (!r.grantId) continue;
    chained.add(r.grantId);
    const d = r.data;
    if (typeof d.grantDigest === 'string') lastDigest.set(r.grantId, { digest: d.grantDigest, seq: r.seq });
    if (r.kind === 'command') {
      const key = commandKey({ at: String(d.at), cwd: String(d.cwd), command: String(d.command), exitCode: (d.exitCode as number | null) ?? null, source: d.source as SessionCommand['source'] });
      const per = commands.get(r.grantId) ?? new Map<string, number>();
      per.set(key, (per.get(key) ?? 0) + 1);
      commands.set(r.grantId, per);
    } else if (r.kind === 'api-event' && typeof d.eventId === 'string') {
      events.set(`${r.grantId}\n${d.eventId}`, { digest: typeof d.bodyDigest === 'string' ? d.bodyDigest : undefined, seq: r.seq });
    }
  }
  const problems = new Map<string, RowProblem>();
  const report = (p: RowProblem) => { if (!problems.has(p.grantId)) problems.set(p.grantId, p); };

  const requesterName = new Map<string, string>();
  for (const g of rows.grants) {
    requesterName.set(g.id, g.requesterName);
    const last = lastDigest.get(g.id);
    if (!chained.has(g.id)) report({ grantId: g.id, problem: `grant ${g.id} is in the grants table but no audit record mentions it (inserted outside the broker)` });
    // Grants written before digests were chained have none: nothing to compare them with.
    else if (last && last.digest !== grantDigest(g)) report({ grantId: g.id, seq: last.seq, problem: `grant ${g.id} was altered outside the broker: its row does not match the digest chained in record #${last.seq}` });
  }
  const seen = new Map<string, Map<string, number>>();
  for (const c of rows.commands) {
    const per = seen.get(c.grantId) ?? new Map<string, number>();
    const key = commandKey(c);
    per.set(key, (per.get(key) ?? 0) + 1);
    seen.set(c.grantId, per);
    if (requesterName.has(c.grantId) && c.user !== requesterName.get(c.grantId)) report({ grantId: c.grantId, problem: `grant ${c.grantId}: a recorded command's user was altered (${c.user}) outside the broker` });
  }
  for (const id of new Set([...seen.keys(), ...commands.keys()])) {
    const stored = seen.get(id) ?? new Map<string, number>();
    const inChain = commands.get(id) ?? new Map<string, number>();
    for (const [key, n] of stored) {
      if ((inChain.get(key) ?? 0) < n) { report({ grantId: id, problem: `grant ${id}: the session log holds a command the chain does not (${JSON.parse(key)[2]}): altered or added outside the broker` }); break; }
    }
    for (const [key, n] of inChain) {
      if ((stored.get(key) ?? 0) < n) { report({ grantId: id, problem: `grant ${id}: a chained command is missing from the session log (${JSON.parse(key)[2]}): altered or deleted outside the broker` }); break; }
    }
  }
  const storedEvents = new Set<string>();
  for (const { grantId, event } of rows.apiEvents) {
    const key = `${grantId}\n${event.eventId}`;
    storedEvents.add(key);
    const chainedEvent = events.get(key);
    if (!chainedEvent) report({ grantId, problem: `grant ${grantId}: API event ${event.eventId} is stored but not chained (added outside the broker)` });
    else if (chainedEvent.digest && chainedEvent.digest !== apiEventDigest(event)) report({ grantId, seq: chainedEvent.seq, problem: `grant ${grantId}: API event ${event.eventId} was altered outside the broker (record #${chainedEvent.seq})` });
  }
  for (const [key, e] of events) {
    if (!storedEvents.has(key)) {
      const [grantId, eventId] = key.split('\n');
      report({ grantId, seq: e.seq, problem: `grant ${grantId}: API event ${eventId} (record #${e.seq}) is missing from the stored events (deleted outside the broker)` });
    }
  }
  return [...problems.values()];
}
