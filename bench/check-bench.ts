// Cold full check: `tidemark check --json` (in process) on generated workspaces against the sandbox,
// and the same engine forced to read resource by resource as the baseline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run as checkCommand } from '../server/src/cli/check';
import type { CliIO } from '../server/src/cli/io';
import { LiveCache } from '../server/src/cloud/live-cache';
import { LiveReader } from '../server/src/cloud/reader';
import { RESOURCE_TYPES } from '../server/src/cloud/types';
import { declaredNeeds } from '../server/src/drift/needs';
import { WorkspaceIndex } from '../server/src/hcl/workspace-index';
import { rootFilesOf, RootModule, withoutBrokenBlocks } from '../server/src/app/root-module';
import { startSandboxProcess } from './sandbox-process';
import { DEFAULT_TAGS, generateWorkspace, GeneratedWorkspace, TERRAFORM_TYPE, writeWorkspace } from './generate';
import { seedAgainst, seededLowerBound } from './seed/index';
import { summarize, Summary } from './stats';

export interface CheckSize {
  resources: number;
  wallMs: Summary;
  calls: number;
  callsByOperation: Record<string, number>;
  callsPerResource: number;
  lowerBound: number;
  lowerBoundByOperation: Record<string, number>;
  callsToLowerBound: number;
  drifts: number;
  baseline: { wallMs: number; calls: number; callsByOperation: Record<string, number> };
  callsToBaseline: number;
  timeToBaseline: number;
}

export interface CheckBenchResult {
  sizes: CheckSize[];
  /** Least-squares slope of median wall time over resources (ms per resource) and the fit's r². */
  slopeMsPerResource: number;
  r2: number;
}

/** Operations with no batch read in AWS: one call per object is the floor. */
const PER_OBJECT: Record<string, (byType: Record<string, number>) => number> = {
  'sts:GetCallerIdentity': () => 1,
  's3:GetBucketVersioning': (t) => t.aws_s3_bucket_versioning ?? 0,
  's3:GetBucketEncryption': (t) => t.aws_s3_bucket_server_side_encryption_configuration ?? 0,
  's3:GetBucketPolicy': (t) => t.aws_s3_bucket_policy ?? 0,
  's3:GetPublicAccessBlock': (t) => t.aws_s3_bucket_public_access_block ?? 0,
  // SQS has no batch read of queue settings: one GetQueueAttributes per queue serves the queue and its policy.
  'sqs:GetQueueAttributes': (t) => t.aws_sqs_queue ?? 0,
  // KMS has no batch read of a key's description, policy or rotation: three calls per key.
  'kms:DescribeKey': (t) => t.aws_kms_key ?? 0,
  'kms:GetKeyPolicy': (t) => t.aws_kms_key ?? 0,
  'kms:GetKeyRotationStatus': (t) => t.aws_kms_key ?? 0,
  // One record listing per zone serves every record in it (the generated zones have fewer than 300).
  'route53:ListResourceRecordSets': (t) => ((t.aws_route53_record ?? 0) > 0 ? t.aws_route53_zone ?? 0 : 0),
  // S3 Control: one call per account.
  's3:GetAccountPublicAccessBlock': (t) => ((t.aws_s3_account_public_access_block ?? 0) > 0 ? 1 : 0),
};
/** Batched EC2 reads: 1,000 ids per page (MaxResults). */
const BATCHED: Record<string, (byType: Record<string, number>) => number> = {
  'ec2:DescribeInstances': (t) => Math.ceil((t.aws_instance ?? 0) / 1000),
  'ec2:DescribeSecurityGroups': (t) => Math.ceil((t.aws_security_group ?? 0) / 1000),
  'ec2:DescribeSecurityGroupRules': (t) => Math.ceil(((t.aws_vpc_security_group_ingress_rule ?? 0) + (t.aws_vpc_security_group_egress_rule ?? 0)) / 1000),
  'ec2:DescribeVpcs': (t) => Math.ceil((t.aws_vpc ?? 0) / 1000),
  'ec2:DescribeSubnets': (t) => Math.ceil((t.aws_subnet ?? 0) / 1000),
  // One family read serves tables, routes and associations: 100 tables per page.
  'ec2:DescribeRouteTables': (t) => Math.ceil((t.aws_route_table ?? 0) / 100),
  'ec2:DescribeInternetGateways': (t) => Math.ceil((t.aws_internet_gateway ?? 0) / 1000),
  // DescribeEgressOnlyInternetGateways filters only by tag: one listing, 255 a page.
  'ec2:DescribeEgressOnlyInternetGateways': (t) => Math.ceil((t.aws_egress_only_internet_gateway ?? 0) / 255),
  'ec2:DescribeVpcEndpoints': (t) => Math.ceil((t.aws_vpc_endpoint ?? 0) / 1000),
  'ec2:DescribeFlowLogs': (t) => Math.ceil((t.aws_flow_log ?? 0) / 1000),
  // IAM: one GetAccountAuthorizationDetails page set (1,000 entities a page, inline policies
  // included) serves every role and role policy; ListRoles pages add what it omits (description,
  // maximum session duration) for aws_iam_role.
  'iam:GetAccountAuthorizationDetails': (t) => Math.ceil(((t.aws_iam_role ?? 0) + (t.aws_iam_user ?? 0) + (t.aws_iam_group ?? 0) + (t.aws_iam_policy ?? 0)) / 1000)
    || ((t.aws_iam_role_policy ?? 0) > 0 ? 1 : 0),
  'iam:ListRoles': (t) => Math.ceil((t.aws_iam_role ?? 0) / 1000),
  'logs:DescribeLogGroups': (t) => Math.ceil((t.aws_cloudwatch_log_group ?? 0) / 50),
  'kms:ListAliases': (t) => Math.ceil((t.aws_kms_alias ?? 0) / 100),
  // ListHostedZones gives every zone's name and comment, 100 a page.
  'route53:ListHostedZones': (t) => Math.ceil((t.aws_route53_zone ?? 0) / 100),
};

