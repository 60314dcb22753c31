// Attribution for the CLI (`tidemark check`, `tidemark log`): CloudTrail through the module's own
// clients, and grants from a broker only when one is configured or already running — a check in
// CI never starts a broker.
import type { BrokerClient } from '../access/client';
import { envProofSource } from '../access/proof-source';
import { redact } from '../access/redact';
import { connectBroker, embeddedBrokerRunning } from './broker-runtime';
import { findWorkspace } from '../access/paths';
import type { Attribution, Drift, GrantChange } from '../model';
import path from 'node:path';
import { WorkspaceIndex } from '../hcl/workspace-index';
import { ignoreCommentsOf, rootFilesOf, RootModule, RootModuleError, withoutBrokenBlocks } from './root-module';
import { workspaceResources } from './attribution-service';
import { Attributor, brokerGrantSource, timelineEvents } from '../attribution/attributor';
import type { GrantTimeline } from '../access/broker';
import { grantChanges } from '../attribution/changes';
import { withAttribution } from '../attribution/classify';
import { resourceNames } from '../attribution/names';
import { LOOKUP_CAP_REACHED, RegionalEventReader } from '../attribution/resource-events';

/** CloudTrail lookups one check may make (at 2 per second: about 20 s), unless --max-lookups says otherwise. */
export const DEFAULT_MAX_LOOKUPS = 40;

export interface CliBrokerOptions {
  /** Where to look for a workspace's running embedded broker. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  brokerUrl?: string;
  /** Cap on CloudTrail LookupEvents calls for this attribution (default DEFAULT_MAX_LOOKUPS). */
  maxLookups?: number;
  /** Progress lines (the CLI writes them to stderr): lookups are paced, so a long wait says so. */
  progress?: (line: string) => void;
}

/** A broker client when one is reachable without starting one; undefined otherwise. */
export async function reachableBroker(o: CliBrokerOptions): Promise<{ client?: BrokerClient; warning?: string }> {
  const url = o.brokerUrl ?? o.env.TIDEMARK_BROKER_URL;
  const workspace = findWorkspace(o.cwd);
  if (!url && !(workspace && embeddedBrokerRunning(workspace))) return {};
  try {
    const broker = await connectBroker({ cwd: o.cwd, env: o.env, proofs: envProofSource(o.env), brokerUrl: url });
    return { client: broker.client };
  } catch (error) {
    return { warning: `access broker not reachable, grants not confirmed: ${redact((error as Error).message)}` };
  }
}

export interface CliAttribution {
  drifts: Drift[];
  warnings: string[];
}

/** The module's drifts, attributed (severity following the class). `broker`: a client already open. */
export async function attributeForCli(module: RootModule, drifts: Drift[], o: CliBrokerOptions, broker?: BrokerClient): Promise<CliAttribution> {
  if (!module.clients || drifts.length === 0) return { drifts, warnings: [] };
  const { client, warning } = broker ? { client: broker, warning: undefined } : await reachableBroker(o);
  try {
    const snapshot = module.cache?.snapshot;
    const maxLookups = o.maxLookups ?? DEFAULT_MAX_LOOKUPS;
    const resources = new Set(drifts.filter((d) => d.liveId).map((d) => resourceNames(d, snapshot).join('\u0000'))).size;
    if (resources > 0) o.progress?.(`attribution: looking up who changed ${resources} drifted resource${resources === 1 ? '' : 's'} in CloudTrail (at most ${maxLookups} lookups, 2 per second)`);
    const reader = new RegionalEventReader(module.clients, (d) => module.clientsForDrift(d), {
      maxLookups,
      onLookup: (n) => { if (n % 10 === 0) o.progress?.(`attribution: ${n} CloudTrail lookups done`); },
    });
    const result = await new Attributor(reader).attribute({
      drifts,
      namesOf: (d) => resourceNames(d, snapshot),
      grants: client ? brokerGrantSource((op, params) => client.call(op, params)) : undefined,
    });
    const attributed = withAttribution(drifts, result.attributions);
    // One warning for the cap, naming the resources it left unattributed, instead of one per resource.
    const capped = [...new Set(attributed.filter((d) => d.attribution?.summary.includes(LOOKUP_CAP_REACHED)).map((d) => d.address))];
    const failures = result.failures.filter((f) => !f.startsWith(LOOKUP_CAP_REACHED));
    const capWarning = capped.length
      ? [`attribution: ${capped.length} resource${capped.length === 1 ? '' : 's'} not attributed, the cap of ${maxLookups} CloudTrail lookups per check was reached (--max-lookups): ${capped.join(', ')}`]
      : [];
    return { drifts: attributed, warnings: [...(warning ? [warning] : []), ...failures.map((f) => `attribution: ${redact(f)}`), ...capWarning] };
  } finally {
    if (!broker) await client?.close();
  }
}

/** One line for text output: the class in words, then the summary. */
export function attributionLine(a: Attribution): string {
  const label = a.class === 'active-grant' ? 'active grant' : a.class === 'ended-grant' ? 'ended grant' : a.class === 'no-grant' ? 'NO GRANT' : 'who: unknown';
  return `${label}: ${a.summary}`;
}

/** Reads a root module's drift the way `tidemark check` does; undefined with a reason when it cannot. */
export async function readModuleDrift(root: string, env: NodeJS.ProcessEnv, relativeTo: string): Promise<{ module: RootModule; drifts: Drift[] } | { warning: string }> {
  const index = new WorkspaceIndex();
  const rootFiles = rootFilesOf(root, await index.addFolder(root));
  if (!rootFiles.some((f) => f.file.endsWith('.tf'))) return { warning: `${path.relative(relativeTo, root) || root}: no Terraform files here, so the grant's changes cannot be compared with the code` };
  const { files } = withoutBrokenBlocks(rootFiles);
  const module = new RootModule({ root, env, relativeTo });
  try {
    await module.loadConfig();
    await module.connect(files);
    await module.refreshAll();
  } catch (error) {
    if (error instanceof RootModuleError) return { warning: `changes not compared with the code: ${error.message}` };
    throw error;
  }
  return { module, drifts: module.analyze(files, await ignoreCommentsOf(files)).drifts };
}

/** A grant's changes against a root module: its drift read and attributed now, with the broker given. */
export async function changesForCli(root: string, timeline: GrantTimeline, broker: BrokerClient, o: CliBrokerOptions): Promise<{ changes: GrantChange[]; warnings: string[] }> {
  const read = await readModuleDrift(root, o.env, o.cwd);
  if ('warning' in read) return { changes: [], warnings: [read.warning] };
  const attributed = await attributeForCli(read.module, read.drifts, o, broker);
  const commands = timeline.entries.flatMap((e) => (e.kind === 'command' ? [e.command] : []));
  return {
    changes: grantChanges({ grant: timeline.grant, events: timelineEvents(timeline), commands, drifts: attributed.drifts, resources: workspaceResources(read.module), reverts: timeline.reverts }),
    warnings: attributed.warnings,
  };
}
