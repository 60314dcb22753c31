// `tidemark sandbox --scenario FILE [--port N] [--state FILE] [--fault [service.]knob=value]…`
// Runs until interrupted; prints one line with the endpoint, then how to point clients at it.
// `--keys USER` prints that scenario user's keys as env assignments instead (for `env $(…) cmd`),
// so scripts and docs never copy key literals out of the scenario.
import { applyFaultFlag, type FaultConfig } from './faults';
import { StateFileError, ScenarioError, loadScenarioFile, startSandbox } from './index';

const USAGE = `Usage: tidemark sandbox --scenario FILE [--port N] [--state FILE] [--fault [service.]knob=value]...

Starts an AWS-compatible loopback cloud (EC2, S3, IAM, STS, Resource Groups Tagging, CloudTrail).

  --scenario FILE   YAML or JSON scenario: account, regions, users, roles, resources
  --port N          port on 127.0.0.1 (default 0: pick a free one)
  --state FILE      persist the world to FILE and resume from it on the next start
  --fault SPEC      fault knob, e.g. --fault latencyMs=50, --fault ec2.throttleRate=0.2,
                    --fault s3.errorRate=0.05, --fault tagging.requestsPerSecond=5;
                    EventBridge deliveries to SQS: --fault events.deliveryDropRate=0.1,
                    events.deliveryDelayMs=2000, events.deliveryDuplicateRate=0.1
  --keys USER       print USER's access key as AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… and exit
                    (use: env $(tidemark sandbox --scenario FILE --keys alice) aws …)

Sandbox-only endpoints (unsigned, loopback): GET /_sandbox/health, GET|POST /_sandbox/clock
({"advanceSeconds": N}), GET /_sandbox/stats, GET /_sandbox/stats/regions, POST /_sandbox/stats/reset, GET|POST /_sandbox/faults.`;

interface CliOptions {
  scenario: string;
  port: number;
  state?: string;
  faults?: FaultConfig;
  keys?: string;
}

function parseArgs(argv: string[]): CliOptions | string {
  let scenario: string | undefined;
  let port = 0;
  let state: string | undefined;
  let faults: FaultConfig | undefined;
  let keys: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 && !arg.startsWith('--fault=') ? arg.slice(0, eq) : arg.startsWith('--fault=') ? '--fault' : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--scenario': scenario = value(); break;
      case '--state': state = value(); break;
      case '--port': {
        const v = value();
        port = Number(v);
        if (!Number.isInteger(port) || port < 0 || port > 65535) return `--port: '${v}' is not a port number`;
        break;
      }
      case '--fault': faults = applyFaultFlag(faults ?? {}, value()); break;
      case '--keys': keys = value(); break;
      case '-h': case '--help': return USAGE;
      default: return `unknown argument '${arg}'\n\n${USAGE}`;
    }
  }
  if (!scenario) return `--scenario FILE is required\n\n${USAGE}`;
  return { scenario, port, state, faults, keys };
}

export async function runSandboxCli(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let options: CliOptions | string;
  try {
    options = parseArgs(argv);
  } catch (e) {
    err.write(`tidemark sandbox: ${(e as Error).message}\n`);
    return 2;
  }
  if (typeof options === 'string') {
    const help = options === USAGE;
    (help ? out : err).write(help ? `${USAGE}\n` : `tidemark sandbox: ${options}\n`);
    return help ? 0 : 2;
  }
  if (options.keys !== undefined) return printKeys(options.scenario, options.keys, out, err);
  let handle;
  let scenario;
  try {
    scenario = loadScenarioFile(options.scenario);
    handle = await startSandbox(scenario, { port: options.port, statePath: options.state, faults: options.faults ? { ...scenario.faults, ...options.faults } : undefined });
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof StateFileError) {
      err.write(`tidemark sandbox: ${e.message}\n`);
      return 2;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      err.write(`tidemark sandbox: cannot listen on 127.0.0.1:${options.port} (${code})\n`);
      return 2;
    }
    throw e;
  }
  out.write(`Tidemark sandbox listening on ${handle.endpoint} (account ${handle.accountId}, region ${handle.region})\n`);
  const reader = scenario.users?.find((u) => u.name === 'drift-reader') ?? scenario.users?.find((u) => u.accessKeys?.length);
  const key = reader?.accessKeys?.[0];
  if (reader && key) {
    out.write(`  Use it as ${reader.name}:\n`);
    out.write(`    export AWS_ENDPOINT_URL=${handle.endpoint} AWS_REGION=${handle.region} AWS_ACCESS_KEY_ID=${key.id} AWS_SECRET_ACCESS_KEY=${key.secret}\n`);
    out.write(`    aws --endpoint-url ${handle.endpoint} ec2 describe-instances   # S3 clients need path-style addressing\n`);
  }
  if (options.state) out.write(`  State is saved to ${options.state}\n`);
  out.write('  Press Ctrl+C to stop.\n');
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await handle.stop();
  return 0;
}

function printKeys(file: string, user: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  let scenario;
  try {
    scenario = loadScenarioFile(file);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    err.write(`tidemark sandbox: ${e.message}\n`);
    return 2;
  }
  const key = scenario.users?.find((u) => u.name === user)?.accessKeys?.[0];
  if (!key) {
    const known = (scenario.users ?? []).filter((u) => u.accessKeys?.length).map((u) => u.name);
    err.write(`tidemark sandbox: ${file}: no user '${user}' with an access key (users with keys: ${known.join(', ')})\n`);
    return 2;
  }
  out.write(`AWS_ACCESS_KEY_ID=${key.id} AWS_SECRET_ACCESS_KEY=${key.secret}\n`);
  return 0;
}
