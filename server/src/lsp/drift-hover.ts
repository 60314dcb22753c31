// Pure builder: the drifts under the cursor → a Markdown hover (declared vs live, when, by whom).
import { MarkupContent, MarkupKind } from 'vscode-languageserver';
import type { Drift, Position, Range } from '../model';
import { fullDifference } from '../drift/describe';
import { driftPath } from './drift-diagnostics';

/** Extra lines about who changed the attribute (filled in by attribution when it is known). */
export type AttributionLines = (drift: Drift) => string[];

export function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

function fenced(value: unknown): string {
  if (value === undefined) return '_not set_';
  const text = typeof value === 'string' && !value.includes('\n') ? JSON.stringify(value) : JSON.stringify(value, null, 2);
  return '```json\n' + text + '\n```';
}

function age(readAt: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(readAt)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

export function driftHover(drifts: Drift[], readAt: string | undefined, now: Date, attribution?: AttributionLines): MarkupContent | undefined {
  if (drifts.length === 0) return undefined;
  const parts: string[] = [];
  for (const drift of drifts) {
    const path = driftPath(drift);
    const title = drift.kind === 'changed' ? `**Drift** \`${drift.address}\`${path ? ` · \`${path}\`` : ''}` : drift.kind === 'unmanaged' ? `**Unmanaged** \`${drift.address}\`` : `**Missing live** \`${drift.address}\``;
    parts.push(title);
    if (drift.kind === 'changed' && drift.difference) {
      // A set of rules: the whole set as a diff reads better than two JSON lists that mostly agree.
      const against = drift.basis === 'state' ? 'Terraform state (the configuration value is not knowable here)' : 'the code';
      parts.push(`\`+\` live only · \`-\` only in ${against}:`, '```diff\n' + fullDifference(drift.difference) + '\n```');
    } else if (drift.kind === 'changed') {
      parts.push(`Declared${drift.basis === 'state' ? ' (from Terraform state: the configuration value is not knowable here)' : ''}:`, fenced(drift.declared), 'Live:', fenced(drift.live));
    } else if (drift.kind === 'unmanaged') {
      parts.push(`Live object \`${drift.liveId ?? '?'}\` has no block in this configuration.`);
    } else {
      parts.push(`No live object${drift.liveId ? ` \`${drift.liveId}\`` : ''} was found for this block.`);
    }
    if (drift.confidence === 'inferred') parts.push('_The live resource was matched by tags/name, not by Terraform state: the match is inferred._');
    if (drift.suppressed) parts.push(`_Ignored by ${drift.suppressed.source}${drift.suppressed.reason ? ` (${drift.suppressed.reason})` : ''}${drift.suppressed.until ? ` until ${drift.suppressed.until}` : ''}._`);
    if (drift.note) parts.push(drift.note);
    if (attribution) parts.push(...attribution(drift));
  }
  if (readAt) parts.push(`---\nLive values read ${new Date(readAt).toISOString().replace('T', ' ').slice(0, 19)} UTC (${age(readAt, now)}).`);
  return { kind: MarkupKind.Markdown, value: parts.join('\n\n') };
}
