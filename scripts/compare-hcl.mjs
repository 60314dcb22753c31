// Developer check: does the index agree with HashiCorp's HCL parser on a directory of real modules?
// usage: node scripts/compare-hcl.mjs DIR...   (after `npm run compile`)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(import.meta.url);
const { findTerraformFiles } = require('../out/server/src/hcl/workspace-index.js');
const { parseHclFile } = require('../out/server/src/hcl/parse-file.js');
const { disagreements } = require('../out/test/support/hcl-agreement.js');

let files = 0, blocks = 0, differing = 0, errors = 0;
for (const dir of process.argv.slice(2)) {
  for (const file of await findTerraformFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const parsed = await parseHclFile(file, text);
    files++; blocks += parsed.blocks.length; errors += parsed.errors.length;
    let diff;
    try { diff = await disagreements(parsed, text); } catch (e) { diff = [`reference parse failed: ${e.message.slice(0, 120)}`]; }
    if (diff.length) { differing++; console.log(`${file}: ${diff.join(', ')}`); }
  }
}
console.log(JSON.stringify({ files, blocks, filesDisagreeing: differing, syntaxErrors: errors }));
