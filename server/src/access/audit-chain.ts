// The audit log's hash chain: pure functions to seal a record and to verify a sequence of them.
import * as nodeCrypto from 'node:crypto';
import { AuditRecord } from '../model';
import { canonicalJsonAround, canonicalJsonWithout } from './canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

export type UnsealedRecord = Omit<AuditRecord, 'hash' | 'prevHash' | 'seq'>;

/** The members a record's hash does not cover: the link is hashed before the body, the hash is the result. */
const NOT_IN_BODY: ReadonlySet<string> = new Set(['hash', 'prevHash']);

/** The hash of a record; a `hash` member, when present, is ignored (verify passes stored records as they are, no copy). */
export function recordHash(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const body = canonicalJsonWithout(record as unknown as Record<string, unknown>, NOT_IN_BODY);
  return sha256Hex(`${record.prevHash}\n${body}`);
}

/** One-shot `crypto.hash` (Node >= 20.12) skips a Hash object per record; older runtimes use createHash. */
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
function sha256Hex(text: string): string {
  return oneShotHash ? oneShotHash('sha256', text, 'hex') : nodeCrypto.createHash('sha256').update(text).digest('hex');
}

export function seal(record: UnsealedRecord, seq: number, prevHash: string): AuditRecord {
  const withLink = { ...record, seq, prevHash };
  return { ...withLink, hash: recordHash(withLink) };
}

/**
 * A record's hashed text around its sequence number, for sealing where only the database knows the
 * number (the next one after the head it locks): hash = SHA-256 of `prevHash \n before seq after`.
 */
export function sealParts(record: UnsealedRecord): { before: string; after: string } {
  return canonicalJsonAround(record as unknown as Record<string, unknown>, 'seq', NOT_IN_BODY);
}

/** A point in the chain: the number of records and the hash of the last one. */
export interface ChainHead {
  count: number;
  hash: string;
}

export type ChainVerdict =
  | { ok: true; count: number; head: string; /** What the chain was checked against besides itself. */ anchors: string[] }
  | { ok: false; count: number; brokenAt: number; problem: string; /** Grants whose table rows disagree with the chain. */ grants?: string[] };

export interface ChainAnchors {
  /** The head the ledger keeps beside the records (audit_head): catches removed last records. */
  stored?: ChainHead;
  /** A head kept outside the ledger (printed by `audit head`, signed in exports): catches a rewound stored head. */
  expected?: ChainHead;
}

/** `<count>:<hash>`, as `tidemark audit head` prints it and `--expect-head` takes it. */
export function formatHead(h: ChainHead): string {
  return `${h.count}:${h.hash}`;
}

export function parseHead(text: string): ChainHead | undefined {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { count: Number(m[1]), hash: m[2] } : undefined;
}

/**
 * Checks records in `seq` order; names the first record whose link or content does not match,
 * then holds the end of the chain against the anchors (a chain cut short is otherwise intact).
 */
export function verifyChain(records: Iterable<AuditRecord>, anchors: ChainAnchors = {}): ChainVerdict {
  return verifyLinks(records, anchors, (r) => recordHash(r) === r.hash, (r) => r.kind);
}

/** A record as the ledger stores it: the body is the canonical JSON of everything but seq and the hashes. */
export interface StoredAuditRow {
  seq: number;
  body: string;
  prevHash: string;
  hash: string;
}

/** The record a stored row holds, parsed back exactly as stored so tampering shows. */
export function parseStoredRow(row: StoredAuditRow): AuditRecord {
  let body: UnsealedRecord;
  try {
    body = JSON.parse(row.body);
  } catch {
    body = { at: '', kind: 'request', actor: '', data: { unreadable: row.body } };
  }
  return { ...body, seq: row.seq, prevHash: row.prevHash, hash: row.hash };
}

/**
 * verifyChain over stored rows, without parsing and re-encoding each one: the broker stores the
 * canonical text it hashed, and `seq` sorts after every member a record has, so the hashed text is
 * the stored body with `"seq":N` appended. A body that is not that text (stored in another but equal
 * form, or altered) is parsed and hashed the long way, so exactly the records verifyChain accepts
 * pass. `parsed` receives every row that was parsed, and `mayMentionGrant` is false only for a row
 * whose verified canonical text has no `"grantId"` member at any depth (it need not be parsed to be
 * held against the grant tables).
 */
export function verifyStoredChain(rows: Iterable<StoredAuditRow>, anchors: ChainAnchors = {}, seen?: (row: StoredAuditRow, mayMentionGrant: boolean) => void): ChainVerdict {
  return verifyLinks(rows, anchors, (row) => {
    const text = row.body.length > 2 && row.body.endsWith('}') ? `${row.body.slice(0, -1)},"seq":${row.seq}}` : undefined;
    if (text !== undefined && sha256Hex(`${row.prevHash}\n${text}`) === row.hash) {
      seen?.(row, row.body.includes('"grantId"'));
      return true;
    }
    if (recordHash(parseStoredRow(row)) !== row.hash) return false;
    seen?.(row, true);
    return true;
  }, (row) => parseStoredRow(row).kind);
}

function verifyLinks<R extends { seq: number; prevHash: string; hash: string }>(records: Iterable<R>, anchors: ChainAnchors, holds: (r: R) => boolean, kindOf: (r: R) => string): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  const expected = anchors.expected;
  let hashAtExpected = expected?.count === 0 ? GENESIS_HASH : undefined;
  for (const r of records) {
    count++;
    if (r.seq !== expectedSeq) return { ok: false, count, brokenAt: r.seq, problem: `expected record #${expectedSeq}, found #${r.seq} (a record was removed or inserted)` };
    if (r.prevHash !== prev) return { ok: false, count, brokenAt: r.seq, problem: `record #${r.seq} does not link to the hash of record #${r.seq - 1}` };
    const hash = r.hash;
    if (!holds(r)) return { ok: false, count, brokenAt: r.seq, problem: `record #${r.seq} (${kindOf(r)}) was altered: its content does not match its hash` };
    prev = hash;
    if (expected && r.seq === expected.count) hashAtExpected = hash;
    expectedSeq++;
  }
  const anchorNames: string[] = [];
  const stored = anchors.stored;
  if (stored) {
    if (count < stored.count) return { ok: false, count, brokenAt: count + 1, problem: `the chain was truncated after record #${count}: the ledger's head says ${stored.count} records` };
    if (count > stored.count) return { ok: false, count, brokenAt: stored.count + 1, problem: `records #${stored.count + 1}..#${count} are past the ledger's head (#${stored.count}): the head was rewound or records were added outside the broker` };
    if (prev !== stored.hash) return { ok: false, count, brokenAt: count, problem: `record #${count} is not the record the ledger's head names (hash ${stored.hash.slice(0, 12)}…)` };
    anchorNames.push(`the ledger's head #${stored.count}`);
  }
  if (expected) {
    if (count < expected.count) return { ok: false, count, brokenAt: count + 1, problem: `the chain was truncated after record #${count}: the expected head is #${expected.count} (the head was rewound)` };
    if (hashAtExpected !== expected.hash) return { ok: false, count, brokenAt: expected.count, problem: `record #${expected.count} does not have the expected head's hash ${expected.hash.slice(0, 12)}…: the chain was rewritten up to there` };
    anchorNames.push(`the expected head #${expected.count}`);
  }
  return { ok: true, count, head: prev, anchors: anchorNames };
}
