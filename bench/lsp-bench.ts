// Language-server benchmarks over a real LSP client (stdio, dist/server.js) against the sandbox:
// keystroke → diagnostics, memory and incremental refresh at scale, and start-up on examples/demo.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EC2Client, ModifyInstanceAttributeCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseTree } from '../server/src/hcl/parser';
import { RefreshRequest } from '../server/src/protocol';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../sandbox/src/index';
import { fileUri, LspSession, repoRoot, startLspSession } from '../test/support/lsp-client';
import { generateWorkspace, GeneratedWorkspace, writeWorkspace } from './generate';
import { seedAgainst, type SeedOptions } from './seed/index';
import { measure, summarize, Summary } from './stats';

type Log = (line: string) => void;

export const driftCount = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.source === 'tidemark' && String(d.code).startsWith('drift.')).length;

/** Shuts the server down politely, but never waits on one that already died. */
async function stopSession(session: LspSession): Promise<void> {
  if (session.process.exitCode === null) {
    await Promise.race([session.shutdown().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
  }
  session.process.kill();
}

export interface Running {
  dir: string;
  sandbox: SandboxHandle;
  session: LspSession;
  /** performance.now() when the server process was spawned (after every setup step). */
  spawnedAt: number;
  stop(): Promise<void>;
}

/**
 * Starts the sandbox with the workspace's scenario, seeds the API-only types (a workspace generated
 * with everyType), writes the workspace and starts a server on it (no background refresh).
 */
export async function startOn(ws: GeneratedWorkspace, env: NodeJS.ProcessEnv = {}, seed: SeedOptions = {}): Promise<Running> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-bench-lsp-'));
  const sandbox = await startSandbox(ws.scenario, { port: 0 });
  try {
    if (ws.seeding) await seedAgainst(ws, sandbox.endpoint, seed);
  } catch (error) {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  writeWorkspace(dir, ws);
  const spawnedAt = performance.now();
  const session = await startLspSession({
    rootDir: dir,
    env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region, AWS_ACCESS_KEY_ID: ws.reader.accessKeyId, AWS_SECRET_ACCESS_KEY: ws.reader.secretAccessKey, AWS_PROFILE: '', AWS_SESSION_TOKEN: '', ...env },
    initializationOptions: { refreshInterval: 0 },
  });
  return {
    dir, sandbox, session, spawnedAt,
    async stop() {
      await stopSession(session);
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface KeystrokeResult {
  lines: number;
  resources: number;
  edits: number;
  /** didChange → publishDiagnostics of that version, over LSP. */
  ms: Summary;
  /** web-tree-sitter parsing the same text from scratch, in this process. */
  bareTreeSitter: Summary;
  p95ToBare: number;
}

/** A generated single-file workspace of about `lines` lines. */
function singleFileOf(lines: number, drifted: number): { ws: GeneratedWorkspace; text: string } {
  for (let n = Math.floor(lines / 20); ; n += 5) {
    const ws = generateWorkspace({ resources: n, seed: 7, drifted, singleFile: true });
    const text = ws.files.get('main.tf')!;
    if (text.split('\n').length >= lines) return { ws, text };
  }
}

export async function runKeystrokeBench(options: { smoke: boolean; log: Log }): Promise<KeystrokeResult> {
  const { ws, text } = singleFileOf(options.smoke ? 500 : 5000, 5);
  // TIDEMARK_BENCH_CPU_PROFILE=<file>: the server records a CPU profile of the edits (see memory-probe.ts).
  const profile = process.env.TIDEMARK_BENCH_CPU_PROFILE;
  // (The server's environment drops TIDEMARK_* variables from outside, so the file is passed explicitly.)
  const running = await startOn(ws, profile ? { NODE_OPTIONS: `--require ${path.join(__dirname, 'memory-probe.js')}`, TIDEMARK_BENCH_CPU_PROFILE: profile } : {});
  try {
    const { session, dir } = running;
    const uri = fileUri(path.join(dir, 'main.tf'));
    let doc = TextDocument.create(uri, 'terraform', 1, text);
    await session.open(uri, text, 1);
    // The live snapshot is cached once the initial read has published every seeded drift.
    await session.diagnostics(uri, (p) => driftCount(p) >= ws.drifted.length, 120_000);
    if (profile) {
      running.session.process.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 500));
    }
    const marker = 'Team  = "';
    const markers = text.split(marker).length - 1;
    const edits = options.smoke ? 20 : 200;
    const samples: number[] = [];
    for (let k = 0; k < edits; k++) {
      // Type one character inside a tag value, spread over the file.
      const current = doc.getText();
      let offset = -1;
      for (let j = 0, want = (k * 37) % markers; j <= want; j++) offset = current.indexOf(marker, offset + 1);
      offset += marker.length + 1;
      const position = doc.positionAt(offset);
      const version = doc.version + 1;
      const change = { range: { start: position, end: position }, text: 'x' };
      doc = TextDocument.update(doc, [change], version);
      const published = session.diagnostics(uri, (p) => p.version === version, 30_000);
      const start = performance.now();
      await session.change(uri, version, [change]);
      await published;
      samples.push(performance.now() - start);
    }
    if (profile) {
      running.session.process.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 2000));
    }
    const ms = summarize(samples);
    const bareTreeSitter = await measure(options.smoke ? 3 : 15, async () => (await parseTree(text)).delete());
    options.log(`keystroke: p95 ${ms.p95} ms over ${edits} edits; bare tree-sitter ${bareTreeSitter.median} ms`);
    return { lines: text.split('\n').length, resources: ws.addresses.length, edits, ms, bareTreeSitter, p95ToBare: Math.round((ms.p95 / bareTreeSitter.median) * 100) / 100 };
  } finally {
    await running.stop();
  }
}

