// `tidemark check` on a workspace shaped like real repositories: most resources in child modules
// (one local module per 50-resource cell) and every other cell in a second region through
// `providers = { aws = aws.west }`. Reports wall time and API calls against the lower bound (each
// regional batched read once per region). `node out/bench/check-modules-bench.js [sizes…]`
// (default 1000 10000); results in bench/results/check-modules-regions.json.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkOnce, lowerBound, useCredentials } from './check-bench';
import { startSandboxProcess } from './sandbox-process';
import { generateWorkspace, writeWorkspace } from './generate';
import { seedAgainst } from './seed/index';

export interface ModulesRegionsSize {
  resources: number;
  inModules: number;
  byRegion: Record<string, number>;
  wallMs: number[];
  calls: number;
  callsByOperation: Record<string, number>;
  callsByRegion: Record<string, number>;
  lowerBound: number;
  lowerBoundByOperation: Record<string, number>;
  callsToLowerBound: number;
  checked: number;
  notChecked: number;
  drifts: number;
}

/** `everyType`: the seeders' API-only types too (in the cells' modules and regions), seeding not measured; `units` per seeder instead of filling the share. */
export async function runModulesRegionsBench(sizes: number[], log: (line: string) => void, options: { everyType?: boolean; units?: number; runs?: number } = {}): Promise<ModulesRegionsSize[]> {
  const out: ModulesRegionsSize[] = [];
  for (const n of sizes) {
    const ws = generateWorkspace({ resources: n, seed: 42, modules: true, secondRegion: 'us-west-2', everyType: options.everyType ?? true });
    const dir = mkdtempSync(path.join(tmpdir(), `tidemark-bench-modreg-${n}-`));
    const sandbox = await startSandboxProcess(ws.scenario);
    try {
      if (ws.seeding) await seedAgainst(ws, sandbox.endpoint, { ...(options.units ? { units: options.units } : {}), log });
      writeWorkspace(dir, ws);
      useCredentials(ws.reader);
      await checkOnce(dir, sandbox.endpoint); // warms the process up (modules, WASM, JIT), as the flat check bench does
      const runs = options.runs ?? (n >= 10_000 ? 1 : 2);
      const wallMs: number[] = [];
      let last: Awaited<ReturnType<typeof checkOnce>> | undefined;
      for (let i = 0; i < runs; i++) {
        last = await checkOnce(dir, sandbox.endpoint);
        wallMs.push(Math.round(last.ms));
        log(`modules+regions ${n}: run ${i + 1}/${runs} ${Math.round(last.ms)} ms, ${last.report.apiCalls.total} calls`);
      }
      const report = last!.report as unknown as {
        apiCalls: { total: number; byOperation: Record<string, number>; byRegion: Record<string, number> };
        drifts: unknown[]; notChecked: unknown[]; summary: { instances?: { checked: number; notChecked: number } };
      };
      const bound = lowerBound(ws);
      const boundTotal = Object.values(bound).reduce((a, b) => a + b, 0);
      out.push({
        resources: ws.addresses.length,
        inModules: ws.addresses.filter((a) => a.startsWith('module.')).length,
        byRegion: Object.fromEntries(Object.entries(ws.byRegion).map(([r, t]) => [r, Object.values(t).reduce((a, b) => a + b, 0)])),
        wallMs,
        calls: report.apiCalls.total,
        callsByOperation: report.apiCalls.byOperation,
        callsByRegion: report.apiCalls.byRegion,
        lowerBound: boundTotal,
        lowerBoundByOperation: bound,
        callsToLowerBound: Math.round((report.apiCalls.total / boundTotal) * 1000) / 1000,
        checked: report.summary.instances?.checked ?? 0,
        notChecked: report.summary.instances?.notChecked ?? 0,
        drifts: report.drifts.length,
      });
    } finally {
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

if (require.main === module) {
  const sizes = process.argv.slice(2).map(Number).filter((x) => Number.isFinite(x) && x > 0);
  runModulesRegionsBench(sizes.length ? sizes : [1000, 10_000], (l) => process.stderr.write(`${l}\n`)).then((result) => {
    const file = path.resolve(__dirname, '../../bench/results/check-modules-regions.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), sizes: result }, null, 2) + '\n');
    process.stdout.write(JSON.stringify(result.map((s) => ({ resources: s.resources, inModules: s.inModules, byRegion: s.byRegion, wallMs: s.wallMs, calls: s.calls, lowerBound: s.lowerBound, ratio: s.callsToLowerBound, checked: s.checked, notChecked: s.notChecked, drifts: s.drifts })), null, 2) + '\n');
  }, (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
