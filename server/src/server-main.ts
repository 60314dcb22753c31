// dist/server.js, what the VS Code client starts (--node-ipc; tests use --stdio). Before `initialize` is
// answered only this entry and the LSP library (dist/dep-lsp.js) load; the engine is dist/cli.js,
// required when `initialized` arrives.
import { listen } from './server';

// V8 compile cache (Node >= 22.1, as VS Code runs it): the engine bundle then compiles once per version.
try {
  (require('node:module') as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} catch {
  // a read-only cache directory only costs speed
}
// Tidemark supports Node 20; the SDK's notice about its own future Node 22 requirement is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
listen(() => (require('./cli.js') as typeof import('./cli')).startEditor);
