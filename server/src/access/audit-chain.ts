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
  const chain = new ChainVerifier<AuditRecord>(anchors.expected, (r) => recordHash(r) === r.hash, (r) => r.kind);
  chain.addAll(records);
  return chain.verdict(anchors.stored);
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
  const chain = storedChainVerifier(anchors.expected, seen);
  chain.addAll(rows);
  return chain.verdict(anchors.stored);
}

/**
 * verifyStoredChain a page at a time, so a ledger can stream its rows through it instead of holding
 * all of them (100,000 retained rows made verify mostly garbage collection). `expected` is
 * the outside anchor; the ledger's stored head is given to `verdict` once the last page is in.
 */
export function storedChainVerifier(expected?: ChainHead, seen?: (row: StoredAuditRow, mayMentionGrant: boolean) => void): ChainVerifier<StoredAuditRow> {
  return new ChainVerifier<StoredAuditRow>(expected, (row) => {
    const body = row.body;
    // One template, so the hashed text is built once (prevHash, newline, body with seq in place).
    if (body.length > 2 && body.endsWith('}') && sha256Hex(`${row.prevHash}\n${body.slice(0, -1)},"seq":${row.seq}}`) === row.hash) {
      seen?.(row, body.includes('"grantId"'));
      return true;
    }
    if (recordHash(parseStoredRow(row)) !== row.hash) return false;
    seen?.(row, true);
    return true;
  }, (row) => parseStoredRow(row).kind);
}

/** The chain's links checked one record at a time, in `seq` order; stops at the first broken one. */
export class ChainVerifier<R extends { seq: number; prevHash: string; hash: string }> {
  private prev = GENESIS_HASH;
  private count = 0;
  private hashAtExpected: string | undefined;
  private broken: ChainVerdict | undefined;

  constructor(private readonly expected: ChainHead | undefined, private readonly holds: (r: R) => boolean, private readonly kindOf: (r: R) => string) {
    this.hashAtExpected = expected?.count === 0 ? GENESIS_HASH : undefined;
  }

  /** False once a record breaks the chain: the rest need not be read. */
  addAll(records: Iterable<R>): boolean {
    if (this.broken) return false;
    const expected = this.expected;
    for (const r of records) {
      this.count++;
      const expectedSeq = this.count;
      if (r.seq !== expectedSeq) return this.fail({ ok: false, count: this.count, brokenAt: r.seq, problem: `expected record #${expectedSeq}, found #${r.seq} (a record was removed or inserted)` });
      if (r.prevHash !== this.prev) return this.fail({ ok: false, count: this.count, brokenAt: r.seq, problem: `record #${r.seq} does not link to the hash of record #${r.seq - 1}` });
      if (!this.holds(r)) return this.fail({ ok: false, count: this.count, brokenAt: r.seq, problem: `record #${r.seq} (${this.kindOf(r)}) was altered: its content does not match its hash` });
      this.prev = r.hash;
      if (expected && r.seq === expected.count) this.hashAtExpected = r.hash;
    }
    return true;
  }

  private fail(verdict: ChainVerdict): false {
    this.broken = verdict;
    return false;
  }

  /** The verdict on the records added, then held against the anchors (a chain cut short is otherwise intact). */
  verdict(stored?: ChainHead): ChainVerdict {
    if (this.broken) return this.broken;
    const { count, prev, expected } = this;
    const anchorNames: string[] = [];
    if (stored) {
      if (count < stored.count) return { ok: false, count, brokenAt: count + 1, problem: `the chain was truncated after record #${count}: the ledger's head says ${stored.count} records` };
      if (count > stored.count) return { ok: false, count, brokenAt: stored.count + 1, problem: `records #${stored.count + 1}..#${count} are past the ledger's head (#${stored.count}): the head was rewound or records were added outside the broker` };
      if (prev !== stored.hash) return { ok: false, count, brokenAt: count, problem: `record #${count} is not the record the ledger's head names (hash ${stored.hash.slice(0, 12)}…)` };
      anchorNames.push(`the ledger's head #${stored.count}`);
    }
    if (expected) {
      if (count < expected.count) return { ok: false, count, brokenAt: count + 1, problem: `the chain was truncated after record #${count}: the expected head is #${expected.count} (the head was rewound)` };
      if (this.hashAtExpected !== expected.hash) return { ok: false, count, brokenAt: expected.count, problem: `record #${expected.count} does not have the expected head's hash ${expected.hash.slice(0, 12)}…: the chain was rewritten up to there` };
      anchorNames.push(`the expected head #${expected.count}`);
    }
    return { ok: true, count, head: prev, anchors: anchorNames };
  }
}
