// The soak: a language server with the editor open on a 1,000-resource workspace (most in child
// modules) for a long time — a live change every 10 s (one instance resized through the SDK, then
// tidemark/refresh of its address, as a save or the Drift view would) and a keystroke every second
// in the open file. Memory is read after a forced GC every minute (memory-probe.ts); the drift of
// RSS and heap from the first reading after warm-up to the last says whether anything grows
// without bound. TIDEMARK_BENCH_SOAK_MINUTES sets the length (default 30; --smoke: 0.5).
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EC2Client, ModifyInstanceAttributeCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RefreshRequest } from '../server/src/protocol';
import { fileUri } from '../test/support/lsp-client';
import { generateWorkspace } from './generate';
import { driftCount, instanceIdOf, memoryOf, MemoryReading, probeEnv, startOn } from './lsp-bench';
import { summarize, Summary } from './stats';

type Log = (line: string) => void;

export interface SoakResult {
  resources: number;
  minutes: number;
  liveChanges: number;
  keystrokes: number;
  /** Readings after a forced GC: [minutes since the start of the soak, reading]. */
  readings: Array<{ minute: number; memory: MemoryReading }>;
  /** The first reading after warm-up (one minute, or a fifth of a short soak) and the last. */
  baseline: MemoryReading;
  final: MemoryReading;
  rssDrift: number;
  heapDrift: number;
  keystrokeMs: Summary;
  refreshMs: Summary;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoakBench(options: { smoke: boolean; log: Log }): Promise<SoakResult> {
  const minutes = Number(process.env.TIDEMARK_BENCH_SOAK_MINUTES ?? (options.smoke ? 0.5 : 30));
  if (!(minutes > 0)) throw new Error(`TIDEMARK_BENCH_SOAK_MINUTES must be a positive number of minutes (got ${process.env.TIDEMARK_BENCH_SOAK_MINUTES})`);
  const n = options.smoke ? 120 : 1000;
  const ws = generateWorkspace({ resources: n, seed: 11, drifted: 1, modules: true });
  const memoryFile = path.join(tmpdir(), `tidemark-bench-soak-memory-${process.pid}.json`);
  const running = await startOn(ws, probeEnv(memoryFile));
  try {
    const { session, dir, sandbox } = running;
    const firstDrift = ws.drifted[0]!;
    await session.diagnostics(fileUri(path.join(dir, ws.fileOf.get(firstDrift.address)!)), (p) => driftCount(p) >= 1, 300_000);

    // The open file: the root module's instances, where the typing goes (inside a tag value).
    const openName = ws.fileOf.get(ws.addresses.find((a) => /^aws_instance\.instance_\d+$/.test(a))!)!;
    const uri = fileUri(path.join(dir, openName));
    let doc = TextDocument.create(uri, 'terraform', 1, ws.files.get(openName)!);
    await session.open(uri, doc.getText(), 1);
    const marker = 'Team  = "';

    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: ws.admin });
    const instances = ws.addresses.filter((a) => /(^|\.)aws_instance\.instance_\d+$/.test(a) && a !== firstDrift.address);
    const pool = instances.filter((_, i) => i % Math.max(1, Math.floor(instances.length / 20)) === 0).slice(0, 20);
    const liveType = new Map(ws.scenario.instances!.map((i) => [i.id, i.type]));

    const keystrokeTimes: number[] = [];
    const refreshTimes: number[] = [];
    const readings: SoakResult['readings'] = [];
    const started = performance.now();
    const elapsedMinutes = () => (performance.now() - started) / 60_000;
    const warmUp = Math.min(1, minutes / 5);
    let nextKeystroke = 0;
    let nextChange = 0;
    let nextReading = warmUp;
    let changes = 0;
    let keystrokes = 0;
    while (elapsedMinutes() < minutes) {
      const nowMs = performance.now() - started;
      if (nowMs >= nextChange) {
        nextChange += 10_000;
        const address = pool[changes % pool.length]!;
        const id = instanceIdOf(address);
        const type = liveType.get(id) === 'm5.2xlarge' ? 'm5.4xlarge' : 'm5.2xlarge';
        await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
        await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: type } }));
        await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
        liveType.set(id, type);
        const t = performance.now();
        await session.connection.sendRequest(RefreshRequest, { addresses: [address] });
        refreshTimes.push(performance.now() - t);
        changes++;
      }
      if (performance.now() - started >= nextKeystroke) {
        nextKeystroke += 1000;
        const text = doc.getText();
        const offset = text.indexOf(marker, (keystrokes * 997) % Math.max(1, text.length - marker.length)) + marker.length;
        const at = offset >= marker.length ? offset : text.indexOf(marker) + marker.length;
        const position = doc.positionAt(at);
        const version = doc.version + 1;
        const change = { range: { start: position, end: position }, text: 'x' };
        doc = TextDocument.update(doc, [change], version);
        const published = session.diagnostics(uri, (p) => p.version === version, 30_000);
        const t = performance.now();
        await session.change(uri, version, [change]);
        await published;
        keystrokeTimes.push(performance.now() - t);
        keystrokes++;
      }
      if (elapsedMinutes() >= nextReading) {
        readings.push({ minute: Math.round(elapsedMinutes() * 100) / 100, memory: await memoryOf(session, memoryFile) });
        const last = readings[readings.length - 1]!;
        options.log(`soak: ${last.minute} min, RSS ${last.memory.rssMB} MB, heap ${last.memory.heapUsedMB} MB (${changes} live changes, ${keystrokes} keystrokes)`);
        nextReading += Math.min(1, minutes / 5);
      }
      const wait = Math.min(nextKeystroke, nextChange) - (performance.now() - started);
      if (wait > 0) await sleep(Math.min(wait, 1000));
    }
    readings.push({ minute: Math.round(elapsedMinutes() * 100) / 100, memory: await memoryOf(session, memoryFile) });
    const baseline = readings[0]!.memory;
    const final = readings[readings.length - 1]!.memory;
    const ratio = (a: number, b: number) => Math.round(((a - b) / b) * 1000) / 1000;
    const result: SoakResult = {
      resources: ws.addresses.length, minutes, liveChanges: changes, keystrokes, readings, baseline, final,
      rssDrift: ratio(final.rssMB, baseline.rssMB), heapDrift: ratio(final.heapUsedMB, baseline.heapUsedMB),
      keystrokeMs: summarize(keystrokeTimes), refreshMs: summarize(refreshTimes),
    };
    options.log(`soak: RSS ${baseline.rssMB} → ${final.rssMB} MB (${result.rssDrift}), heap ${baseline.heapUsedMB} → ${final.heapUsedMB} MB (${result.heapDrift})`);
    return result;
  } finally {
    rmSync(memoryFile, { force: true });
    await running.stop();
  }
}
