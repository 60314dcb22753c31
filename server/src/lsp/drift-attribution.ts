// Pure builders: a drift's attribution → the hover's "who changed it" lines (with a link to the
// grant's timeline) and the diagnostic message suffix.
import type { Attribution, Drift } from '../model';
import { attributionNote } from '../attribution/classify';

/** The client command that opens a grant's timeline (client/src/access/access-commands.ts). */
export const SHOW_GRANT_LOG_COMMAND = 'tidemark.access.showLog';

const TITLE: Record<Attribution['class'], string> = {
  'active-grant': 'Changed under an active grant',
  'ended-grant': 'Changed under an ended grant',
  'no-grant': 'Unauthorized change: no grant',
  unknown: 'Who changed it: not known yet',
};

/** `command:` URI the client runs with a grant-shaped argument (it reads id, role, requesterName, state). */
export function grantLogLink(a: Attribution): string | undefined {
  if (!a.grantId) return undefined;
  const arg = { id: a.grantId, role: a.role ?? '', requesterName: a.actor ?? '', state: a.grantState ?? '' };
  return `command:${SHOW_GRANT_LOG_COMMAND}?${encodeURIComponent(JSON.stringify([arg]))}`;
}

/**
 * The hover's lines about who changed it. The editor shows the diagnostic's message in the same
 * hover, and that message already ends with the attribution sentence when there is one worth
 * saying: the hover then adds only what the message lacks (class, command, call, link).
 */
export function attributionHoverLines(drift: Drift): string[] {
  const a = drift.attribution;
  if (!a) return [];
  const inMessage = attributionNote(a) !== undefined;
  const lines = [inMessage ? `**${TITLE[a.class]}**` : `**${TITLE[a.class]}** — ${a.summary}`];
  if (a.command) lines.push('```sh\n' + a.command + '\n```');
  const facts = [a.eventName ? `\`${a.eventName}\`` : '', a.at ? a.at.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z') : '', a.principalArn ? `\`${a.principalArn}\`` : ''].filter(Boolean);
  if (facts.length) lines.push(facts.join(' · '));
  const link = grantLogLink(a);
  if (link) lines.push(`[Show grant ${a.grantId}'s timeline](${link})`);
  return lines;
}

/** Appended to the drift's diagnostic message: who changed it, when known. */
export function attributionMessage(drift: Drift): string {
  const note = attributionNote(drift.attribution);
  return note ? ` — ${note}` : '';
}
