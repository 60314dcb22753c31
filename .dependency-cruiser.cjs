/**
 * Tidemark's architecture rules (DESIGN.md, "Dependency rules"), checked by `npm test` (npm run boundaries).
 * Each rule's comment is the sentence a violation prints.
 *
 * Domains stack in this order, each importing only those before it: hcl → drift → cloud → state → access →
 * attribution → revert → guardrails → alerts → watch; `app/` (the composition root) wires them; `lsp/` handlers, `cli/` and `server.ts` present them.
 */
/** The domains in the order data flows through them: each may import only those before it. */
const LAYERS = ['hcl', 'drift', 'cloud', 'state', 'access', 'attribution', 'revert', 'guardrails', 'alerts', 'watch'];
const DOMAINS = LAYERS.join('|');

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'No runtime import cycle in server/src (with the layers below, no folder cycle either).',
      severity: 'error',
      from: { path: '^server/src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'pure-core-no-io',
      comment: 'drift/, hcl/ and the lsp/ builders are pure: they import no AWS SDK, no network, no vscode, no other domain with I/O.',
      severity: 'error',
      from: { path: '^server/src/(drift|hcl)/|^server/src/lsp/[^/]+\\.ts$' },
      to: { path: '^(node_modules/(@aws-sdk|@smithy|pg|@electric-sql|vscode)|server/src/(cloud|state|access|revert|alerts|watch|app|cli)/|server/src/attribution/(?!classify|cli-command|event-attributes|names))|^(http|https|net|child_process)$|^node:(http|https|net|child_process)$' },
    },
    {
      name: 'domains-not-into-app',
      comment: 'Domain folders and the pure lsp/ builders never import the composition root (server/src/app/): only app/ wires domains together; lsp/handlers/, cli/ and server.ts sit above it.',
      severity: 'error',
      from: { path: `^server/src/(${DOMAINS})/|^server/src/lsp/[^/]+\\.ts$` },
      to: { path: '^server/src/(app|cli)/|^server/src/server\\.ts$' },
    },
    ...LAYERS.map((domain, i) => ({
      name: `layer-${domain}`,
      comment: `${domain}/ imports only model/protocol types and domains earlier in the flow (${LAYERS.join(' → ')}), never ${LAYERS.slice(i + 1).join(', ') || 'a later one'}.`,
      severity: 'error',
      from: { path: `^server/src/${domain}/` },
      to: { path: `^server/src/(${LAYERS.slice(i + 1).join('|')})/` },
    })).filter((rule) => !rule.to.path.includes('()')),
    {
      name: 'client-only-protocol',
      comment: 'client/ imports no server module except the shared protocol (server/src/protocol/), and never AWS.',
      severity: 'error',
      from: { path: '^client/src/' },
      to: { path: '^(server/src/(?!protocol/)|node_modules/@aws-sdk/)' },
    },
    {
      name: 'app-below-presenters',
      comment: 'The composition root (app/) never imports its presenters: lsp/handlers/, cli/ or server.ts.',
      severity: 'error',
      from: { path: '^server/src/app/' },
      to: { path: '^server/src/(lsp/handlers|cli)/|^server/src/server\\.ts$' },
    },
    {
      name: 'product-not-sandbox',
      comment: 'Nothing in server/ or client/ imports sandbox/: the sandbox is reached only over HTTP, like AWS.',
      severity: 'error',
      from: { path: '^(server|client)/src/' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'sandbox-independent',
      comment: 'The sandbox imports nothing from server/ or client/: it implements AWS from AWS documentation, so it can catch the product\'s mistakes.',
      severity: 'error',
      from: { path: '^sandbox/src/' },
      to: { path: '^(server|client)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(out|dist|node_modules)/' },
  },
};
