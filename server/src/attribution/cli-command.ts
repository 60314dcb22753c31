// Pure: which AWS API calls a recorded shell command can have made. A session command such as
// `aws --endpoint-url … ec2 modify-instance-attribute --instance-id i-1 …` names its service and
// operation; CloudTrail's userAgent for the aws CLI v2 names the command that issued a call
// (`aws-cli/2.9.19 … command/ec2.modify-instance-attribute`). Matching those beats matching by
// time, which picks the wrong one of several commands typed in a row on the same resource.

/** One `aws <service> <command>` invocation found in a shell command line. */
export interface AwsCliCall {
  /** The CLI's service name, e.g. `ec2`, `s3api`, `s3`. */
  service: string;
  /** The CLI command, e.g. `modify-instance-attribute`; undefined for `aws ec2` alone. */
  command?: string;
}

/** Who made a call, as far as CloudTrail's userAgent says. */
export type CallClient =
  | { kind: 'aws-cli'; call?: AwsCliCall }
  | { kind: 'terraform' }
  /** Some other known client (an SDK, the console): no `aws` command issued the call. */
  | { kind: 'other' };

/** Global options of the aws CLI that take a value (`--region us-east-1`). */
const VALUED_GLOBALS = new Set([
  'endpoint-url', 'region', 'profile', 'output', 'query', 'color', 'ca-bundle', 'cli-read-timeout',
  'cli-connect-timeout', 'cli-binary-format',
]);

/** Words that may stand before the program in a command line (`sudo aws …`, `time aws …`). */
const PREFIX_WORDS = new Set(['sudo', 'env', 'time', 'exec', 'command', 'nohup', 'noglob']);

/** CLI service names whose CloudTrail eventSource is spelled differently. */
const EVENT_SOURCE_OF_SERVICE: Record<string, string> = {
  s3api: 's3',
  s3control: 's3',
  elbv2: 'elasticloadbalancing',
  elb: 'elasticloadbalancing',
  cloudwatch: 'monitoring',
  stepfunctions: 'states',
  configservice: 'config',
  efs: 'elasticfilesystem',
  emr: 'elasticmapreduce',
  opensearch: 'es',
  ses: 'email',
  sesv2: 'email',
  'sso-admin': 'sso',
  resourcegroupstaggingapi: 'tagging',
};

/**
 * Commands the CLI implements itself instead of mapping one-to-one to an operation: the operations
 * they call, or `any` when it depends on the arguments (`aws s3 cp` may call PutObject, CopyObject,
 * CreateMultipartUpload…): then only the service is known.
 */
const CUSTOM_COMMANDS: Record<string, readonly string[] | 'any'> = {
  's3 cp': 'any', 's3 mv': 'any', 's3 rm': 'any', 's3 sync': 'any', 's3 ls': 'any', 's3 mb': 'any', 's3 rb': 'any', 's3 presign': 'any', 's3 website': 'any',
  'cloudformation deploy': ['CreateChangeSet', 'ExecuteChangeSet', 'DescribeChangeSet', 'DescribeStacks', 'CreateStack', 'UpdateStack'],
  'cloudformation package': 'any',
  'emr create-cluster': ['RunJobFlow'],
  'ecr get-login-password': ['GetAuthorizationToken'],
  'eks update-kubeconfig': ['DescribeCluster'],
  'logs tail': ['FilterLogEvents'],
  // S3 Control's account-level calls: CloudTrail records them under their account-level names
  's3control put-public-access-block': ['PutAccountPublicAccessBlock'],
  's3control delete-public-access-block': ['DeleteAccountPublicAccessBlock'],
  's3control get-public-access-block': ['GetAccountPublicAccessBlock'],
};

