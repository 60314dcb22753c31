// Pure attribution: a drift + the change events on its resource + the grants (with their session
// commands) + now → who changed it and under which grant. No I/O, so every rule is a table test.
import type { Attribution, ChangeEvent, Drift, Grant, SessionCommand, Severity } from '../model';
import { commandRank } from './cli-command';
import { apiName, eventExplains } from './event-attributes';

/** What the broker knows about one grant, as attribution needs it. */
export interface GrantEvidence {
  grant: Grant;
  commands: SessionCommand[];
  /** Ids of events the broker already attributed to this grant (its timeline's API events). */
  eventIds?: readonly string[];
  /** keyFingerprint() of every access key issued for the grant. */
  keyFingerprints?: readonly string[];
}

export interface ClassifyOptions {
  /** Clock difference tolerated between CloudTrail, the broker and the terminal (default 5 s). */
  skewSeconds?: number;
  /** A command this long before the event can still be the one that issued it (default 15 min). */
  commandWindowSeconds?: number;
  /** Start of the event window searched, for the `unknown` sentence. */
  searchedSince?: string;
}

export interface AttributionInput {
  drift: Pick<Drift, 'attributePath' | 'liveId' | 'address'>;
  /** Events whose resources include the drift's live object. */
  events: readonly ChangeEvent[];
  /** Undefined when no broker is reachable: grants cannot be confirmed, unauthorized changes still can. */
  grants: readonly GrantEvidence[] | undefined;
  now: Date;
}

export const DEFAULT_SKEW_SECONDS = 5;
const DEFAULT_COMMAND_WINDOW_SECONDS = 15 * 60;
/** CloudTrail typically delivers an event about 5 minutes after the call (AWS: up to 15). */
export const DELIVERY_DELAY_NOTE = 'CloudTrail delivers events several minutes (up to 15) after the call';

const SESSION_PREFIX = 'tidemark-';

/** Writes that succeeded: read-only calls and refused calls changed nothing. */
export function writeEvents(events: readonly ChangeEvent[]): ChangeEvent[] {
  return events.filter((e) => e.readOnly !== true && !e.errorCode);
}

/** The session name in an assumed-role ARN (`…:assumed-role/Role/<session>`), or the event's own. */
export function sessionNameOf(e: ChangeEvent): string | undefined {
  if (e.sessionName) return e.sessionName;
  const m = /:assumed-role\/[^/]+\/(.+)$/.exec(e.principalArn ?? '');
  return m?.[1];
}

/** The grant id a `tidemark-<grant>` session name claims. */
export function claimedGrantId(e: ChangeEvent): string | undefined {
  const session = sessionNameOf(e);
  return session?.startsWith(SESSION_PREFIX) ? session.slice(SESSION_PREFIX.length) : undefined;
}

function assumedRoleName(arn: string | undefined): string | undefined {
  return /:assumed-role\/([^/]+)\//.exec(arn ?? '')?.[1];
}

/** A principal as a person reads it: the SourceIdentity, else the user name or session name. */
export function principalName(e: Pick<ChangeEvent, 'principalArn' | 'sourceIdentity'>): string {
  if (e.sourceIdentity) return e.sourceIdentity;
  const arn = e.principalArn ?? '';
  const last = arn.split('/').pop();
  return last && last !== arn ? last : arn || 'an unknown principal';
}

/** [start, end] in ms in which the grant's credentials were legitimately in use; undefined if never active. */
export function grantWindow(g: Grant, now: Date): { start: number; end: number } | undefined {
  if (!g.activatedAt) return undefined;
  const start = Date.parse(g.activatedAt);
  const end = g.endedAt ? Date.parse(g.endedAt) : g.state === 'active' ? Math.max(now.getTime(), Date.parse(g.endsAt ?? g.activatedAt)) : Date.parse(g.endsAt ?? g.activatedAt);
  return { start, end };
}

