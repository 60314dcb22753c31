// tidemark audit verify [--expect-head N:HASH|FILE] | head | export [--since DATE] [--out FILE]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ChainHead, formatHead, parseHead } from '../access/audit-chain';
import { headSignatureProblem, SignedHead } from '../access/audit-head';
import { flagString } from './args';
import { argumentError, COMMON_HELP, parseAccessArgs, printResult, withBroker } from './access-common';
import { CliCommand, CliError } from './io';

const USAGE = `usage: tidemark audit verify [--expect-head N:HASH|FILE]
       tidemark audit head
       tidemark audit export [--since DATE] [--out FILE]
  verify   checks the SHA-256 chain of every audit record and names the first broken link, then
           checks its end against the ledger's stored head (records removed from the end) and,
           with --expect-head, against a head you kept elsewhere (a rewound head): N:HASH as
           'audit head' prints it, or a signed head file (FILE.head.json from 'export --out FILE')
  head     prints the chain's head (N:HASH) to keep outside the ledger; --json adds the broker's
           Ed25519 signature over it
  export   writes the records as JSON lines (stdout, or --out FILE, then the signed head of the
           chain as FILE.head.json); --since takes an ISO date
${COMMON_HELP}`;

/** `--expect-head`: N:HASH, or a signed head file whose signature must be the broker's. */
function readExpectedHead(value: string, cwd: string): { head: ChainHead; signed?: SignedHead; file?: string } {
  const inline = parseHead(value);
  if (inline) return { head: inline };
  const file = path.resolve(cwd, value);
  if (!existsSync(file)) throw new CliError(`--expect-head '${value}' is neither N:HASH (64 hex digits) nor a file`);
  let signed: SignedHead;
  try {
    signed = JSON.parse(readFileSync(file, 'utf8')) as SignedHead;
  } catch (error) {
    throw new CliError(`${value}: not a signed head (JSON): ${(error as Error).message}`);
  }
  if (!Number.isInteger(signed?.count) || typeof signed?.hash !== 'string' || !parseHead(`${signed.count}:${signed.hash}`)) {
    throw new CliError(`${value}: not a signed head: it needs count (a number) and hash (64 hex digits)`);
  }
  return { head: { count: signed.count, hash: signed.hash }, signed, file: value };
}

export const run: CliCommand = async (args, io) => {
  const parsed = parseAccessArgs(args, { values: ['since', 'out', 'expect-head'] });
  if (parsed.flags.has('help')) { io.out(USAGE); return 0; }
  const sub = parsed.positional[0];
  if (sub === 'verify') {
    const expectFlag = flagString(parsed, 'expect-head');
    const expected = expectFlag === undefined ? undefined : readExpectedHead(expectFlag, io.cwd);
    const { verdict, current } = await withBroker(parsed, io, async (client) => ({
      verdict: await client.call('auditVerify', { expectHead: expected ? formatHead(expected.head) : undefined }),
      current: expected?.signed ? await client.call('auditHead', {}) : undefined,
    }));
    // A signed head file counts only if this broker's key signed it (else anyone could write one).
    const signatureProblem = expected?.signed && current
      ? (current.publicKey ? headSignatureProblem(expected.signed, current.publicKey) : 'this broker has no signing key to check it with')
      : undefined;
    const ok = verdict.ok && !signatureProblem;
    printResult(io, parsed, { ...verdict, ...(signatureProblem ? { ok: false, signatureProblem } : {}) }, () => {
      if (!verdict.ok) return `audit chain BROKEN at record #${verdict.brokenAt}: ${verdict.problem}`;
      if (signatureProblem) return `audit chain matches ${expected?.file}, but that head is not trustworthy: ${signatureProblem}`;
      return `audit chain intact: ${verdict.count} records, head ${verdict.head}${verdict.anchors.length ? ` (checked against ${verdict.anchors.join(' and ')})` : ''}`;
    });
    return ok ? 0 : 2;
  }
  if (sub === 'head') {
    const head = await withBroker(parsed, io, (client) => client.call('auditHead', {}));
    printResult(io, parsed, head, () => formatHead(head));
    return 0;
  }
  if (sub === 'export') {
    const since = flagString(parsed, 'since');
    if (since !== undefined && Number.isNaN(Date.parse(since))) throw new CliError(`--since '${since}' is not a date (use e.g. 2026-11-25 or 2026-11-25T10:00:00Z)`);
    const out = flagString(parsed, 'out');
    const { records, head } = await withBroker(parsed, io, async (client) => ({
      // The head first: every record it covers is then in the export (appends may add more).
      head: out ? await client.call('auditHead', {}) : undefined,
      records: await client.call('auditExport', { since: since ? new Date(since).toISOString() : undefined }),
    }));
    const lines = records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
    if (out) {
      writeFileSync(path.resolve(io.cwd, out), lines);
      writeFileSync(path.resolve(io.cwd, `${out}.head.json`), JSON.stringify(head, null, 2) + '\n');
      io.err(`wrote ${records.length} audit records to ${out}; the chain's ${head?.signature ? 'signed ' : ''}head #${head?.count} to ${out}.head.json (keep it outside the ledger; 'tidemark audit verify --expect-head ${out}.head.json')`);
    } else if (lines) {
      io.out(lines.trimEnd());
    }
    return 0;
  }
  throw argumentError(`expected 'verify', 'head' or 'export'${sub ? `, not '${sub}'` : ''}`, 'usage: tidemark audit verify [--expect-head N:HASH|FILE] | head | export [--since DATE] [--out FILE]');
};
