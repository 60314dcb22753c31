// Preloaded into the language server by the memory benchmark (NODE_OPTIONS=--require …), never
// shipped: on SIGUSR2 it writes process.memoryUsage() to TIDEMARK_BENCH_MEMORY_FILE, so the heap
// can be read from outside without adding a debug endpoint to the product.
import { writeFileSync } from 'node:fs';

const target = process.env.TIDEMARK_BENCH_MEMORY_FILE;
if (target) {
  process.on('SIGUSR2', () => {
    writeFileSync(target, JSON.stringify(process.memoryUsage()));
  });
}
