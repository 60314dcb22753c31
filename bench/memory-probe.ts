// Preloaded into the language server by the benchmarks (NODE_OPTIONS=--require …), never shipped.
// On SIGUSR2 it writes process.memoryUsage() to TIDEMARK_BENCH_MEMORY_FILE, so the heap can be read
// from outside without a debug endpoint in the product. With TIDEMARK_BENCH_CPU_PROFILE set, the
// first SIGUSR2 starts a CPU profile and the second writes it there (--cpu-prof is not allowed in
// NODE_OPTIONS, and this way the profile covers only the phase being measured). With
// TIDEMARK_BENCH_CPU_PROFILE_FROM_START=1 the profile starts as the process loads and the first
// SIGUSR2 writes it (the start-up phase). TIDEMARK_BENCH_GC=1 (with --expose-gc) collects garbage
// before each memory reading, so growth checks compare what is retained, not what is pending.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const memoryFile = process.env.TIDEMARK_BENCH_MEMORY_FILE;
const profileFile = process.env.TIDEMARK_BENCH_CPU_PROFILE;
const fromStart = process.env.TIDEMARK_BENCH_CPU_PROFILE_FROM_START === '1';
const collect = process.env.TIDEMARK_BENCH_GC === '1' ? (globalThis as { gc?: () => void }).gc : undefined;
let session: Session | undefined;
let profiling = false;

function startProfile(): void {
  session = new Session();
  session.connect();
  session.post('Profiler.enable', () => session!.post('Profiler.start'));
  profiling = true;
}

if (profileFile && fromStart) startProfile();
if (memoryFile || profileFile) {
  process.on('SIGUSR2', () => {
    if (memoryFile) {
      collect?.();
      writeFileSync(memoryFile, JSON.stringify(process.memoryUsage()));
    }
    if (!profileFile) return;
    if (!profiling) {
      if (!session) startProfile();
      return;
    }
    profiling = false;
    session!.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(profileFile, JSON.stringify(result.profile));
    });
  });
}
