// `tidemark events init [--regions r1,r2] [--dir DIR]`: writes the Terraform module that routes
// write API calls to an SQS queue for `tidemark watch --queue`. Never overwrites a file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { eventsModule, regionError } from '../watch/events-module';
import { flagString, parseArgs } from './args';
import { CliError, CliIO } from './io';

const HELP = `usage: tidemark events init [--regions r1,r2] [--dir DIR]

Writes a Terraform module (default dir: tidemark-events/) with, per region, an EventBridge rule for
write API calls via CloudTrail, the SQS queue it feeds, the queue's policy and a dead-letter queue.
us-east-1 is always included (IAM's events arrive there). Requires a CloudTrail trail logging
management events. Review it, apply it, then: tidemark watch --queue <queue_url output>.`;

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.length === 0) {
    io.out(HELP);
    return args.length === 0 ? 1 : 0;
  }
  const parsed = parseArgs(args, { booleans: [], values: ['regions', 'dir'] });
  if (parsed.positional[0] !== 'init' || parsed.positional.length > 1) throw new CliError(`expects 'init', not '${parsed.positional.join(' ')}'`);
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
