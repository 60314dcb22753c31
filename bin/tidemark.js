#!/usr/bin/env node
// Thin launcher so `npx tidemark` and the package bin run the bundled CLI.
require('../dist/cli.js')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
