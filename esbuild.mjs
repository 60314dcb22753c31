// Bundles the extension client, language server, CLI and sandbox into dist/.
// WASM assets are copied next to the bundles because each WASM loader looks beside its own script.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const outdir = 'dist';

/** Files each WASM-based dependency loads at run time, copied flat into dist/. */
const assets = [
  ['web-tree-sitter/web-tree-sitter.wasm', 'web-tree-sitter.wasm'],
  ['@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm', 'tree-sitter-terraform.wasm'],
  ['@cdktf/hcl2json/main.wasm.gz', 'main.wasm.gz'],
  ['@cedar-policy/cedar-wasm/nodejs/cedar_wasm_bg.wasm', 'cedar_wasm_bg.wasm'],
  ['@electric-sql/pglite/dist/pglite.wasm', 'pglite.wasm'],
  ['@electric-sql/pglite/dist/pglite.data', 'pglite.data'],
  ['@electric-sql/pglite/dist/initdb.wasm', 'initdb.wasm'],
];

/** @cdktf/hcl2json reads its WASM from `<lib>/../main.wasm.gz`; in the bundle it sits beside the script. */
const hcl2jsonWasmPath = {
  name: 'hcl2json-wasm-path',
  setup(build) {
    build.onLoad({ filter: /@cdktf[\\/]hcl2json[\\/]lib[\\/]bridge\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const patched = source.replace('(__dirname, "..", "main.wasm.gz")', '(__dirname, "main.wasm.gz")');
      if (patched === source) throw new Error('hcl2json bridge layout changed: cannot relocate main.wasm.gz');
      return { contents: patched, loader: 'js' };
    });
  },
};

function copyAssets() {
  mkdirSync(outdir, { recursive: true });
  for (const [from, to] of assets) {
    let src;
    try { src = require.resolve(from); } catch { src = path.join('node_modules', from); }
    if (!existsSync(src)) { console.warn(`esbuild: asset not found, skipped: ${from}`); continue; }
    copyFileSync(src, path.join(outdir, to));
  }
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // assets.ts only reaches require.resolve when a WASM file is not beside the bundle (unbundled runs).
  logOverride: { 'require-resolve-not-external': 'silent' },
  plugins: [hcl2jsonWasmPath],
  // ESM-only code paths (web-tree-sitter, pglite) read import.meta.url; in a CJS bundle it is this file.
  define: { 'import.meta.url': '__tidemarkImportMetaUrl' },
  banner: { js: "const __tidemarkImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  // pg's optional native binding is never used; keep it out so no native addon can enter a bundle.
  // 'performance' is a fallback require in hcl2json's Go bridge that Node never reaches (globalThis.performance exists).
  external: ['vscode', 'pg-native', 'performance'],
};

/**
 * The AWS SDK (8 of the engine's 11 MB) is loaded on first use, not at start-up: reading, compiling
 * and initialising every client was most of the language server's spawn → initialize time, and an editor
 * needs none of them before its first live read. In dist/cli.js each SDK package is a small stand-in; the
 * first export read through it requires the package from dist/aws-sdk.js, a second bundle that holds every
 * SDK package the engine imports (their shared @smithy code once).
 */
const LAZY_PACKAGE = /^(@aws-sdk\/(client-[a-z0-9-]+|credential-providers)|@smithy\/signature-v4)$/;
const SDK_BUNDLE = 'aws-sdk.js';

/**
 * The same for the libraries only access, policy and configuration files need, each in a bundle of its
 * own (they share nothing): Cedar compiled its WASM module and pg reached for Node's fetch stack while
 * the language server started, before it could answer `initialize`, in sessions that may never use them.
 */
const LAZY_DEPENDENCIES = {
  '@cedar-policy/cedar-wasm/nodejs': 'dep-cedar.js',
  '@electric-sql/pglite': 'dep-pglite.js',
  pg: 'dep-pg.js',
  yaml: 'dep-yaml.js',
};

/** The stand-in of a package: its exports resolve, on first read, from `load()`. */
function standIn(load) {
  return (
    `let loaded;\n` +
    `const load = () => (loaded ??= ${load});\n` +
    // A CommonJS package (pg) has no `default` export of its own: as in Node, the module is its default.
    `const get = (_, name) => { const m = load(); return name === 'default' && !m.__esModule ? m : m[name]; };\n` +
    `const lazy = new Proxy(Object.create(null), { get, has: (_, name) => name in load() });\n` +
    `module.exports = Object.create(lazy, { __esModule: { value: true } });\n`
  );
}

function lazyPackages(seen) {
  const dependency = new RegExp(`^(${Object.keys(LAZY_DEPENDENCIES).map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})$`);
  const bundles = new RegExp(`^\\./(${[SDK_BUNDLE, ...Object.values(LAZY_DEPENDENCIES)].map((f) => f.replace('.', '\\.')).join('|')})$`);
  return {
    name: 'lazy-packages',
    setup(build) {
      build.onResolve({ filter: LAZY_PACKAGE }, (args) => {
        seen.add(args.path);
        return { path: args.path, namespace: 'lazy-package' };
      });
      build.onResolve({ filter: dependency }, (args) => ({ path: args.path, namespace: 'lazy-package' }));
      build.onResolve({ filter: bundles }, (args) => (args.namespace === 'lazy-package' ? { path: args.path, external: true } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({
        loader: 'js',
        // The exports are found through the prototype, not as own properties: esbuild copies a CommonJS
        // module's own properties once per importing file, which for thousands of SDK names cost more
        // than loading the SDK did.
        contents: standIn(LAZY_DEPENDENCIES[args.path]
          ? `require('./${LAZY_DEPENDENCIES[args.path]}')`
          : `require('./${SDK_BUNDLE}')(${JSON.stringify(args.path)})`),
      }));
    },
  };
}

/** dist/aws-sdk.js: one function from package name to package, each package initialised on its first require. */
function sdkBundleSource(packages) {
  const cases = [...packages].sort().map((p) => `    case ${JSON.stringify(p)}: return require(${JSON.stringify(p)});`).join('\n');
  return `module.exports = (name) => {\n  switch (name) {\n${cases}\n    default: throw new Error('aws-sdk.js does not carry ' + name);\n  }\n};\n`;
}

const sdkPackages = new Set();
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: `${outdir}/client.js` },
  { entryPoints: ['server/src/cli.ts'], outfile: `${outdir}/cli.js`, plugins: [hcl2jsonWasmPath, lazyPackages(sdkPackages)] },
  { entryPoints: ['sandbox/src/bin.ts'], outfile: `${outdir}/sandbox.js` },
].filter((e) => existsSync(e.entryPoints[0]));

