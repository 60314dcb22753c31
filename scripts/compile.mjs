// Transpiles every TypeScript source (no bundling, no type check) into out/ so node --test can run
// the tests against the modules directly. Type checking is `npm run typecheck` (tsc --noEmit).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const roots = ['server/src', 'sandbox/src', 'test', 'bench', 'demo'];
const skip = new Set(['node_modules', 'fixtures', 'results']);

function collect(dir, files = []) {
  let entries;
  try { entries = readdirSync(dir); } catch { return files; }
  for (const name of entries) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) { if (!skip.has(name)) collect(full, files); }
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(full);
  }
  return files;
}

// --outdir DIR lets several people (or helpers) compile side by side without wiping each other's out/.
const at = process.argv.indexOf('--outdir');
const outdir = at > 0 ? process.argv[at + 1] : 'out';
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: roots.flatMap((r) => collect(r)),
  outdir,
  outbase: '.',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  // Relative import() must become require() in CommonJS output, as it does inside the bundles.
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
});
