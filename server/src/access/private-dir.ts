// Private scratch directories of one process (0700, in the system temp directory). Each name carries
// the owner's pid, so that the next start removes what a killed process (kill -9) left behind:
// `tidemark shell` keeps its commands there, unredacted, until they reach the broker.
// A leaf module (node: only): the extension's grant terminal uses it too.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** `<tmp>/<prefix>-<pid>-XXXXXX`, readable by its owner only. */
export function createPrivateDir(prefix: string, pid = process.pid): string {
  removeOrphanedDirs(prefix);
  return mkdtempSync(path.join(tmpdir(), `${prefix}-${pid}-`));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else (a reused pid); not ours to judge.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes this user's `<prefix>-<pid>-*` directories whose process is gone; returns their paths. */
export function removeOrphanedDirs(prefix: string, isAlive: (pid: number) => boolean = alive): string[] {
  const root = tmpdir();
  const uid = process.getuid?.();
  const removed: string[] = [];
  let names: string[];
  try { names = readdirSync(root); } catch { return removed; }
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)-[^-]+$`);
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    const dir = path.join(root, name);
    try {
      const info = statSync(dir);
      if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Gone already, or not ours: nothing to clean.
    }
  }
  return removed;
}
