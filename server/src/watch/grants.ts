// Grants for the follower's attribution, from the access broker: the list each poll, and the
// session log (commands, the broker's own event ids) only for grants recent enough to explain a
// change the follower can still see. Ended grants' evidence does not change once CloudTrail has
// caught up, so it is read once.
import { evidenceFrom, GrantSource } from '../attribution/attributor';
import type { GrantEvidence } from '../attribution/classify';

/** CloudTrail may deliver a grant's last calls this long after it ends (AWS: up to 15 minutes). */
const SETTLE_MS = 20 * 60_000;

export function grantEvidence(source: GrantSource, now: () => Date = () => new Date(), recentMs = 60 * 60_000): () => Promise<GrantEvidence[]> {
  const settled = new Map<string, GrantEvidence>();
  return async () => {
    const t = now().getTime();
    const out: GrantEvidence[] = [];
    for (const grant of await source.grants()) {
      const known = settled.get(grant.id);
      if (known && known.grant.version === grant.version) {
        out.push(known);
        continue;
      }
      const ended = grant.endedAt ? Date.parse(grant.endedAt) : undefined;
      const recent = grant.activatedAt !== undefined && (ended === undefined || t - ended < recentMs);
      if (!recent) {
        out.push({ grant, commands: [] });
        continue;
      }
      const evidence = evidenceFrom(grant, await source.timeline(grant.id));
      if (ended !== undefined && t - ended > SETTLE_MS) settled.set(grant.id, evidence);
      out.push(evidence);
    }
    return out;
  };
}