export function isActive(g: Grant, now: Date): boolean {
  return g.state === 'active' && (!g.endsAt || Date.parse(g.endsAt) > now.getTime());
}

export type GrantMatch =
  | { kind: 'grant'; evidence: GrantEvidence; via: 'session' | 'event' | 'key' | 'source-identity' }
  /** The event carries a grant's identity but falls outside the grant's active window (or the grant is unknown). */
  | { kind: 'outside'; grantId: string; evidence?: GrantEvidence; reason: string }
  | { kind: 'none' };

/** Evidence that names a grant outright: its session name, the broker's own event list, its access key. */
function strongMatch(e: ChangeEvent, grants: readonly GrantEvidence[], claimed: string | undefined): { evidence: GrantEvidence; via: 'session' | 'event' | 'key' } | undefined {
  const bySession = claimed ? grants.find((x) => x.grant.id === claimed) : undefined;
  if (bySession) return { evidence: bySession, via: 'session' };
  const byEvent = grants.find((x) => x.eventIds?.includes(e.eventId));
  if (byEvent) return { evidence: byEvent, via: 'event' };
  const byKey = e.keyFingerprint ? grants.find((x) => x.keyFingerprints?.includes(e.keyFingerprint!)) : undefined;
  return byKey ? { evidence: byKey, via: 'key' } : undefined;
}

/**
 * Which grant an event was made under. Strong evidence (session name, the broker's own event list,
 * the access key) names the grant; SourceIdentity alone names a person, so it needs the grant's
 * window (and the role, when several of that person's grants overlap). Strong evidence outside
 * the window is not "under the grant": credentials used after it ended are an unauthorized change.
 */
export function matchGrant(e: ChangeEvent, grants: readonly GrantEvidence[], now: Date, skewSeconds = DEFAULT_SKEW_SECONDS): GrantMatch {
  const at = Date.parse(e.at);
  const skew = skewSeconds * 1000;
  const within = (g: Grant) => {
    const w = grantWindow(g, now);
    return w !== undefined && at >= w.start - skew && at <= w.end + skew;
  };
  const claimed = claimedGrantId(e);
  const strong = strongMatch(e, grants, claimed);
  if (strong) {
    const g = strong.evidence.grant;
    if (e.sourceIdentity && e.sourceIdentity !== g.requesterName) {
      return { kind: 'outside', grantId: g.id, evidence: strong.evidence, reason: `its SourceIdentity ${e.sourceIdentity} is not ${g.requesterName}, who holds grant ${g.id}` };
    }
    if (!within(g)) {
      const when = g.activatedAt && at < Date.parse(g.activatedAt) ? 'before the grant was active' : g.activatedAt ? 'after the grant ended' : 'but the grant was never active';
      return { kind: 'outside', grantId: g.id, evidence: strong.evidence, reason: `made with grant ${g.id}'s session ${when}` };
    }
    return { kind: 'grant', evidence: strong.evidence, via: strong.via };
  }
  if (claimed) return { kind: 'outside', grantId: claimed, reason: `its session name claims grant ${claimed}, which the broker does not know` };
  if (!e.sourceIdentity) return { kind: 'none' };
  const candidates = grants.filter((x) => x.grant.requesterName === e.sourceIdentity && within(x.grant));
  if (candidates.length === 0) return { kind: 'none' };
  const role = assumedRoleName(e.principalArn);
  const sameRole = role ? candidates.filter((x) => x.grant.roleArn.endsWith(`/${role}`)) : [];
  const pool = sameRole.length ? sameRole : candidates;
  const latest = [...pool].sort((a, b) => (b.grant.activatedAt ?? '').localeCompare(a.grant.activatedAt ?? ''))[0]!;
  return { kind: 'grant', evidence: latest, via: 'source-identity' };
}