/** Words of a command line, with simple quoting: enough to find the program and its first arguments. */
function words(segment: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(segment); m; m = re.exec(segment)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** The program word of a segment, after `VAR=value` assignments and prefix words. */
function programIndex(ws: readonly string[]): number {
  let i = 0;
  while (i < ws.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(ws[i]!) || PREFIX_WORDS.has(ws[i]!))) i++;
  return i;
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** Pipelines and lists split into simple commands (`a && b; c | d`). */
function segments(command: string): string[] {
  return command.split(/&&|\|\||[;|\n]/).map((s) => s.trim()).filter(Boolean);
}

/** One `aws …` invocation in a simple command, or undefined when the program is not `aws`. */
function parseSegment(segment: string): AwsCliCall | undefined {
  const ws = words(segment);
  let i = programIndex(ws);
  if (basename(ws[i] ?? '') !== 'aws') return undefined;
  i++;
  while (i < ws.length && ws[i]!.startsWith('--')) {
    const option = ws[i]!.slice(2);
    i += VALUED_GLOBALS.has(option) ? 2 : 1;
  }
  const service = ws[i];
  if (!service || service.startsWith('-')) return undefined;
  const next = ws[i + 1];
  return { service, command: next && !next.startsWith('-') ? next : undefined };
}

/** Every `aws <service> <command>` a command line runs. */
export function awsCliCalls(command: string): AwsCliCall[] {
  return segments(command).map(parseSegment).filter((c): c is AwsCliCall => c !== undefined);
}

/** Whether a command line runs programs other than `aws` (a script may call anything). */
export function runsOtherPrograms(command: string): boolean {
  return segments(command).some((s) => parseSegment(s) === undefined);
}

/** The program a simple command line starts with (`terraform` for `TF_LOG=1 terraform apply`). */
export function programsOf(command: string): string[] {
  return segments(command).map((s) => {
    const ws = words(s);
    return basename(ws[programIndex(ws)] ?? '');
  });
}

/** `ec2.amazonaws.com` → `ec2`. */
function serviceOfEventSource(eventSource: string): string {
  return eventSource.replace(/\.amazonaws\.com$/, '');
}

/** The CloudTrail eventSource prefix a CLI service records under. */
export function eventSourceService(cliService: string): string {
  return EVENT_SOURCE_OF_SERVICE[cliService] ?? cliService;
}

/** `modify-instance-attribute` and `ModifyInstanceAttribute` (and `describe-db-instances`/`DescribeDBInstances`) compare equal. */
function sameOperation(cliCommand: string, eventName: string): boolean {
  return cliCommand.replace(/-/g, '').toLowerCase() === eventName.toLowerCase();
}

/**
 * How well one CLI invocation explains an API call: `operation` when service and operation match,
 * `service` when the command's operations depend on its arguments (`aws s3 cp`), `no` otherwise.
 */
export function callExplains(call: AwsCliCall, event: { eventSource: string; eventName: string }): 'operation' | 'service' | 'no' {
  if (eventSourceService(call.service) !== serviceOfEventSource(event.eventSource) || !call.command) return 'no';
  const custom = CUSTOM_COMMANDS[`${call.service} ${call.command}`];
  if (custom === 'any') return 'service';
  if (custom) return custom.includes(event.eventName) ? 'operation' : 'no';
  return sameOperation(call.command, event.eventName) ? 'operation' : 'no';
}

/**
 * The client CloudTrail's userAgent names. The aws CLI v2 appends `command/<service>.<command>`;
 * Terraform's provider says `Terraform/…`; any other non-empty agent is some other client.
 */
export function callClient(userAgent: string | undefined): CallClient | undefined {
  const ua = userAgent?.trim();
  if (!ua) return undefined;
  if (/aws-cli\//.test(ua)) {
    // CloudTrail sometimes wraps the agent in brackets (`[aws-cli/2.x … command/ec2.…]`).
    const m = /(?:^|[\s[])command\/([a-z0-9-]+)\.([a-z0-9-]+)/.exec(ua);
    return { kind: 'aws-cli', call: m ? { service: m[1]!, command: m[2]! } : undefined };
  }
  if (/(^|\s)(Terraform|OpenTofu)\/|terraform-provider-aws\//.test(ua)) return { kind: 'terraform' };
  // The CloudTrail placeholders for calls AWS made itself or the console: no terminal command.
  return { kind: 'other' };
}

/**
 * How strongly a recorded command line explains an API call, lower is stronger; undefined when it
 * cannot have made it (an `aws` call of another operation, or the userAgent names another client).
 * 0: the command the userAgent names; 1: the same service and operation; 2: the same service
 * (`aws s3 cp`); 3: a command that may call anything (a script, `make`).
 */
export function commandRank(commandLine: string, event: { eventSource: string; eventName: string; userAgent?: string }): number | undefined {
  const client = callClient(event.userAgent);
  const calls = awsCliCalls(commandLine);
  const others = runsOtherPrograms(commandLine);
  let best: number | undefined;
  const consider = (rank: number) => {
    best = best === undefined ? rank : Math.min(best, rank);
  };
  if (client?.kind === 'terraform') {
    if (programsOf(commandLine).some((p) => p === 'terraform' || p === 'tofu' || p === 'terragrunt')) consider(1);
  } else if (client?.kind !== 'other') {
    for (const call of calls) {
      const fit = callExplains(call, event);
      if (fit === 'no') continue;
      const named = client?.call;
      if (named && (named.service !== call.service || named.command !== call.command)) continue;
      consider(named ? 0 : fit === 'operation' ? 1 : 2);
    }
  }
  if (others) consider(3);
  return best;
}
