// `tidemark watch [dir]`: follows CloudTrail and alerts when production drifts from the code, who
// did it, and whether a guardrail forbids it. Runs until Ctrl-C (or --polls N), then flushes the
// webhook queue and exits 0.
import { promises as fs } from 'node:fs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import path from 'node:path';
import { parseDuration } from '../access/duration';
import { PolicyError } from '../access/policy';
import type { Alert } from '../alerts/alert';
import { WEBHOOK_FORMATS, WebhookFormat } from '../alerts/format';
import { AlertBus, AlertSink, CallbackSink, JsonLinesSink } from '../alerts/sink';
import { WebhookSink } from '../alerts/webhook';
import { brokerGrantSource } from '../attribution/attributor';
import { reachableBroker } from '../app/cli-attribution';
import { loadGuardrails } from '../guardrails/guardrails';
import { WorkspaceIndex } from '../hcl/workspace-index';
import { cursorFile, loadCursor, WatchStateError } from '../watch/cursor';
import { toAlert } from '../watch/events';
import { Follower } from '../app/watch-follower';
import { grantEvidence } from '../watch/grants';
import { ignoreCommentsOf, rootFilesOf, RootModule, RootModuleError, withoutBrokenBlocks } from '../app/root-module';
import { openQueue, QueueConsumer, QueueFatalError } from '../app/queue-consumer';
import { parseQueueUrl, type QueueAddress } from '../watch/queue-events';
import { flagString, parseArgs } from './args';
import { CliError, CliIO } from './io';

const HELP = `usage: tidemark watch [dir] [options]

Follows CloudTrail write events for the Terraform root module in dir (default: .), re-reads only
the resources they touched, and raises an alert when drift appears, is attributed, is resolved or
reverted, or breaks a guardrail (.tidemark/guardrails.cedar). A full sweep runs on a slow interval.

  --interval <duration>      time between polls (default 30s)
  --sweep <duration>         time between full re-reads (default 15m)
  --budget <n>               API calls one poll may make (default 20)
  --webhook <url>            POST each alert here (retried in the background, never blocking)
  --webhook-format <f>       slack | json (default json: {"schema":"tidemark.alert/v1","alert":{…}})
  --webhook-secret-env <v>   env variable holding the HMAC key for X-Tidemark-Signature
                             (default TIDEMARK_WEBHOOK_SECRET; unsigned when unset)
  --json                     alerts as JSON lines on stdout (default: one readable line each)
  --polls <n>                stop after n polls (with --queue: n receives); default: until Ctrl-C
  --queue <sqs-url>          follow an SQS queue fed by an EventBridge rule (tidemark events init):
                             changes arrive in seconds; LookupEvents then runs only as the slow
                             sweep (every --sweep), behind the queue
  --queue-wait <seconds>     long-poll wait of one receive, 0-20 (default 20)
  --broker <url>             access broker for grants (default: TIDEMARK_BROKER_URL, or this
                             workspace's running broker; without one, a change outside any
                             Tidemark session is still an unauthorized change)
  --state, --workspace, --profile, --region, --endpoint-url   as for tidemark check

The cursor is kept in .tidemark/watch-state.json (event times and ids only).`;

function positiveInt(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new CliError(`--${flag} must be a whole number of at least 1, not '${text}'`);
  return Number(text);
}

function duration(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const seconds = parseDuration(text);
  if (seconds === undefined || seconds < 1) throw new CliError(`--${flag} must be a duration like 30s, 5m or 1h, not '${text}'`);
  return seconds * 1000;
}

