// `npm run bench [-- --smoke | --only <name>]`: runs the benchmarks, prints a table of every figure
// against its target, and writes bench/results/latest.json (--only replaces that benchmark's part).
// --smoke runs each benchmark at a tiny size with no targets, so CI keeps them from rotting.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAlertsBench } from './alerts-bench';
import { runBrokerBench } from './broker-bench';
import { runModulesRegionsBench } from './check-modules-bench';
import { runCheckBench } from './check-bench';
import { runIndexBench } from './index-bench';
import { runKeystrokeBench, runScaleBench, runStartupBench } from './lsp-bench';
import { runSoakBench } from './soak-bench';
import { Summary, summarize } from './stats';

const REPO = path.resolve(__dirname, '../..');

type Log = (line: string) => void;
type BenchOptions = { smoke: boolean; log: Log };

/** One reported number: a summary over runs (median/p95/min/max) or a single value. */
export interface Figure {
  benchmark: string;
  name: string;
  unit: string;
  median: number;
  p95: number;
  min: number;
  max: number;
  runs: number;
  /** What is compared with the target: the p95 for latencies the issue states as p95, else the median. */
  basis?: 'median' | 'p95';
  target?: { op: '<=' | '>='; value: number };
  pass?: boolean;
}

function fig(benchmark: string, name: string, unit: string, value: Summary | number, target?: { op: '<=' | '>='; value: number; basis?: 'median' | 'p95' }): Figure {
  const s: Summary = typeof value === 'number' ? { runs: 1, median: value, p95: value, min: value, max: value } : value;
  const out: Figure = { benchmark, name, unit, median: s.median, p95: s.p95, min: s.min, max: s.max, runs: s.runs };
  if (target) {
    out.basis = target.basis ?? 'median';
    out.target = { op: target.op, value: target.value };
    const v = out.basis === 'p95' ? s.p95 : s.median;
    out.pass = target.op === '<=' ? v <= target.value : v >= target.value;
  }
  return out;
}

interface Benchmark {
  name: string;
  describe: string;
  run(o: BenchOptions): Promise<{ raw: unknown; figures: Figure[] }>;
}