/**
 * DescribeVpcAttribute takes one attribute of one VPC, and a reader needs it only for a DNS flag a
 * block declares (the generator's VPCs declare both, the seeders' none): one call per declared flag.
 */
function declaredDnsFlags(ws: GeneratedWorkspace): number {
  let n = 0;
  for (const [name, text] of ws.files) if (name.endsWith('.tf')) n += text.match(/^\s*enable_dns_(?:support|hostnames)\s*=/gm)?.length ?? 0;
  return n;
}

function taggedTypes(): Set<string> {
  return new Set([...RESOURCE_TYPES.values()].filter((t) => t.taggingType).map((t) => t.type));
}

/**
 * The fewest calls any reader could make for this workspace: Tagging API pages of 100 over every
 * tagged object (tags of all types and the unmanaged scan in one listing), batched describe pages,
 * and one call per object where AWS has no batch read.
 */
export function lowerBound(ws: GeneratedWorkspace): Record<string, number> {
  const own = generatedLowerBound(ws);
  if (!ws.seeding) return own;
  // The seeded API-only types: each seeder's own bound, per region (types the generator also emits are counted above).
  for (const [op, n] of Object.entries(seededLowerBound(ws.byRegion, new Set(Object.values(TERRAFORM_TYPE))))) own[op] = (own[op] ?? 0) + n;
  return own;
}

function generatedLowerBound(ws: GeneratedWorkspace): Record<string, number> {
  // Several regions: every regional read is made once per region (IAM is global).
  const regions = Object.keys(ws.byRegion).filter((r) => r !== 'global');
  if (regions.length > 1) return regionalLowerBound(ws, regions);
  const tagging = taggedTypes();
  const tagged = Object.entries(ws.byType).filter(([type]) => tagging.has(type)).reduce((n, [, c]) => n + c, 0);
  const out: Record<string, number> = { 'tagging:GetResources': Math.max(1, Math.ceil(tagged / 100)) };
  for (const [op, f] of Object.entries({ ...BATCHED, ...PER_OBJECT })) {
    const n = f(ws.byType);
    if (n > 0) out[op] = n;
  }
  const flags = declaredDnsFlags(ws);
  if (flags > 0) out['ec2:DescribeVpcAttribute'] = flags;
  return out;
}

/** lowerBound for a workspace spread over regions: batched and tagging pages per region, per-object calls as they are. */
function regionalLowerBound(ws: GeneratedWorkspace, regions: string[]): Record<string, number> {
  const tagging = taggedTypes();
  const out: Record<string, number> = {};
  const add = (op: string, n: number) => {
    if (n > 0) out[op] = (out[op] ?? 0) + n;
  };
  for (const region of regions) {
    const byType = ws.byRegion[region] ?? {};
    const tagged = Object.entries(byType).filter(([type]) => tagging.has(type)).reduce((n, [, c]) => n + c, 0);
    add('tagging:GetResources', Math.max(1, Math.ceil(tagged / 100)));
    for (const [op, f] of Object.entries(BATCHED)) add(op, f(byType));
  }
  // Global services (IAM, Route 53) are read once, whatever the regions.
  for (const [op, f] of Object.entries(BATCHED)) add(op, f(ws.byRegion.global ?? {}));
  for (const [op, f] of Object.entries(PER_OBJECT)) add(op, f(ws.byType));
  add('ec2:DescribeVpcAttribute', declaredDnsFlags(ws));
  return out;
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

function fit(points: Array<[number, number]>): { slope: number; r2: number } {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const slope = sxx ? sxy / sxx : 0;
  const ssTot = points.reduce((a, [, y]) => a + (y - my) ** 2, 0);
  const ssRes = points.reduce((a, [x, y]) => a + (y - (my + slope * (x - mx))) ** 2, 0);
  return { slope, r2: ssTot ? 1 - ssRes / ssTot : 1 };
}

/** Credentials for the SDK's environment provider, which reads process.env. */
export function useCredentials(creds: { accessKeyId: string; secretAccessKey: string }): void {
  process.env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}

export async function checkOnce(dir: string, endpoint: string): Promise<{ ms: number; report: { apiCalls: { total: number; byOperation: Record<string, number> }; drifts: unknown[]; errors: string[] }; code: number }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd: dir, env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'us-east-1' }, out: (t) => (out += t), err: (t) => (err += t + '\n'), isTTY: false };
  const start = performance.now();
  const code = await checkCommand(['.', '--json'], io);
  const ms = performance.now() - start;
  if (code === 1) throw new Error(`tidemark check failed on ${dir}: ${err.trim()}`);
  return { ms, report: JSON.parse(out), code };
}