export interface MemoryReading {
  rssMB: number;
  heapUsedMB: number;
  heapTotalMB: number;
  externalMB: number;
  arrayBuffersMB: number;
}

export interface ScaleResult {
  resources: number;
  /** Of which in child modules (every 53-resource cell after the first is a local module). */
  inModules: number;
  /**
   * Server start → first drift diagnostics in the file open in the editor (the drifted resource's file,
   * opened right after `initialized`): index + state + the open file's resources read first + diff.
   */
  initialCheckMs: number;
  /** Server start → the first full read of every resource done (the server's log line; diffed right after). */
  fullReadMs: number;
  /** After the first check, garbage collected first (--expose-gc in the server): what the server retains. */
  memory: MemoryReading & { peakRssMB: number };
  incremental: {
    runs: number;
    /** tidemark/refresh of one address → its drift published. */
    ms: Summary;
    calls: Summary;
    /** Calls of the last run by operation (drift read and attribution). */
    callsByOperation: Record<string, number>;
  };
  /** Memory after more refreshes, each one live change + tidemark/refresh of its address (TIDEMARK_BENCH_SCALE_REFRESHES). */
  growth: { refreshes: number; before: MemoryReading; after: MemoryReading; rssGrowth: number; heapGrowth: number };
}

function procStatus(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const m = /^(Vm\w+):\s+(\d+) kB/.exec(line);
    if (m) out[m[1]] = Number(m[2]) / 1024;
  }
  return out;
}

async function heapOf(session: LspSession, file: string): Promise<NodeJS.MemoryUsage> {
  rmSync(file, { force: true });
  session.process.kill('SIGUSR2');
  for (let i = 0; i < 400 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 25));
  if (!existsSync(file)) throw new Error(`the language server wrote no memory reading to ${file} within 10 s of SIGUSR2`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;

/** RSS from /proc and the V8 heap, read right after a forced GC in the server (memory-probe.ts). */
export async function memoryOf(session: LspSession, file: string): Promise<MemoryReading> {
  const heap = await heapOf(session, file);
  const status = procStatus(session.process.pid!);
  return { rssMB: Math.round(status.VmRSS * 10) / 10, heapUsedMB: mb(heap.heapUsed), heapTotalMB: mb(heap.heapTotal), externalMB: mb(heap.external), arrayBuffersMB: mb(heap.arrayBuffers) };
}

/** The preload that answers SIGUSR2 with a memory reading (and, when asked, records CPU profiles). */
export function probeEnv(memoryFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NODE_OPTIONS: `--expose-gc --require ${path.join(__dirname, 'memory-probe.js')}`, TIDEMARK_BENCH_MEMORY_FILE: memoryFile, TIDEMARK_BENCH_GC: '1' };
  // The test support strips TIDEMARK_* from children's environments: pass the profile knobs on explicitly.
  for (const k of ['TIDEMARK_BENCH_CPU_PROFILE', 'TIDEMARK_BENCH_CPU_PROFILE_FROM_START']) if (process.env[k]) env[k] = process.env[k];
  return env;
}

/** The instance id the generator gave an `aws_instance.instance_N` address (root or module). */
export const instanceIdOf = (address: string): string => `i-${Number(address.split('_').pop()).toString(16).padStart(17, '0')}`;

