// The I/O edge of auto-revert (revert/target.ts declares what it offers): the broker's workspace (Terraform root module) read and written with
// the broker's own AWS identity. Every read re-parses the configuration, so a change adopted into
// the code since the grant ended is seen as adopted.
import type { ParsedHclFile } from '../hcl/parse-file';
import { WorkspaceIndex } from '../hcl/workspace-index';
import type { ClientOptions } from '../cloud/clients';
import { revertDrift } from '../cloud/revert';
import { RESOURCE_TYPES } from '../cloud/types';
import type { LiveEntry } from '../drift/snapshot';
import type { RevertTarget, StateResource } from '../revert/target';
import { ignoreCommentsOf, rootFilesOf, RootModule, withoutBrokenBlocks } from './root-module';

export interface WorkspaceTargetOptions {
  /** The Terraform root module (the broker's workspace folder). */
  root: string;
  env: NodeJS.ProcessEnv;
  /** The broker's own credentials; absent = the standard chain of `env`. */
  credentials?: ClientOptions['credentials'];
}

/** Names CloudTrail uses for a state object: its id, its ARN, and for `parent:child` ids the parent. */
export function stateNames(id: string | undefined, arn: unknown): string[] {
  const names = [id, typeof arn === 'string' ? arn : undefined].filter((n): n is string => Boolean(n));
  for (const n of [...names]) if (!n.startsWith('arn:') && n.includes(':')) names.push(n.split(':')[0]!);
  return [...new Set(names)];
}

async function parse(root: string): Promise<ParsedHclFile[]> {
  return withoutBrokenBlocks(rootFilesOf(root, await new WorkspaceIndex().addFolder(root))).files;
}

/** Connects to the workspace's cloud (one STS call, state read); fails with RootModuleError in the user's terms. */
export async function openWorkspaceTarget(o: WorkspaceTargetOptions): Promise<RevertTarget> {
  const module = new RootModule({ root: o.root, env: o.env, credentials: o.credentials, relativeTo: o.root });
  await module.loadConfig();
  await module.connect(await parse(o.root));
  return {
    types: RESOURCE_TYPES,
    resources: () => module.state.instances.map((i) => ({
      address: i.address,
      type: i.type,
      names: stateNames(RESOURCE_TYPES.get(i.type)?.idFromState(i.attributes), i.attributes.arn),
    })),
    async read(addresses) {
      await module.loadConfig();
      const files = await parse(o.root);
      module.setFiles(files);
      await module.refreshResources(addresses);
      const wanted = new Set(addresses);
      const report = module.analyze(files, await ignoreCommentsOf(files));
      const entries = new Map<string, LiveEntry>();
      for (const a of addresses) {
        const entry = module.cache?.snapshot.get(a);
        if (entry) entries.set(a, entry);
      }
      return { drifts: report.drifts.filter((d) => wanted.has(d.address)), entries };
    },
    // The writer alone: the executor's own confirming read follows (RootModule.revert would read twice).
    write: async (drift) => {
      if (!module.cache || !module.clients) return { ok: false, message: 'not connected to AWS' };
      const instance = module.state.instances.find((i) => i.address === drift.address);
      return revertDrift(drift, module.cache.snapshot, instance, RESOURCE_TYPES, (await module.clientsFor(instance)) ?? module.clients);
    },
  };
}
