// Index benchmarks: one generated 5,000-line file, and a 1,000-file workspace.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseHclFile } from '../server/src/hcl/parse-file';
import { parseTree } from '../server/src/hcl/parser';
import { WorkspaceIndex } from '../server/src/hcl/workspace-index';
import { generateResourceBlock } from './generate-hcl';
import { measure, summarize, Summary } from './stats';

export interface IndexBenchResult {
  largeFile: {
    lines: number;
    blocks: number;
    /** The first parse in the process: loads tree-sitter's WASM (and hcl2json's, if a block needs it). */
    firstInProcess: number;
    /** Parsers loaded, a file never seen before: no block in any cache. */
    cold: Summary;
    warm: Summary;
    bareTreeSitter: Summary;
    warmToBareRatio: number;
  };
  /** One-character edits of an open document: incremental tree-sitter parse plus reuse of unchanged blocks. */
  keystroke: { edits: number; ms: Summary; toBareRatio: number };
  workspace: { files: number; blocks: number; wallMs: Summary };
}

/** A generated file of about `targetLines` lines; a different `first` gives blocks no other call gave. */
function largeFileText(targetLines: number, first: number): { text: string; lines: number } {
  const blocks: string[] = [];
  let lines = 0;
  for (let i = first; lines < targetLines; i++) {
    const block = generateResourceBlock(i);
    blocks.push(block);
    lines += block.split('\n').length;
  }
  return { text: blocks.join('\n'), lines };
}

export async function runIndexBench(options: { smoke: boolean }): Promise<IndexBenchResult> {
  const targetLines = options.smoke ? 500 : 5000;
  const { text, lines } = largeFileText(targetLines, 0);
  const runs = options.smoke ? 3 : 15;

  const firstStart = performance.now();
  const first = await parseHclFile('/bench/large.tf', text);
  const firstInProcess = Math.round((performance.now() - firstStart) * 100) / 100;
  // Cold: each run parses a file of the same size whose blocks no earlier parse has seen.
  const unseen = Array.from({ length: runs + 1 }, (_, k) => largeFileText(targetLines, 1_000_000 * (k + 1)).text);
  const cold = await measure(runs, () => parseHclFile('/bench/cold.tf', unseen.pop()!));
  // Warm: values come from the per-block cache, as on a keystroke that leaves other blocks unchanged.
  const warm = await measure(runs, () => parseHclFile('/bench/large.tf', text));
  const bareTreeSitter = await measure(runs, async () => (await parseTree(text)).delete());

  // Keystrokes: the file is open (versioned), so each edit re-parses incrementally.
  const open = new WorkspaceIndex();
  let edited = text;
  await open.update('/bench/open.tf', edited, 1);
  const edits = options.smoke ? 20 : 200;
  const samples: number[] = [];
  for (let v = 2; v < edits + 2; v++) {
    const at = edited.indexOf('Env   = "prod"', (v * 997) % edited.length);
    const pos = at >= 0 ? at + 10 : 100;
    edited = edited.slice(0, pos) + 'x' + edited.slice(pos);
    const start = performance.now();
    await open.update('/bench/open.tf', edited, v);
    samples.push(performance.now() - start);
  }
  const keystrokeMs = summarize(samples);

  const fileCount = options.smoke ? 50 : 1000;
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-bench-'));
  try {
    for (let f = 0; f < fileCount; f++) {
      writeFileSync(path.join(dir, `f${f}.tf`), [0, 1, 2].map((k) => generateResourceBlock(100_000 + f * 3 + k)).join('\n'));
    }
    let blockCount = 0;
    const wallMs = await measure(options.smoke ? 1 : 3, async () => {
      const index = new WorkspaceIndex();
      await index.addFolder(dir);
      blockCount = index.blocks().length;
    });
    return {
      largeFile: { lines, blocks: first.blocks.length, firstInProcess, cold, warm, bareTreeSitter, warmToBareRatio: Math.round((warm.median / bareTreeSitter.median) * 100) / 100 },
      keystroke: { edits, ms: keystrokeMs, toBareRatio: Math.round((keystrokeMs.p95 / bareTreeSitter.median) * 100) / 100 },
      workspace: { files: fileCount, blocks: blockCount, wallMs },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