export async function runScaleBench(options: { smoke: boolean; log: Log }): Promise<ScaleResult> {
  const n = options.smoke ? 120 : 10_000;
  // Every supported type (the seeders' API-only types too; --smoke seeds one unit of each), most in child modules.
  const ws = generateWorkspace({ resources: n, seed: 42, drifted: 1, everyType: true, modules: true });
  const memoryFile = path.join(tmpdir(), `tidemark-bench-memory-${process.pid}.json`);
  const running = await startOn(ws, probeEnv(memoryFile), { ...(options.smoke ? { units: 1 } : {}), log: options.log });
  // Server spawn → first drift: the sandbox start, seeding and workspace writing before it are setup.
  const started = running.spawnedAt;
  try {
    const { session, dir, sandbox } = running;
    // What a user does: open a file (here the drifted resource's) as the editor starts.
    const firstDrift = ws.drifted[0];
    const openFile = path.join(dir, ws.fileOf.get(firstDrift.address)!);
    await session.open(fileUri(openFile), readFileSync(openFile, 'utf8'), 1);
    await session.diagnostics(fileUri(openFile), (p) => driftCount(p) >= 1, 600_000);
    const initialCheckMs = Math.round(performance.now() - started);
    options.log(`scale ${n}: first drift diagnostics after ${initialCheckMs} ms`);
    const fullRead = `read live state for ${path.basename(dir)} in `;
    for (let waited = 0; !session.logs.some((l) => l.includes(fullRead)); waited += 50) {
      if (waited > 600_000) throw new Error(`the server did not finish its first full read within 600 s; log:\n${session.logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const fullReadMs = Math.round(performance.now() - started);
    options.log(`scale ${n}: first full read done after ${fullReadMs} ms`);
    for (const line of session.logs.filter((l) => /indexed|read live state/.test(l))) options.log(`  server: ${line}`);
    await new Promise((r) => setTimeout(r, 500));
    const first = await memoryOf(session, memoryFile);
    const memory = { ...first, peakRssMB: Math.round(procStatus(session.process.pid!).VmHWM * 10) / 10 };
    options.log(`scale ${n}: RSS ${memory.rssMB} MB (peak ${memory.peakRssMB}), heap ${memory.heapUsedMB} MB, external ${memory.externalMB} MB`);

    // One live change at a time (as a console user would make it), then a refresh of that resource.
    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: ws.admin });
    const candidates = ws.addresses.filter((a) => /(^|\.)aws_instance\.instance_\d+$/.test(a) && !ws.drifted.some((d) => d.address === a));
    const liveType = new Map(ws.scenario.instances!.map((i) => [i.id, i.type]));
    const change = async (address: string) => {
      const id = instanceIdOf(address);
      const next = liveType.get(id) === 'm5.2xlarge' ? 'm5.4xlarge' : 'm5.2xlarge';
      await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
      await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: next } }));
      await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
      liveType.set(id, next);
    };
    const runs = options.smoke ? 3 : 20;
    const times: number[] = [];
    const calls: number[] = [];
    let byOperation: Record<string, number> = {};
    for (let k = 0; k < runs; k++) {
      const address = candidates[Math.floor(((k + 0.5) * candidates.length) / runs)];
      await change(address);
      const uri = fileUri(path.join(dir, ws.fileOf.get(address)!));
      const before = driftCount(session.latestDiagnostics(uri) ?? { uri, diagnostics: [] });
      sandbox.resetStats();
      const start = performance.now();
      let publishedAt = 0;
      const published = session.diagnostics(uri, (p) => driftCount(p) > before, 60_000).then(() => (publishedAt = performance.now()));
      await session.connection.sendRequest(RefreshRequest, { addresses: [address] });
      await published;
      times.push(publishedAt - start);
      byOperation = sandbox.stats();
      calls.push(Object.values(byOperation).reduce((a, b) => a + b, 0));
    }
    if (process.env.TIDEMARK_BENCH_CPU_PROFILE && process.env.TIDEMARK_BENCH_CPU_PROFILE_FROM_START !== '1') {
      // The memory reading above started the profile (memory-probe.ts); the next one ends it: the refreshes only.
      await memoryOf(session, memoryFile);
      await new Promise((r) => setTimeout(r, 2000));
    }
    const incremental = { runs, ms: summarize(times), calls: summarize(calls), callsByOperation: byOperation };
    options.log(`scale ${n}: incremental refresh p95 ${incremental.ms.p95} ms, ${incremental.calls.max} calls at most`);

    // Growth: many more refreshes (drift appearing and going away again over 50 instances), memory before and after.
    const refreshes = Number(process.env.TIDEMARK_BENCH_SCALE_REFRESHES ?? (options.smoke ? 20 : 1000));
    const before = await memoryOf(session, memoryFile);
    const pool = candidates.filter((_, i) => i % Math.max(1, Math.floor(candidates.length / 50)) === 0).slice(0, 50);
    const growthStarted = performance.now();
    for (let k = 0; k < refreshes; k++) {
      const address = pool[k % pool.length];
      await change(address);
      await session.connection.sendRequest(RefreshRequest, { addresses: [address] });
      if ((k + 1) % 100 === 0) options.log(`scale ${n}: ${k + 1} of ${refreshes} further refreshes (${Math.round((performance.now() - growthStarted) / 1000)} s)`);
    }
    const after = await memoryOf(session, memoryFile);
    const ratio = (a: number, b: number) => Math.round(((a - b) / b) * 1000) / 1000;
    const growth = { refreshes, before, after, rssGrowth: ratio(after.rssMB, before.rssMB), heapGrowth: ratio(after.heapUsedMB, before.heapUsedMB) };
    options.log(`scale ${n}: after ${refreshes} refreshes RSS ${before.rssMB} → ${after.rssMB} MB, heap ${before.heapUsedMB} → ${after.heapUsedMB} MB`);
    const inModules = ws.addresses.filter((a) => a.startsWith('module.')).length;
    return { resources: ws.addresses.length, inModules, initialCheckMs, fullReadMs, memory, incremental, growth };
  } finally {
    rmSync(memoryFile, { force: true });
    await running.stop();
  }
}

export interface StartupResult {
  runs: number;
  /** Process spawn → initialize answered. */
  initializeMs: Summary;
  /** CPU time (all threads) the server process used from spawn to its `initialize` answer: less sensitive to the machine's load than wall time. */
  initializeCpuMs: Summary;
  /** didOpen (right after initialized) → first diagnostics carrying drift. */
  openToDriftMs: Summary;
  /** CPU time (all threads) the server used from spawn to its first drift diagnostics: start-up's whole cost, less sensitive to the load than wall time. */
  firstDriftCpuMs: Summary;
}

/** CPU time of every thread of a process so far (/proc/<pid>/task/<tid>/schedstat: nanoseconds on CPU), in ms. */
function processCpuMs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return ns / 1e6;
}

/** Spawns dist/server.js, sends `initialize`, and returns the CPU the server used until its answer arrived. */
async function initializeCpuMs(): Promise<number> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    const message = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    const answered = new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`dist/server.js exited (${code}) before answering initialize`)));
    });
    child.stdin!.write(`Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
    await answered;
    return processCpuMs(child.pid!);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
    }
  }
}

export async function runStartupBench(options: { smoke: boolean; log: Log }): Promise<StartupResult> {
  const scenarioFile = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
  const scenario = loadScenarioFile(scenarioFile);
  const carol = scenario.users!.find((u) => u.name === 'carol')!.accessKeys![0];
  const reader = scenario.users!.find((u) => u.name === 'drift-reader')!.accessKeys![0];
  const worker = scenario.instances!.find((i) => i.tags?.Name === 'tidemark-demo-worker')!;
  const sandbox = await startSandbox(scenarioFile, { port: 0 });
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-bench-demo-'));
  try {
    cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
    // One hand-made change, so the first drift diagnostic has something to say.
    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: { accessKeyId: carol.id, secretAccessKey: carol.secret } });
    await ec2.send(new StopInstancesCommand({ InstanceIds: [worker.id] }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: worker.id, InstanceType: { Value: 't3.large' } }));
    await ec2.send(new StartInstancesCommand({ InstanceIds: [worker.id] }));
    const file = path.join(dir, 'compute.tf');
    const uri = fileUri(file);
    const text = readFileSync(file, 'utf8');
    const runs = options.smoke ? 1 : 7;
    const init: number[] = [];
    const open: number[] = [];
    const driftCpu: number[] = [];
    for (let k = 0; k < runs; k++) {
      const start = performance.now();
      const session = await startLspSession({
        rootDir: dir,
        env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region, AWS_ACCESS_KEY_ID: reader.id, AWS_SECRET_ACCESS_KEY: reader.secret, AWS_PROFILE: '', AWS_SESSION_TOKEN: '' },
        initializationOptions: { refreshInterval: 0 },
      });
      const initialized = performance.now();
      await session.open(uri, text, 1);
      await session.diagnostics(uri, (p) => driftCount(p) > 0, 30_000);
      open.push(performance.now() - initialized);
      driftCpu.push(processCpuMs(session.process.pid!));
      init.push(initialized - start);
      await stopSession(session);
    }
    const cpu: number[] = [];
    for (let k = 0; k < runs; k++) cpu.push(await initializeCpuMs());
    const result = { runs, initializeMs: summarize(init), initializeCpuMs: summarize(cpu), openToDriftMs: summarize(open), firstDriftCpuMs: summarize(driftCpu) };
    options.log(`start-up: initialize ${result.initializeMs.median} ms (server CPU ${result.initializeCpuMs.median} ms), open → drift ${result.openToDriftMs.median} ms (server CPU spawn → drift ${result.firstDriftCpuMs.median} ms) (medians)`);
    return result;
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
