// `npm run bench [-- --smoke]`: runs every benchmark, prints JSON, writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runIndexBench } from './index-bench';

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const results = {
    date: new Date().toISOString(),
    smoke,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: process.platform },
    index: await runIndexBench({ smoke }),
  };
  const text = JSON.stringify(results, null, 2);
  process.stdout.write(text + '\n');
  if (!smoke) {
    const dir = path.resolve(__dirname, '../../bench/results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'latest.json'), text + '\n');
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
