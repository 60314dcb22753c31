// The audit log's hash chain: pure functions to seal a record and to verify a sequence of them.
import { createHash } from 'node:crypto';
import { AuditRecord } from '../model';
import { canonicalJson } from './canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

export type UnsealedRecord = Omit<AuditRecord, 'hash' | 'prevHash' | 'seq'>;

export function recordHash(record: Omit<AuditRecord, 'hash'>): string {
  const { prevHash, ...rest } = record;
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(rest)).digest('hex');
}

export function seal(record: UnsealedRecord, seq: number, prevHash: string): AuditRecord {
  const withLink = { ...record, seq, prevHash };
  return { ...withLink, hash: recordHash(withLink) };
}

export type ChainVerdict =
  | { ok: true; count: number; head: string }
  | { ok: false; count: number; brokenAt: number; problem: string };

/** Checks records in `seq` order; names the first record whose link or content does not match. */
export function verifyChain(records: Iterable<AuditRecord>): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const r of records) {
    count++;
    if (r.seq !== expectedSeq) return { ok: false, count, brokenAt: r.seq, problem: `expected record #${expectedSeq}, found #${r.seq} (a record was removed or inserted)` };
    if (r.prevHash !== prev) return { ok: false, count, brokenAt: r.seq, problem: `record #${r.seq} does not link to the hash of record #${r.seq - 1}` };
    const { hash, ...rest } = r;
    if (recordHash(rest) !== hash) return { ok: false, count, brokenAt: r.seq, problem: `record #${r.seq} (${r.kind}) was altered: its content does not match its hash` };
    prev = hash;
    expectedSeq++;
  }
  return { ok: true, count, head: prev };
}
