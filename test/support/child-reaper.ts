// Stops the processes a test, benchmark or the demo started when it ends in any way: normal exit,
// an uncaught failure, or SIGINT/SIGTERM/SIGHUP. Node's default on those signals is to die at once,
// leaving children (a broker, a language server, `tidemark watch`) running with nobody to stop them.
import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
let installed = false;

function killAll(signal: NodeJS.Signals): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

function install(): void {
  installed = true;
  // 'exit' runs for process.exit() and a normal end; only synchronous work is possible there.
  process.once('exit', () => killAll('SIGTERM'));
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll('SIGTERM');
      process.exit(128 + (numbers[signal] ?? 0));
    });
  }
}

/** Registers `child` to be stopped when this process ends; returns it. */
export function reap<T extends ChildProcess>(child: T): T {
  if (!installed) install();
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** The registered children still running (for tests of this module). */
export function reapable(): number {
  return [...running].filter((c) => c.exitCode === null && c.signalCode === null).length;
}