function line(a: Alert): string {
  const where = a.file ? ` (${a.file}${a.line ? `:${a.line}` : ''})` : '';
  return `${a.at.slice(11, 19)} ${a.severity.toUpperCase().padEnd(8)} ${a.kind.padEnd(16)} ${a.message}${where}`;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help')) {
    io.out(HELP);
    return 0;
  }
  const parsed = parseArgs(args, {
    booleans: ['json'],
    values: ['queue', 'queue-wait', 'interval', 'sweep', 'budget', 'webhook', 'webhook-format', 'webhook-secret-env', 'polls', 'broker', 'state', 'workspace', 'profile', 'region', 'endpoint-url'],
  });
  if (parsed.positional.length > 1) throw new CliError('expects at most one directory');
  const intervalMs = duration(flagString(parsed, 'interval'), 'interval', 30_000);
  const sweepMs = duration(flagString(parsed, 'sweep'), 'sweep', 15 * 60_000);
  const budget = positiveInt(flagString(parsed, 'budget'), 'budget', 20);
  const polls = flagString(parsed, 'polls') === undefined ? undefined : positiveInt(flagString(parsed, 'polls'), 'polls', 1);
  const format = (flagString(parsed, 'webhook-format') ?? 'json') as WebhookFormat;
  if (!WEBHOOK_FORMATS.includes(format)) throw new CliError(`--webhook-format must be one of ${WEBHOOK_FORMATS.join(', ')}`);
  const webhook = flagString(parsed, 'webhook');
  if (webhook !== undefined && !/^https?:\/\//.test(webhook)) throw new CliError(`--webhook must be an http(s) URL, not '${webhook}'`);
  const secretEnv = flagString(parsed, 'webhook-secret-env') ?? 'TIDEMARK_WEBHOOK_SECRET';
  if (parsed.flags.has('webhook-secret-env') && !io.env[secretEnv]) throw new CliError(`--webhook-secret-env ${secretEnv}: that environment variable is not set`);
  const secret = io.env[secretEnv] || undefined;
  const queueUrl = flagString(parsed, 'queue');
  const queue = queueUrl === undefined ? undefined : parseQueueUrl(queueUrl);
  if (typeof queue === 'string') throw new CliError(`--queue: ${queue}`);
  const queueWait = flagString(parsed, 'queue-wait');
  if (queueWait !== undefined && (!/^\d+$/.test(queueWait) || Number(queueWait) > 20)) throw new CliError(`--queue-wait must be a whole number of seconds from 0 to 20, not '${queueWait}'`);
  if (queueWait !== undefined && !queue) throw new CliError('--queue-wait needs --queue');

  const root = path.resolve(io.cwd, parsed.positional[0] ?? '.');
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) throw new CliError(`${parsed.positional[0] ?? root}: not a directory`);
  const load = async () => {
    const rootFiles = rootFilesOf(root, await new WorkspaceIndex().addFolder(root));
    const { files } = withoutBrokenBlocks(rootFiles);
    return { files, comments: await ignoreCommentsOf(files), syntax: rootFiles.flatMap((f) => f.errors.map((e) => `${path.relative(io.cwd, f.file)}:${e.range.start.line + 1}:${e.range.start.character + 1}: ${e.message}`)) };
  };
  const first = await load();
  if (!first.files.some((f) => f.file.endsWith('.tf'))) throw new CliError(`${root}: no Terraform files (*.tf) here`);
  for (const s of first.syntax) io.err(s);

  let guardrails;
  try {
    guardrails = await loadGuardrails(root, io.cwd);
  } catch (error) {
    if (error instanceof PolicyError) throw new CliError(error.message);
    throw error;
  }

  // A broken cursor is the user's to fix (or delete): never silently start over.
  await loadCursor(cursorFile(root)).catch((error: unknown) => {
    throw error instanceof WatchStateError ? new CliError(error.message) : error;
  });

  const module = new RootModule({
    root, env: io.env,
    aws: { profile: flagString(parsed, 'profile'), region: flagString(parsed, 'region'), endpoint: flagString(parsed, 'endpoint-url') },
    statePath: flagString(parsed, 'state'), workspace: flagString(parsed, 'workspace'), relativeTo: io.cwd,
  });
  try {
    await module.loadConfig();
    await module.connect(first.files);
  } catch (error) {
    if (error instanceof RootModuleError) throw new CliError(error.message);
    throw error;
  }

  let sqs: SQSClient | undefined;
  try {
    sqs = queue && queueUrl ? await openQueue(module.clients!, queue, queueUrl) : undefined;
  } catch (error) {
    if (error instanceof QueueFatalError) throw new CliError(`--queue ${error.message}`);
    throw error;
  }

  const broker = await reachableBroker({ cwd: root, env: io.env, brokerUrl: flagString(parsed, 'broker') });
  if (broker.warning) io.err(broker.warning);
  const client = broker.client;

  const sinks: AlertSink[] = [parsed.flags.has('json') ? new JsonLinesSink((l) => io.out(l)) : new CallbackSink('text', (a) => io.out(line(a)))];
  const hook = webhook ? new WebhookSink({ url: webhook, format, secret, log: (m) => io.err(m) }) : undefined;
  if (hook) sinks.push(hook);
  // The secret itself must never appear in an alert body, whatever a message happens to quote.
  const bus = new AlertBus(sinks, () => (secret ? [secret] : []));
  const follower = new Follower({
    module, intervalMs, sweepMs, budget, guardrails,
    cursorFile: cursorFile(root),
    grants: client ? grantEvidence(brokerGrantSource((op, params) => client.call(op, params))) : undefined,
    load: async () => load(),
    emit: (event) => {
      bus.emit(toAlert(event, { root, at: new Date() }));
    },
  });

  let stop: () => void = () => undefined;
  let stopping = false;
  const abort = new AbortController();
  const onSignal = () => {
    stopping = true;
    abort.abort();
    stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Announced only once Ctrl-C is handled: whoever reads this line may press it at once.
  if (sqs && queueUrl) {
    io.err(`watching ${path.relative(io.cwd, root) || '.'}: queue ${queueUrl} (${queueWait ?? 20}s long polls), a LookupEvents sweep every ${sweepMs / 60_000}m${guardrails ? `, guardrails from ${guardrails.file}` : ''}${hook ? `, webhook ${format}${secret ? ' (signed)' : ''}` : ''}${client ? ', grants from the access broker' : ''}; Ctrl-C stops`);
    const consumer = new QueueConsumer({ sqs, queueUrl, follower, waitSeconds: queueWait === undefined ? 20 : Number(queueWait), report: (l) => io.err(l), signal: abort.signal });
    let rounds = 0;
    try {
      // The baseline reading first: what queue events are compared with.
      const baseline = await follower.poll();
      let lastSweep = Date.now();
      if (baseline.error) io.err(`first reading failed: ${baseline.error}`);
      while (!stopping && (polls === undefined || rounds < polls)) {
        const round = await consumer.round();
        rounds++;
        if (round.error) io.err(`queue: ${round.error}; backing off, the messages stay in the queue`);
        if (round.poll?.deferred.length) io.err(`budget: ${round.poll.deferred.length} resource(s) left for the next batch`);
        // The slow sweep behind the queue: LookupEvents since the cursor and a full re-read find what a lost delivery missed.
        if (!stopping && Date.now() - lastSweep >= sweepMs) {
          lastSweep = Date.now();
          await follower.poll();
        }
        const wait = consumer.nextDelayMs();
        if (wait > 0 && !stopping) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            stop = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    } catch (error) {
      if (error instanceof QueueFatalError) throw new CliError(error.message);
      throw error;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await bus.close();
      await client?.close();
      sqs.destroy();
    }
    if (hook && (hook.stats.failed || hook.stats.dropped)) io.err(`webhook: ${hook.stats.delivered} delivered, ${hook.stats.failed} given up, ${hook.stats.dropped} dropped`);
    io.err(`stopped after ${rounds} receive${rounds === 1 ? '' : 's'}`);
    return 0;
  }
  io.err(`watching ${path.relative(io.cwd, root) || '.'}: a poll every ${intervalMs / 1000}s, a full sweep every ${sweepMs / 60_000}m, at most ${budget} API calls a poll${guardrails ? `, guardrails from ${guardrails.file}` : ''}${hook ? `, webhook ${format}${secret ? ' (signed)' : ''}` : ''}${client ? ', grants from the access broker' : ''}; Ctrl-C stops`);
  let done = 0;
  try {
    for (;;) {
      const report = await follower.poll();
      done++;
      if (report.deferred.length) io.err(`budget: ${report.deferred.length} resource(s) left for the next poll (${report.calls} calls used of ${budget})`);
      if (stopping || (polls !== undefined && done >= polls)) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, follower.nextDelayMs());
        stop = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (stopping) break;
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await bus.close();
    await client?.close();
  }
  if (hook && (hook.stats.failed || hook.stats.dropped)) io.err(`webhook: ${hook.stats.delivered} delivered, ${hook.stats.failed} given up, ${hook.stats.dropped} dropped`);
  io.err(`stopped after ${done} poll${done === 1 ? '' : 's'}`);
  return 0;
}