/** `aws ec2 authorize-security-group-ingress` for `AuthorizeSecurityGroupIngress`. */
function cliWords(eventName: string): string {
  return eventName.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/**
 * The session command that issued the call, among commands from a while before the event up to a
 * few seconds after it (clocks differ). Commands that cannot have made it are left out: an `aws`
 * call of another operation (`aws ec2 start-instances` did not change the instance type), or any
 * `aws` call when CloudTrail's userAgent names another client. Then, strongest first: the command
 * the userAgent names, one of the same service and operation (nearest in time wins), one that names
 * the resource, and else the latest one that started before the event.
 */
export function matchCommand(e: ChangeEvent, commands: readonly SessionCommand[], resourceIds: readonly string[], o: ClassifyOptions = {}): SessionCommand | undefined {
  const at = Date.parse(e.at);
  const skew = (o.skewSeconds ?? DEFAULT_SKEW_SECONDS) * 1000;
  const window = (o.commandWindowSeconds ?? DEFAULT_COMMAND_WINDOW_SECONDS) * 1000;
  const op = cliWords(e.eventName);
  const ranked = commands.flatMap((c) => {
    const t = Date.parse(c.at);
    if (t > at + skew || t < at - window) return [];
    const rank = commandRank(c.command, e);
    if (rank === undefined) return [];
    // A wrapper (`./aws-prod ec2 modify-instance-attribute …`) that names the operation counts as naming it.
    return [{ c, rank: rank === 3 && c.command.includes(op) ? 1 : rank }];
  });
  if (ranked.length === 0) return undefined;
  const distance = (c: SessionCommand) => Math.abs(at - Date.parse(c.at));
  const nearest = (pool: SessionCommand[]) => [...pool].sort((a, b) => distance(a) - distance(b))[0];
  const strongest = Math.min(...ranked.map((r) => r.rank));
  if (strongest <= 1) return nearest(ranked.filter((r) => r.rank === strongest).map((r) => r.c));
  const near = ranked.map((r) => r.c);
  const named = near.filter((c) => resourceIds.some((id) => id && c.command.includes(id)));
  if (named.length) return nearest(named);
  const before = near.filter((c) => Date.parse(c.at) <= at);
  const pool = before.length ? before : near;
  return [...pool].sort((a, b) => b.at.localeCompare(a.at))[0];
}

/** The latest successful write on the resource that can have changed this attribute. */
export function explainingEvent(attributePath: readonly string[], events: readonly ChangeEvent[]): ChangeEvent | undefined {
  const candidates = writeEvents(events).filter((e) => eventExplains(e, attributePath));
  return candidates.sort((a, b) => b.at.localeCompare(a.at))[0];
}

/** `2026-11-25T10:31:07.000Z` → `10:31 UTC` (with the date when it is not today). */
export function clockTime(iso: string, now: Date): string {
  const d = new Date(iso);
  const hm = d.toISOString().slice(11, 16);
  const sameDay = d.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
  return sameDay ? `${hm} UTC` : `${d.toISOString().slice(0, 10)} ${hm} UTC`;
}

function shortCommand(command: string): string {
  const one = command.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 79)}…` : one;
}

function endedPhrase(g: Grant, now: Date): string {
  const verb = g.state === 'revoked' ? 'revoked' : g.state === 'expired' ? 'expired' : g.state === 'ended-early' ? 'released' : g.state;
  if (g.state === 'active' && g.endsAt) return `expired ${clockTime(g.endsAt, now)}`;
  return g.endedAt ? `${verb} ${clockTime(g.endedAt, now)}` : verb;
}

/** Classifies one drift. */
export function classifyDrift(input: AttributionInput, o: ClassifyOptions = {}): Attribution {
  const { drift, now } = input;
  const event = explainingEvent(drift.attributePath, input.events);
  if (!event) {
    const others = writeEvents(input.events).length;
    const what = drift.attributePath.length ? `\`${drift.attributePath.join('.')}\`` : 'this resource';
    const since = o.searchedSince ? ` since ${clockTime(o.searchedSince, now)}` : '';
    const seen = others ? ` (${others} other write${others === 1 ? '' : 's'} on ${drift.liveId ?? drift.address} cannot change it)` : '';
    return {
      class: 'unknown',
      summary: `no CloudTrail event${since} explains the change to ${what} yet${seen}; ${DELIVERY_DELAY_NOTE}, or the configuration changed instead`,
    };
  }
  const base = {
    principalArn: event.principalArn,
    at: event.at,
    eventName: apiName(event.eventSource, event.eventName),
    eventId: event.eventId,
  };
  const when = clockTime(event.at, now);
  const resourceIds = [drift.liveId ?? '', ...event.resources];
  if (input.grants === undefined) {
    const claimed = claimedGrantId(event);
    if (claimed) {
      return {
        ...base, class: 'unknown', grantId: claimed, actor: principalName(event),
        summary: `changed by ${principalName(event)} in session tidemark-${claimed}, ${when}, ${base.eventName}; no access broker reachable, so the grant is not confirmed`,
      };
    }
    return noGrant(event, base, when, 'outside any Tidemark grant');
  }
  const match = matchGrant(event, input.grants, now, o.skewSeconds);
  if (match.kind === 'none') return noGrant(event, base, when, 'outside any Tidemark grant');
  if (match.kind === 'outside') return noGrant(event, { ...base }, when, `outside its grant: ${match.reason}`);
  const g = match.evidence.grant;
  const command = matchCommand(event, match.evidence.commands, resourceIds, o);
  const how = command ? `\`${shortCommand(command.command)}\`` : base.eventName;
  const common = { ...base, grantId: g.id, actor: g.requesterName, command: command?.command, role: g.role, grantState: g.state };
  if (isActive(g, now)) {
    return { ...common, class: 'active-grant', summary: `changed by ${g.requesterName} under grant ${g.id}, ${when}, ${how}` };
  }
  return {
    ...common,
    class: 'ended-grant',
    summary: `changed by ${g.requesterName} under grant ${g.id} (${endedPhrase(g, now)}), ${when}, ${how}; not reverted or adopted into code`,
  };
}

