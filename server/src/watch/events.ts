// Pure: what the follower reports, and each report as an alert (severity, kind, one sentence).
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Alert, AlertSeverity } from '../alerts/alert';
import { driftMessage } from '../drift/describe';
import type { Drift } from '../model';
import type { Violation } from '../guardrails/guardrails';

export type WatchEvent =
  | { kind: 'appeared' | 'attributed' | 'resolved'; drift: Drift }
  | { kind: 'reverted' | 'revert-failed'; drift: Drift; message: string }
  | { kind: 'guardrail'; drift: Drift; violation: Violation }
  | { kind: 'error'; message: string };

/** Severity of an attributed drift: no grant = error, ended grant = warning, active grant = info. */
export function driftSeverity(d: Drift): AlertSeverity {
  switch (d.attribution?.class) {
    case 'no-grant': return 'error';
    case 'ended-grant': return 'warning';
    case 'active-grant': return 'info';
    default: return d.severity === 'error' ? 'error' : d.severity === 'info' || d.severity === 'hint' ? 'info' : 'warning';
  }
}

function alertId(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

export function toAlert(event: WatchEvent, o: { root: string; at: Date }): Alert {
  const at = o.at.toISOString();
  if (event.kind === 'error') return { id: alertId(['error', event.message, at]), at, severity: 'error', kind: 'watch-error', message: event.message };
  const d = event.drift;
  const base = {
    at,
    resource: d.address,
    attribute: d.attributePath.length ? d.attributePath.join('.') : undefined,
    file: d.file ? path.relative(o.root, d.file) || d.file : undefined,
    line: d.file ? d.range.start.line + 1 : undefined,
    ...(d.attribution ? { attribution: d.attribution } : {}),
  };
  const who = d.attribution && d.attribution.class !== 'unknown' ? `: ${d.attribution.summary}` : '';
  const id = (kind: string, extra = '') => alertId([kind, d.address, d.attributePath.join('.'), JSON.stringify(d.live) ?? '', d.attribution?.eventId ?? '', extra]);
  switch (event.kind) {
    case 'appeared': {
      const unauthorized = d.attribution?.class === 'no-grant' ? 'unauthorized change: ' : '';
      return { ...base, id: id('drift-appeared'), severity: driftSeverity(d), kind: 'drift-appeared', message: `${unauthorized}${driftMessage(d)}${who}` };
    }
    case 'attributed':
      return { ...base, id: id('drift-attributed'), severity: driftSeverity(d), kind: 'drift-attributed', message: `${d.address}${base.attribute ? ` ${base.attribute}` : ''}${who || ': attribution updated'}` };
    case 'resolved':
      return { ...base, id: id('drift-resolved', at), severity: 'info', kind: 'drift-resolved', message: `${d.address}${base.attribute ? ` ${base.attribute}` : ''} no longer drifts (adopted into code or changed back)` };
    case 'reverted':
      return { ...base, id: id('drift-reverted'), severity: 'info', kind: 'drift-reverted', message: `reverted ${d.address}${base.attribute ? ` ${base.attribute}` : ''} to the declared value: ${event.message}` };
    case 'revert-failed':
      return { ...base, id: id('revert-failed'), severity: 'error', kind: 'revert-failed', message: `could not revert ${d.address}${base.attribute ? ` ${base.attribute}` : ''}: ${event.message}` };
    case 'guardrail':
      return { ...base, id: id('guardrail', event.violation.rule), severity: 'critical', kind: 'guardrail', rule: event.violation.rule, message: event.violation.message };
  }
}
