#!/usr/bin/env node
// Thin launcher so `npx tidemark` and the package bin run the bundled CLI.
require('../dist/cli.js');