/** The same engine (index, state, RootModule, analysis), reading each resource with its own calls. */
async function perResourceOnce(dir: string, endpoint: string): Promise<{ ms: number; calls: number; byOperation: Record<string, number> }> {
  const start = performance.now();
  const index = new WorkspaceIndex();
  const { files } = withoutBrokenBlocks(rootFilesOf(dir, await index.addFolder(dir)));
  const module = new RootModule({ root: dir, env: { ...process.env, AWS_REGION: 'us-east-1' }, aws: { endpoint } });
  await module.loadConfig();
  await module.connect(files);
  module.cache = new LiveCache(new LiveReader(module.clients!, RESOURCE_TYPES, { perResource: true }), () => module.state.instances, () => ({ needs: declaredNeeds(files), unmanagedTags: { ...DEFAULT_TAGS } }));
  const result = await module.refreshAll();
  if (result.failures.length) throw new Error(`per-resource read failed: ${result.failures[0]}`);
  module.analyze(files, new Map());
  return { ms: performance.now() - start, calls: module.clients!.gate.totalCalls(), byOperation: module.clients!.gate.stats() };
}

export async function runCheckBench(options: { smoke: boolean; log: (line: string) => void }): Promise<CheckBenchResult> {
  // Every supported type from 1,000 resources on (one unit of every seeder is more than 100); --smoke seeds one unit of each.
  const plan = options.smoke ? [{ n: 20, runs: 1, everyType: false }, { n: 60, runs: 1, everyType: true }] : [{ n: 100, runs: 5, everyType: false }, { n: 1000, runs: 3, everyType: true }, { n: 10_000, runs: 2, everyType: true }];
  const sizes: CheckSize[] = [];
  for (const { n, runs, everyType } of plan) {
    const ws = generateWorkspace({ resources: n, seed: 42, everyType });
    const dir = mkdtempSync(path.join(tmpdir(), `tidemark-bench-check-${n}-`));
    const sandbox = await startSandboxProcess(ws.scenario);
    try {
      // Seeding is setup, not measured.
      if (everyType) await seedAgainst(ws, sandbox.endpoint, { ...(options.smoke ? { units: 1 } : {}), log: options.log });
      writeWorkspace(dir, ws);
      useCredentials(ws.reader);
      // The first size also warms the process up (module loading, WASM, JIT), as a long-lived editor is.
      if (sizes.length === 0) await checkOnce(dir, sandbox.endpoint);
      const samples: number[] = [];
      let last: Awaited<ReturnType<typeof checkOnce>> | undefined;
      for (let i = 0; i < runs; i++) {
        last = await checkOnce(dir, sandbox.endpoint);
        samples.push(last.ms);
        options.log(`check ${n}: run ${i + 1}/${runs} ${Math.round(last.ms)} ms, ${last.report.apiCalls.total} calls`);
      }
      const report = last!.report;
      if (report.drifts.length !== 0) throw new Error(`generated workspace of ${n} resources shows ${report.drifts.length} drifts; expected none`);
      const base = await perResourceOnce(dir, sandbox.endpoint);
      options.log(`check ${n}: per-resource baseline ${Math.round(base.ms)} ms, ${base.calls} calls`);
      const bound = lowerBound(ws);
      const wallMs = summarize(samples);
      const calls = report.apiCalls.total;
      sizes.push({
        resources: ws.addresses.length,
        wallMs,
        calls,
        callsByOperation: report.apiCalls.byOperation,
        callsPerResource: round(calls / ws.addresses.length, 4),
        lowerBound: sum(bound),
        lowerBoundByOperation: bound,
        callsToLowerBound: round(calls / sum(bound), 3),
        drifts: report.drifts.length,
        baseline: { wallMs: round(base.ms, 1), calls: base.calls, callsByOperation: base.byOperation },
        callsToBaseline: round(calls / base.calls, 4),
        timeToBaseline: round(wallMs.median / base.ms, 3),
      });
    } finally {
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { slope, r2 } = fit(sizes.map((s) => [s.resources, s.wallMs.median]));
  return { sizes, slopeMsPerResource: round(slope, 4), r2: round(r2, 4) };
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
