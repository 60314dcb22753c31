// Preloaded into the language server by the benchmarks (NODE_OPTIONS=--require …), never shipped.
// On SIGUSR2 it writes process.memoryUsage() to TIDEMARK_BENCH_MEMORY_FILE, so the heap can be read
// from outside without a debug endpoint in the product. With TIDEMARK_BENCH_CPU_PROFILE set, the
// first SIGUSR2 starts a CPU profile and the second writes it there (--cpu-prof is not allowed in
// NODE_OPTIONS, and this way the profile covers only the phase being measured).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const memoryFile = process.env.TIDEMARK_BENCH_MEMORY_FILE;
const profileFile = process.env.TIDEMARK_BENCH_CPU_PROFILE;
let session: Session | undefined;
if (memoryFile || profileFile) {
  process.on('SIGUSR2', () => {
    if (memoryFile) writeFileSync(memoryFile, JSON.stringify(process.memoryUsage()));
    if (!profileFile) return;
    if (!session) {
      session = new Session();
      session.connect();
      session.post('Profiler.enable', () => session!.post('Profiler.start'));
      return;
    }
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(profileFile, JSON.stringify(result.profile));
    });
  });
}