const BENCHMARKS: Benchmark[] = [
  {
    name: 'index',
    describe: 'HCL index: cold/warm parse of a 5,000-line file, in-process keystroke re-index, 1,000-file workspace',
    async run(o) {
      const r = await runIndexBench(o);
      return {
        raw: r,
        figures: [
          fig('index', `first parse in the process (loads the parsers), ${r.largeFile.lines} lines`, 'ms', r.largeFile.firstInProcess),
          fig('index', `cold index, ${r.largeFile.lines} lines (no block seen before)`, 'ms', r.largeFile.cold, { op: '<=', value: 150 }),
          fig('index', 'warm re-parse (block cache)', 'ms', r.largeFile.warm),
          fig('index', 'in-process keystroke re-index', 'ms', r.keystroke.ms),
          fig('index', `workspace of ${r.workspace.files} files`, 'ms', r.workspace.wallMs),
        ],
      };
    },
  },
  {
    name: 'keystroke',
    describe: 'didChange → publishDiagnostics on a 5,000-line file over LSP, live snapshot cached, vs bare tree-sitter',
    async run(o) {
      const r = await runKeystrokeBench(o);
      return {
        raw: r,
        figures: [
          fig('keystroke', `didChange → diagnostics (${r.lines} lines, ${r.resources} resources, ${r.edits} edits)`, 'ms', r.ms, { op: '<=', value: 16, basis: 'p95' }),
          fig('keystroke', 'bare tree-sitter parse of the file', 'ms', r.bareTreeSitter),
          fig('keystroke', 'p95 / bare tree-sitter median', '×', r.p95ToBare, { op: '<=', value: 0.5 }),
        ],
      };
    },
  },
  {
    name: 'check',
    describe: 'cold `tidemark check` at 100 / 1,000 / 10,000 resources against the sandbox, vs per-resource reads',
    async run(o) {
      const r = await runCheckBench(o);
      const figures: Figure[] = [];
      const largest = r.sizes[r.sizes.length - 1];
      for (const s of r.sizes) {
        const big = s === largest && !o.smoke;
        figures.push(
          fig('check', `${s.resources} resources: wall time`, 'ms', s.wallMs, big ? { op: '<=', value: 10_000 } : undefined),
          fig('check', `${s.resources} resources: API calls (${s.callsPerResource} per resource)`, 'calls', s.calls),
          fig('check', `${s.resources} resources: calls / lower bound (${s.lowerBound})`, '×', s.callsToLowerBound, { op: '<=', value: 1.2 }),
          // No target (issue 20): the share of per-object reads AWS forces depends on the mix of types.
          fig('check', `${s.resources} resources: calls / per-resource baseline (${s.baseline.calls})`, '×', s.callsToBaseline),
          fig('check', `${s.resources} resources: wall time / per-resource baseline (${Math.round(s.baseline.wallMs)} ms)`, '×', s.timeToBaseline),
        );
      }
      figures.push(fig('check', `fitted slope (r² = ${r.r2})`, 'ms/resource', r.slopeMsPerResource));
      figures.push(fig('check', 'linearity of wall time (r² of the linear fit)', 'r²', r.r2, o.smoke ? undefined : { op: '>=', value: 0.95 }));
      // Issue 20's shape: every supported type, most resources in child modules, two regions.
      const [m] = await runModulesRegionsBench([o.smoke ? 60 : 10_000], o.log, o.smoke ? { units: 1, runs: 1 } : { runs: 2 });
      const regions = Object.entries(m.byRegion).map(([k, v]) => `${k} ${v}`).join(', ');
      figures.push(
        fig('check', `${m.resources} resources in modules and two regions (${m.inModules} in modules; ${regions}): wall time`, 'ms', summarize(m.wallMs), o.smoke ? undefined : { op: '<=', value: 10_000 }),
        fig('check', `${m.resources} resources in modules and two regions: calls / lower bound (${m.calls} / ${m.lowerBound})`, '×', m.callsToLowerBound, { op: '<=', value: 1.2 }),
      );
      if (m.drifts !== 0 || m.notChecked !== 0) throw new Error(`the modules and regions workspace shows ${m.drifts} drifts and ${m.notChecked} unchecked instances; expected none`);
      return { raw: { ...r, modulesRegions: m }, figures };
    },
  },
  {
    name: 'scale',
    describe: 'language server at 10,000 resources: initial check, RSS/heap, incremental refresh after one live change',
    async run(o) {
      const r = await runScaleBench(o);
      return {
        raw: r,
        figures: [
          fig('scale', `server start → first drift diagnostics in the open file (${r.resources} resources, ${r.inModules} in modules)`, 'ms', r.initialCheckMs, { op: '<=', value: 5000 }),
          fig('scale', 'server start → first full live read done', 'ms', r.fullReadMs),
          fig('scale', 'RSS after the first check (after GC)', 'MB', r.memory.rssMB, { op: '<=', value: 300 }),
          fig('scale', 'peak RSS', 'MB', r.memory.peakRssMB),
          fig('scale', 'V8 heap used after the first check (after GC)', 'MB', r.memory.heapUsedMB),
          fig('scale', 'incremental refresh → diagnostics', 'ms', r.incremental.ms, { op: '<=', value: 200, basis: 'p95' }),
          fig('scale', `incremental refresh API calls (${Object.entries(r.incremental.callsByOperation).map(([k, v]) => `${k} ${v}`).join(', ')})`, 'calls', r.incremental.calls, { op: '<=', value: 3, basis: 'p95' }),
          fig('scale', `RSS growth over ${r.growth.refreshes} further refreshes (${r.growth.before.rssMB} → ${r.growth.after.rssMB} MB)`, '×', r.growth.rssGrowth, { op: '<=', value: 0.05 }),
          fig('scale', `heap growth over ${r.growth.refreshes} further refreshes (${r.growth.before.heapUsedMB} → ${r.growth.after.heapUsedMB} MB)`, '×', r.growth.heapGrowth, { op: '<=', value: 0.05 }),
        ],
      };
    },
  },
  {
    name: 'startup',
    describe: 'server spawn → initialize answered; didOpen → first drift diagnostics on examples/demo',
    async run(o) {
      const r = await runStartupBench(o);
      return {
        raw: r,
        figures: [
          fig('startup', 'spawn → initialized', 'ms', r.initializeMs, { op: '<=', value: 300 }),
          fig('startup', 'spawn → initialized: server CPU', 'ms', r.initializeCpuMs),
          fig('startup', 'open → first drift diagnostics', 'ms', r.openToDriftMs, { op: '<=', value: 2000 }),
          fig('startup', 'spawn → first drift: server CPU', 'ms', r.firstDriftCpuMs),
        ],
      };
    },
  },
  {
    name: 'alerts',
    describe: 'change → webhook alert latency through the SQS queue and through LookupEvents polls (sandbox); team broker watch failover (kill -9 the leader)',
    async run(o) {
      const r = await runAlertsBench(o);
      const figures: Figure[] = [
        fig('alerts', `change → alert through the queue (${r.queue.changes} changes, ${r.queue.missed} missed)`, 'ms', r.queue.latencyMs, { op: '<=', value: 5000, basis: 'p95' }),
        fig('alerts', `change → alert through LookupEvents, ${r.lookupEvents.intervalSeconds}s polls (${r.lookupEvents.changes} changes, ${r.lookupEvents.missed} missed)`, 'ms', r.lookupEvents.latencyMs),
      ];
      if ('skipped' in r.failover) {
        o.log(`  failover skipped: ${r.failover.skipped}`);
      } else {
        const f = r.failover;
        figures.push(
          fig('alerts', `failover: lost changes (${f.changes} changes: ${f.alerted} alerted, ${f.superseded} superseded before being read)`, 'changes', f.lost, { op: '<=', value: 0 }),
          fig('alerts', 'failover: duplicate alerts', 'alerts', f.duplicates, { op: '<=', value: 0 }),
          fig('alerts', 'failover: kill -9 of the leader → the other process leads', 'ms', f.takeoverMs, { op: '<=', value: 30_000 }),
          fig('alerts', 'failover: kill -9 → first alert from the new leader', 'ms', f.firstAlertAfterKillMs),
        );
      }
      return { raw: r, figures };
    },
  },
  {
    name: 'broker',
    describe: 'request → approve → activate cycles/s with 8 clients (PGlite, PostgreSQL); audit verify over 100,000 records',
    async run(o) {
      const r = await runBrokerBench(o);
      const figures: Figure[] = [];
      for (const c of r.cycles) {
        figures.push(fig('broker', `${c.ledger}: cycles/s (${c.clients} clients, ${c.cycles} cycles)`, '/s', c.cyclesPerSecond, c.ledger === 'postgresql' ? { op: '>=', value: 100 } : undefined));
        figures.push(fig('broker', `${c.ledger}: one cycle as a client sees it`, 'ms', c.cycleMs));
      }
      for (const a of r.auditVerify) {
        figures.push(fig('broker', `${a.ledger}: audit verify over ${a.records} records`, 'records/s', a.recordsPerSecond, { op: '>=', value: 150_000 }));
        figures.push(fig('broker', `${a.ledger}: hash chain check alone`, 'records/s', a.chainOnlyRecordsPerSecond));
      }
      return { raw: r, figures };
    },
  },
  // Last: the soak measures memory over 30 minutes, so the timed benchmarks run before it, not after.
  {
    name: 'soak',
    describe: 'language server soak: editor open on 1,000 resources, a live change every 10 s, a keystroke every second (TIDEMARK_BENCH_SOAK_MINUTES, default 30)',
    async run(o) {
      const r = await runSoakBench(o);
      return {
        raw: r,
        figures: [
          fig('soak', `RSS drift over ${r.minutes} min (${r.baseline.rssMB} → ${r.final.rssMB} MB after GC; ${r.liveChanges} live changes, ${r.keystrokes} keystrokes, ${r.resources} resources)`, '×', r.rssDrift, { op: '<=', value: 0.05 }),
          fig('soak', `V8 heap drift over ${r.minutes} min (${r.baseline.heapUsedMB} → ${r.final.heapUsedMB} MB after GC)`, '×', r.heapDrift, { op: '<=', value: 0.05 }),
          fig('soak', 'keystroke → diagnostics during the soak', 'ms', r.keystrokeMs),
          fig('soak', 'refresh of one changed address during the soak', 'ms', r.refreshMs),
        ],
      };
    },
  },
];

