// Bundles the extension client, language server, CLI and sandbox into dist/.
// WASM assets are copied next to the bundles because each WASM loader looks beside its own script.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
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
 * first export read through it requires the package from dist/aws-sdk/: one bundle per client
 * (`client-ec2.js` …) and one runtime (`runtime.js`: @smithy, @aws-sdk/core, the credential providers,
 * signing) that every client bundle requires for all it imports, so the shared code exists once. A
 * workspace of buckets and roles never reads or compiles the EC2 client.
 */
const LAZY_PACKAGE = /^(@aws-sdk\/(client-[a-z0-9-]+|credential-providers)|@smithy\/signature-v4)$/;
const SDK_DIR = 'aws-sdk';
const SDK_RUNTIME = 'runtime.js';
/** The bundle (under dist/aws-sdk/) of an SDK package the engine imports. */
const sdkFileOf = (name) => (/^@aws-sdk\/client-/.test(name) ? `${name.slice('@aws-sdk/'.length)}.js` : SDK_RUNTIME);

/**
 * The same for the other libraries, one bundle per group that shares code. The LSP library is its own
 * bundle because dist/server.js needs it (and nothing else) to answer `initialize`, and dist/cli.js must
 * use that same copy (one `ResponseError` class, one connection). Cedar compiled its WASM module and pg
 * reached for Node's fetch stack while the language server started, in sessions that may never use them.
 */
const LAZY_DEPENDENCIES = {
  'dep-lsp.js': ['vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-textdocument'],
  'dep-cedar.js': ['@cedar-policy/cedar-wasm/nodejs'],
  'dep-pglite.js': ['@electric-sql/pglite'],
  'dep-pg.js': ['pg'],
  'dep-yaml.js': ['yaml'],
};
const bundleOf = new Map(Object.entries(LAZY_DEPENDENCIES).flatMap(([file, packages]) => packages.map((p) => [p, file])));

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

function lazyPackages(seen, importers = new Map()) {
  const dependency = new RegExp(`^(${[...bundleOf.keys()].map((p) => p.replace(/[/.-]/g, '\\$&')).join('|')})$`);
  const bundles = new RegExp(`^\\./((${Object.keys(LAZY_DEPENDENCIES).map((f) => f.replace('.', '\\.')).join('|')})|${SDK_DIR}/[a-z0-9-]+\\.js)$`);
  return {
    name: 'lazy-packages',
    setup(build) {
      build.onResolve({ filter: LAZY_PACKAGE }, (args) => {
        seen.add(args.path);
        if (!importers.has(args.path)) importers.set(args.path, new Set());
        importers.get(args.path).add(args.importer);
        return { path: args.path, namespace: 'lazy-package' };
      });
      build.onResolve({ filter: dependency }, (args) => ({ path: args.path, namespace: 'lazy-package' }));
      build.onResolve({ filter: bundles }, (args) => (args.namespace === 'lazy-package' ? { path: args.path, external: true } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({
        loader: 'js',
        // The exports are found through the prototype, not as own properties: esbuild copies a CommonJS
        // module's own properties once per importing file, which for thousands of SDK names cost more
        // than loading the SDK did.
        contents: standIn(bundleOf.has(args.path)
          ? `require('./${bundleOf.get(args.path)}')(${JSON.stringify(args.path)})`
          : sdkFileOf(args.path) === SDK_RUNTIME
            ? `require('./${SDK_DIR}/${SDK_RUNTIME}')(${JSON.stringify(args.path)})`
            : `require('./${SDK_DIR}/${sdkFileOf(args.path)}')`),
      }));
    },
  };
}

/** A lazy bundle (dist/aws-sdk/*.js, dist/dep-*.js): one function from package name to package, each initialised on its first require. */
function lazyBundleSource(file, packages) {
  const cases = [...packages].sort().map((p) => `    case ${JSON.stringify(p)}: return require(${JSON.stringify(p)});`).join('\n');
  return `module.exports = (name) => {\n  switch (name) {\n${cases}\n    default: throw new Error('${file} does not carry ' + name);\n  }\n};\n`;
}

const sdkPackages = new Set();
/** SDK package → the engine's source files that import it (for the names they use). */
const sdkImporters = new Map();
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: `${outdir}/client.js` },
  { entryPoints: ['server/src/cli.ts'], outfile: `${outdir}/cli.js`, plugins: [hcl2jsonWasmPath, lazyPackages(sdkPackages, sdkImporters)] },
  // The language server's entry: the LSP library and the capabilities; the engine is ./cli.js, required after `initialize`.
  { entryPoints: ['server/src/server-main.ts'], outfile: `${outdir}/server.js`, plugins: [lazyPackages(new Set())], external: [...common.external, './cli.js'] },
  { entryPoints: ['sandbox/src/bin.ts'], outfile: `${outdir}/sandbox.js` },
].filter((e) => existsSync(e.entryPoints[0]));

/** dist/dep-*.js, required by their stand-ins in dist/cli.js and dist/server.js. */
const dependencyBundles = Object.entries(LAZY_DEPENDENCIES).map(([file, packages]) => ({
  stdin: { contents: lazyBundleSource(file, packages), resolveDir: process.cwd(), sourcefile: `${file.replace('.js', '')}-entry.js`, loader: 'js' },
  outfile: `${outdir}/${file}`,
}));

