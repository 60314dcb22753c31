// `tidemark events init [--regions r1,r2] [--dir DIR]`: writes the Terraform module that routes
// write API calls to an SQS queue for `tidemark watch --queue`. Never overwrites a file.
// `tidemark events status`: where the team broker's watch routes events (its roots' accounts and
// regions) and the events it ignored because no root is registered for their account or region.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { WatchStatus } from '../access/ledger/watch-ledger';
import { eventsModule, regionError } from '../watch/events-module';
import { COMMON_HELP, parseAccessArgs, printResult, table, withBroker } from './access-common';
import { flagString, parseArgs } from './args';
import { CliError, CliIO } from './io';

const HELP = `usage: tidemark events init [--regions r1,r2] [--dir DIR]

Writes a Terraform module (default dir: tidemark-events/) with, per region, an EventBridge rule for
write API calls via CloudTrail, the SQS queue it feeds, the queue's policy and a dead-letter queue.
us-east-1 is always included (IAM's events arrive there). Requires a CloudTrail trail logging
management events. Review it, apply it, then: tidemark watch --queue <queue_url output>.

usage: tidemark events status [--broker URL] [--json]

The team broker's watch: each root it routes events to (account, regions, state, events routed)
and the events no root took, by account and region (counted and ignored, not errors).
${COMMON_HELP}`;

/** The watch status as a person reads it. Pure. */
export function watchStatusText(status: WatchStatus): string {
  if (!status.roots.length) return 'the broker watches nothing (no watch: section in its config.yaml, or no leader has started yet)';
  const lines = [table([['ROOT', 'ACCOUNT', 'REGIONS', 'EVENTS', 'STATE'], ...status.roots.map((r) => [r.root, r.account ?? 'any', r.regions.length ? r.regions.join(',') : 'any', String(r.events), r.state ?? '-'])])];
  if (status.ignored.length) {
    lines.push('', 'ignored (no root registered for the account and region):');
    lines.push(table([['ACCOUNT', 'REGION', 'EVENTS', 'LAST'], ...status.ignored.map((i) => [i.account, i.region, String(i.events), i.lastAt])]));
  } else {
    lines.push('', 'no events ignored');
  }
  return lines.join('\n');
}

async function status(args: string[], io: CliIO): Promise<number> {
  const parsed = parseAccessArgs(args, {});
  if (parsed.positional.length > 1) throw new CliError(`events status takes no arguments, not '${parsed.positional.slice(1).join(' ')}'`);
  const result = await withBroker(parsed, io, (client) => client.call('watchStatus', {}));
  printResult(io, parsed, result, () => watchStatusText(result));
  return 0;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.length === 0) {
    io.out(HELP);
    return args.length === 0 ? 1 : 0;
  }
  if (args[0] === 'status') return status(args, io);
  const parsed = parseArgs(args, { booleans: [], values: ['regions', 'dir'] });
  if (parsed.positional[0] !== 'init' || parsed.positional.length > 1) throw new CliError(`expects 'init' or 'status', not '${parsed.positional.join(' ')}'`);
  const regionsText = flagString(parsed, 'regions');
  const regions = regionsText === undefined ? [io.env.AWS_REGION || 'us-east-1'] : regionsText.split(',').map((r) => r.trim()).filter(Boolean);
  for (const r of regions) {
    const why = regionError(r);
    if (why) throw new CliError(`--regions: ${why}`);
  }
  const dir = path.resolve(io.cwd, flagString(parsed, 'dir') ?? 'tidemark-events');
  const files = eventsModule(regions);
  for (const name of Object.keys(files)) {
    const target = path.join(dir, name);
    if (await fs.stat(target).then(() => true, () => false)) throw new CliError(`${path.relative(io.cwd, target)}: already exists; not overwritten (remove it or choose --dir)`);
  }
  await fs.mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text, { flag: 'wx' });
  io.out(`wrote ${Object.keys(files).map((n) => path.relative(io.cwd, path.join(dir, n))).join(', ')}: rule, queue, queue policy and dead-letter queue in ${[...new Set(['us-east-1', ...regions])].join(', ')}; review, terraform apply, then tidemark watch --queue <queue_url output>`);
  return 0;
}