function noGrant(event: ChangeEvent, base: Omit<Attribution, 'class' | 'summary'>, when: string, why: string): Attribution {
  const actor = principalName(event);
  const arn = event.principalArn && event.principalArn !== actor ? ` (${event.principalArn})` : '';
  return { ...base, class: 'no-grant', actor, summary: `changed by ${actor}${arn} ${why}, ${when}, ${base.eventName}` };
}

/** The attribution sentence worth adding to a drift message: known changes, or an unconfirmed grant session. */
export function attributionNote(a: Attribution | undefined): string | undefined {
  return a && (a.class !== 'unknown' || a.grantId) ? a.summary : undefined;
}

/** How loudly an attributed drift is reported; unknown keeps the drift's own severity. */
export function attributedSeverity(drift: Pick<Drift, 'severity' | 'attribution'>): Severity {
  switch (drift.attribution?.class) {
    case 'active-grant': return 'info';
    case 'ended-grant': return 'warning';
    case 'no-grant': return 'error';
    default: return drift.severity ?? 'warning';
  }
}

/** Stable key of a drift within a workspace: address + attribute path. */
export function driftKey(d: Pick<Drift, 'address' | 'attributePath'>): string {
  return `${d.address}\u0000${d.attributePath.join('\u0000')}`;
}

/** Drifts with their attribution attached and severity following its class (suppressed drifts keep theirs). */
export function withAttribution<T extends Drift>(drifts: readonly T[], attributions: ReadonlyMap<string, Attribution>): T[] {
  return drifts.map((d) => {
    const attribution = attributions.get(driftKey(d));
    if (!attribution) return d;
    const next = { ...d, attribution };
    return d.suppressed ? next : { ...next, severity: attributedSeverity(next) };
  });
}