/**
 * The values (commands, the client class, enums) each SDK client package is imported for, read from the
 * engine's own sources as esbuild compiles them (type-only imports elided), or null for a package some
 * file imports whole (`import * as`), which then comes whole.
 */
async function valuesImported(importers) {
  const names = new Map();
  for (const [pkg, files] of importers) {
    let used = new Set();
    for (const file of files) {
      const { code } = await esbuild.transform(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm', sourcefile: file });
      for (const [, list, from] of code.matchAll(/import\s*(?:[\w$]+\s*,\s*)?(\*\s*as\s+[\w$]+|\{[^}]*\})\s*from\s*"([^"]+)"/g)) {
        if (from !== pkg) continue;
        if (!list.startsWith('{')) used = null;
        else for (const item of list.slice(1, -1).split(',').map((n) => n.trim()).filter(Boolean)) used?.add(item.split(/\s+as\s+/)[0]);
      }
    }
    names.set(pkg, used);
  }
  return names;
}

/**
 * The SDK's generated schema modules key their trait objects by constants (`{ [_xN]: _ZI }`, `_xN`
 * being "xmlName"). esbuild cannot prove a computed key free of side effects, so it kept every one of
 * EC2's ~3,400 shape schemas although a client needs only its commands' shapes; written as the literal
 * keys they are, the unused shapes tree-shake away (EC2: 1.1 MB → 0.26 MB, module initialisation
 * ~1.6 s → ~0.3 s on a loaded machine). Only constants bound to plain string literals are replaced.
 */
const schemaLiteralKeys = {
  name: 'sdk-schema-literal-keys',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const constants = new Map([...source.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm)].map((m) => [m[1], m[2]]));
      return { loader: 'js', contents: source.replace(/\[(_\w+)\]:/g, (key, id) => (constants.has(id) ? `${constants.get(id)}:` : key)) };
    });
  },
};

/**
 * A client bundle: the client's own code, only what the engine imports from it (the package's ES
 * modules, so esbuild drops the ~600 other commands and their shapes: the `values` read from the
 * sources; all of it when `values` is null); every package it imports comes from the runtime bundle
 * (recorded in `runtime`, which is built after the clients). Plain CommonJS requires: no stand-ins.
 */
function sdkClientBundle(name, runtime, values) {
  // An ES module entry: a CommonJS one would require the package as one wrapped module, which esbuild cannot tree-shake.
  const exported = values ? `export { ${[...values].sort().join(', ')} } from ${JSON.stringify(name)};\n` : `export * from ${JSON.stringify(name)};\n`;
  return {
    stdin: { contents: exported, resolveDir: process.cwd(), sourcefile: `${sdkFileOf(name).replace('.js', '')}-entry.js`, loader: 'js' },
    outfile: `${outdir}/${SDK_DIR}/${sdkFileOf(name)}`,
    mainFields: ['module', 'main'],
    plugins: [schemaLiteralKeys, {
      name: 'sdk-runtime',
      setup(build) {
        build.onResolve({ filter: /^[@a-z]/ }, (args) => {
          if (args.path === name || isBuiltin(args.path)) return undefined; // the client itself, Node's own modules
          runtime.add(args.path);
          return { path: args.path, namespace: 'sdk-runtime' };
        });
        build.onResolve({ filter: new RegExp(`^\\./${SDK_RUNTIME.replace('.', '\\.')}$`) }, () => ({ path: `./${SDK_RUNTIME}`, external: true }));
        build.onLoad({ filter: /.*/, namespace: 'sdk-runtime' }, (args) => ({ loader: 'js', contents: `module.exports = require('./${SDK_RUNTIME}')(${JSON.stringify(args.path)});\n` }));
      },
    }],
  };
}

/** Built after cli.js, whose build found the SDK packages it needs: the clients, then the runtime they require. */
async function buildSdk() {
  const runtime = new Set([...sdkPackages].filter((p) => sdkFileOf(p) === SDK_RUNTIME));
  const values = await valuesImported(sdkImporters);
  await Promise.all([...sdkPackages].filter((p) => sdkFileOf(p) !== SDK_RUNTIME).map((p) => esbuild.build({ ...common, ...sdkClientBundle(p, runtime, values.get(p)) })));
  const clientsInRuntime = [...runtime].filter((p) => /^@aws-sdk\/client-/.test(p));
  if (clientsInRuntime.length) throw new Error(`the SDK runtime bundle would carry clients: ${clientsInRuntime.join(', ')}`);
  await esbuild.build({
    ...common,
    stdin: { contents: lazyBundleSource(SDK_RUNTIME, runtime), resolveDir: process.cwd(), sourcefile: 'runtime-entry.js', loader: 'js' },
    outfile: `${outdir}/${SDK_DIR}/${SDK_RUNTIME}`,
  });
}

copyAssets();
rmSync(path.join(outdir, 'aws-sdk.js'), { force: true }); // the single SDK bundle of earlier builds
if (watch) {
  await esbuild.build({ ...common, ...entries.find((e) => e.outfile.endsWith('/cli.js')) }); // finds the SDK packages
  for (const e of [...entries, ...dependencyBundles]) await (await esbuild.context({ ...common, ...e })).watch();
  await buildSdk(); // the SDK bundles change only with the installed packages
  console.log('esbuild: watching');
} else {
  await Promise.all([...entries, ...dependencyBundles].map((e) => esbuild.build({ ...common, ...e })));
  await buildSdk();
}
