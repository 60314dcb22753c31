// tidemark audit verify | export [--since DATE] [--out FILE]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { flagString } from './args';
import { argumentError, COMMON_HELP, parseAccessArgs, printResult, withBroker } from './access-common';
import { CliCommand, CliError } from './io';

const USAGE = `usage: tidemark audit verify
       tidemark audit export [--since DATE] [--out FILE]
  verify   checks the SHA-256 chain of every audit record and names the first broken link
  export   writes the records as JSON lines (stdout, or --out FILE); --since takes an ISO date
${COMMON_HELP}`;

export const run: CliCommand = async (args, io) => {
  const parsed = parseAccessArgs(args, { values: ['since', 'out'] });
  if (parsed.flags.has('help')) { io.out(USAGE); return 0; }
  const sub = parsed.positional[0];
  if (sub === 'verify') {
    const verdict = await withBroker(parsed, io, (client) => client.call('auditVerify', {}));
    printResult(io, parsed, verdict, () => verdict.ok
      ? `audit chain intact: ${verdict.count} records, head ${verdict.head}`
      : `audit chain BROKEN at record #${verdict.brokenAt}: ${verdict.problem}`);
    return verdict.ok ? 0 : 2;
  }
  if (sub === 'export') {
    const since = flagString(parsed, 'since');
    if (since !== undefined && Number.isNaN(Date.parse(since))) throw new CliError(`--since '${since}' is not a date (use e.g. 2026-11-25 or 2026-11-25T10:00:00Z)`);
    const records = await withBroker(parsed, io, (client) => client.call('auditExport', { since: since ? new Date(since).toISOString() : undefined }));
    const lines = records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
    const out = flagString(parsed, 'out');
    if (out) {
      writeFileSync(path.resolve(io.cwd, out), lines);
      io.err(`wrote ${records.length} audit records to ${out}`);
    } else if (lines) {
      io.out(lines.trimEnd());
    }
    return 0;
  }
  throw argumentError(`expected 'verify' or 'export'${sub ? `, not '${sub}'` : ''}`, 'usage: tidemark audit verify | export [--since DATE] [--out FILE]');
};