function version(pkg: string): string | undefined {
  try {
    return JSON.parse(readFileSync(path.join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function machine() {
  const cpus = os.cpus();
  const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
  let commit: string | undefined;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    commit = undefined;
  }
  let postgres: string | undefined;
  try {
    postgres = execFileSync('bash', ['-c', 'ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || undefined;
  } catch {
    postgres = undefined;
  }
  return {
    cpuModel: cpus[0]?.model, cores: cpus.length, memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    // Other work on the machine skews absolute times; ratios against same-process baselines less so.
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    platform: `${process.platform} ${os.release()}`, node: process.version, tidemark: pkg.version, commit, postgresql: postgres,
    packages: Object.fromEntries(Object.keys(pkg.dependencies).map((d) => [d, version(d)])),
  };
}

const fmt = (n: number) => (Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : String(Math.round(n * 100) / 100));

export function table(figures: Figure[]): string {
  const rows = [['benchmark', 'figure', 'median', 'p95', 'min', 'max', 'unit', 'target', 'result']];
  for (const f of figures) {
    rows.push([f.benchmark, f.name, fmt(f.median), f.runs > 1 ? fmt(f.p95) : '', f.runs > 1 ? fmt(f.min) : '', f.runs > 1 ? fmt(f.max) : '', f.unit,
      f.target ? `${f.basis === 'p95' ? 'p95 ' : ''}${f.target.op} ${fmt(f.target.value)}` : '', f.pass === undefined ? '' : f.pass ? 'pass' : 'MISS']);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r, i) => {
    const line = r.map((cell, c) => (c >= 2 && c <= 5 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
    return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

/** The figures of a results file as a Markdown table (for bench/README.md). */
export function markdown(figures: Figure[]): string {
  const lines = ['| benchmark | figure | median | p95 | min | max | unit | target | result |', '|---|---|--:|--:|--:|--:|---|---|---|'];
  for (const f of figures) {
    const many = f.runs > 1;
    lines.push(`| ${f.benchmark} | ${f.name} | ${fmt(f.median)} | ${many ? fmt(f.p95) : ''} | ${many ? fmt(f.min) : ''} | ${many ? fmt(f.max) : ''} | ${f.unit} | ${f.target ? `${f.basis === 'p95' ? 'p95 ' : ''}${f.target.op} ${fmt(f.target.value)}` : ''} | ${f.pass === undefined ? '' : f.pass ? 'pass' : '**miss**'} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--markdown')) {
    const saved = JSON.parse(readFileSync(path.join(REPO, 'bench', 'results', 'latest.json'), 'utf8')) as { figures: Figure[] };
    process.stdout.write(markdown(saved.figures) + '\n');
    return;
  }
  const smoke = args.includes('--smoke');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  if (onlyAt >= 0 && !BENCHMARKS.some((b) => b.name === only)) {
    process.stderr.write(`bench: --only needs one of ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const chosen = BENCHMARKS.filter((b) => !only || b.name === only);
  const log: Log = (line) => process.stderr.write(`  ${line}\n`);
  const started = performance.now();
  const results: Record<string, { seconds: number; raw: unknown }> = {};
  const figures: Figure[] = [];
  for (const b of chosen) {
    process.stderr.write(`bench ${b.name}: ${b.describe}${smoke ? ' (smoke)' : ''}\n`);
    const t = performance.now();
    const { raw, figures: f } = await b.run({ smoke, log });
    results[b.name] = { seconds: Math.round((performance.now() - t) / 100) / 10, raw };
    // Smoke sizes say nothing about the targets: no pass/fail there.
    figures.push(...(smoke ? f.map(({ target: _t, pass: _p, basis: _b, ...rest }) => rest) : f));
  }
  const report = {
    date: new Date().toISOString(),
    smoke,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    machine: machine(),
    figures,
    results: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, { date: new Date().toISOString(), ...v }])),
  };
  process.stdout.write(table(figures) + '\n');
  const missed = figures.filter((f) => f.pass === false);
  process.stdout.write(`\n${figures.filter((f) => f.pass).length} targets met, ${missed.length} missed; ${report.seconds} s\n`);
  if (smoke) return;
  const dir = path.join(REPO, 'bench', 'results');
  const file = path.join(dir, 'latest.json');
  let saved = report;
  if (only) {
    // One benchmark re-run: its figures and results replace those of the last full run.
    let previous: typeof report | undefined;
    try {
      previous = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      previous = undefined;
    }
    if (!previous) {
      process.stdout.write('no bench/results/latest.json to update: run every benchmark once\n');
      return;
    }
    const order = BENCHMARKS.map((b) => b.name);
    saved = {
      ...previous,
      figures: [...previous.figures.filter((f) => f.benchmark !== only), ...figures].sort((a, b) => order.indexOf(a.benchmark) - order.indexOf(b.benchmark)),
      results: { ...previous.results, ...report.results },
    };
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(saved, null, 2) + '\n');
  process.stdout.write(`${only ? 'updated' : 'wrote'} bench/results/latest.json\n`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
