// One check of a workspace root against the sandbox the way the language server runs it (config
// loaded, live objects read, drift analysed with ignore comments), for the tests that drive
// RootModule directly.
import assert from 'node:assert/strict';
import { ignoreCommentsOf, rootFilesOf, RootModule, withoutBrokenBlocks } from '../../server/src/app/root-module';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';
import type { Drift } from '../../server/src/model';
import type { SandboxEndpoint, SandboxKey } from './check-cli';

/** The unsuppressed drifts of `dir`, read through the sandbox as `credentials`' user (a read failure fails the test). */
export async function checkRoot(dir: string, sandbox: SandboxEndpoint, credentials: SandboxKey): Promise<{ module: RootModule; drifts: Drift[] }> {
  const files = withoutBrokenBlocks(rootFilesOf(dir, await new WorkspaceIndex().addFolder(dir))).files;
  const module = new RootModule({ root: dir, env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region }, credentials });
  await module.loadConfig();
  await module.connect(files);
  const read = await module.refreshAll();
  assert.deepEqual(read.failures, []);
  const report = module.analyze(files, await ignoreCommentsOf(files));
  return { module, drifts: report.drifts.filter((d) => !d.suppressed) };
}

/** `kind address attribute.path` of a drift (no path for a whole-object drift), as the tests compare them. */
export const driftKey = (d: Drift): string => `${d.kind} ${d.address}${d.attributePath.length ? ` ${d.attributePath.join('.')}` : ''}`;