/** dist/dep-*.js: one library each, required by its stand-in in dist/cli.js. */
const dependencyBundles = Object.entries(LAZY_DEPENDENCIES).map(([name, file]) => ({
  stdin: { contents: `module.exports = require(${JSON.stringify(name)});\n`, resolveDir: process.cwd(), sourcefile: `${file}-entry.js`, loader: 'js' },
  outfile: `${outdir}/${file}`,
}));

/** Built after cli.js, whose build found the packages it needs. */
function sdkBundle() {
  return {
    stdin: { contents: sdkBundleSource(sdkPackages), resolveDir: process.cwd(), sourcefile: 'aws-sdk-entry.js', loader: 'js' },
    outfile: `${outdir}/${SDK_BUNDLE}`,
  };
}

/** The language server is the CLI's `serve` command: one bundle carries the engine for both. */
function writeServerShim() {
  writeFileSync(
    path.join(outdir, 'server.js'),
    "// Language server entry (the VS Code client starts this with --node-ipc; tests with --stdio).\n" +
      "// V8 compile cache (Node >= 22.1): compiling the bundle is most of start-up; Node 20 has no such API.\n" +
      "try { require('node:module').enableCompileCache?.(); } catch { /* a read-only cache directory only costs speed */ }\n" +
      "require('./cli.js').main(['serve']);\n",
  );
}

copyAssets();
writeServerShim();
if (watch) {
  await esbuild.build({ ...common, ...entries.find((e) => e.outfile.endsWith('/cli.js')) }); // finds the SDK packages
  for (const e of [...entries, ...dependencyBundles]) await (await esbuild.context({ ...common, ...e })).watch();
  await (await esbuild.context({ ...common, ...sdkBundle() })).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all([...entries, ...dependencyBundles].map((e) => esbuild.build({ ...common, ...e })));
  await esbuild.build({ ...common, ...sdkBundle() });
}
