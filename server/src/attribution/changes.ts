// Pure: what one grant changed, and what became of each change. Attributed drifts give the
// changes still drifted (or ignored); the grant's own write events give the ones that no longer
// drift (adopted into code, or reverted).
import type { ChangeEvent, ChangeStatus, Drift, Grant, GrantChange, RevertRecord, SessionCommand } from '../model';
import { driftKey, matchCommand, writeEvents } from './classify';
import { apiName, attributesChangedBy } from './event-attributes';

/** A live object of the workspace, by every name CloudTrail may use for it. */
export interface ResourceRef {
  address: string;
  /** Live id, ARN, and any other name events use (bucket name, role name). */
  names: string[];
  file?: string;
  /** Current live attributes (Terraform shape). */
  live?: Record<string, unknown>;
}

export interface GrantChangesInput {
  grant: Grant;
  /** The grant's API events (its timeline), plus any resource events known to be under it. */
  events: readonly ChangeEvent[];
  commands: readonly SessionCommand[];
  /** The workspace's current drifts, already attributed; suppressed ones included. */
  drifts: readonly Drift[];
  resources: readonly ResourceRef[];
  reverts?: readonly RevertRecord[];
}

function pathKey(address: string, attributePath: readonly string[]): string {
  return driftKey({ address, attributePath: [...attributePath] });
}

export function grantChanges(input: GrantChangesInput): GrantChange[] {
  const { grant } = input;
  const out = new Map<string, GrantChange>();
  const driftsByKey = new Map(input.drifts.map((d) => [driftKey(d), d]));
  const driftedAddresses = new Map<string, Drift[]>();
  for (const d of input.drifts) driftedAddresses.set(d.address, [...(driftedAddresses.get(d.address) ?? []), d]);

  // 1. Drifts attributed to this grant: still drifted, or drifted but ignored.
  for (const d of input.drifts) {
    const a = d.attribution;
    if (a?.grantId !== grant.id || (a.class !== 'active-grant' && a.class !== 'ended-grant')) continue;
    out.set(driftKey(d), {
      grantId: grant.id, address: d.address, attributePath: d.attributePath, file: d.file,
      before: d.declared, after: d.live, at: a.at, eventName: a.eventName, command: a.command,
      status: d.suppressed ? 'ignored' : 'drifted',
      note: d.suppressed ? `ignored by ${d.suppressed.source}${d.suppressed.reason ? `: ${d.suppressed.reason}` : ''}` : undefined,
    });
  }

  // 2. The grant's writes on workspace resources that no drift is attributed to (any more).
  const byName = new Map<string, ResourceRef>();
  for (const r of input.resources) for (const n of r.names) if (n) byName.set(n, r);
  const writes = writeEvents(input.events).sort((a, b) => a.at.localeCompare(b.at));
  for (const e of writes) {
    const refs = new Set(e.resources.map((n) => byName.get(n)).filter((r): r is ResourceRef => r !== undefined));
    for (const r of refs) {
      const known = attributesChangedBy(e);
      // Without a known attribute list, the change is described on the whole resource.
      const attributes = known ? known.filter((a) => r.live === undefined || a in r.live || driftsByKey.has(pathKey(r.address, [a]))) : [];
      // A known call that touched nothing Terraform manages here (StartInstances: instance state) is no change.
      if (known && attributes.length === 0) continue;
      const paths: string[][] = attributes.length ? attributes.map((a) => [a]) : [[]];
      for (const attributePath of paths) {
        const key = pathKey(r.address, attributePath);
        if (out.get(key)?.status === 'drifted' || out.get(key)?.status === 'ignored') continue;
        const drifted = attributePath.length
          ? (driftedAddresses.get(r.address) ?? []).filter((d) => d.attributePath[0] === attributePath[0])
          : (driftedAddresses.get(r.address) ?? []);
        const command = matchCommand(e, input.commands, [...r.names]);
        const base = {
          grantId: grant.id, address: r.address, attributePath, file: r.file, at: e.at,
          eventName: apiName(e.eventSource, e.eventName), command: command?.command,
        };
        if (drifted.length) {
          // Drifted, but a later change (someone else's, or this grant's other call) explains it now.
          const d = drifted[0]!;
          const later = d.attribution && d.attribution.grantId !== grant.id ? `; changed again later: ${d.attribution.summary}` : '';
          out.set(key, { ...base, before: d.declared, after: d.live, status: d.suppressed ? 'ignored' : 'drifted', note: later ? later.slice(2) : undefined });
          continue;
        }
        const after = attributePath.length ? r.live?.[attributePath[0]!] : undefined;
        const revert = (input.reverts ?? []).filter((x) => x.address === r.address && x.at >= e.at && (attributePath.length === 0 || x.attributePath[0] === attributePath[0]))
          .sort((a, b) => b.at.localeCompare(a.at))[0];
        const status: ChangeStatus = revert ? (revert.ok ? 'reverted' : 'revert-failed') : 'adopted';
        const note = revert ? revert.message : 'the declared value now equals live';
        // Both mean declared equals live now: adopted kept the grant's value, a revert restored the old one.
        out.set(key, status === 'adopted' ? { ...base, before: after, after, status, note } : { ...base, before: after, after: undefined, status, note });
      }
    }
  }
  return [...out.values()].sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '') || a.address.localeCompare(b.address));
}
