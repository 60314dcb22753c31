// Pure builders: Drift → LSP Diagnostic. The diagnostic's `data` carries what quick fixes need.
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { Drift, DriftKind, Severity } from '../model';
import { driftMessage as describeDrift } from '../drift/describe';
import { attributionMessage } from './drift-attribution';

/** Stable codes, one per drift kind: users filter and suppress by them. */
export const DRIFT_CODES: Record<DriftKind, string> = {
  changed: 'drift.changed',
  'missing-live': 'drift.missing-live',
  unmanaged: 'drift.unmanaged',
};

export interface DriftDiagnosticData {
  address: string;
  attributePath: string[];
  kind: DriftKind;
  resourceType?: string;
  liveId?: string;
  file: string;
  /** The root module the drift comes from (a child module's file may serve several). */
  root?: string;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function driftPath(drift: Drift): string {
  return drift.attributePath.join('.');
}

/** The shared sentence (drift/describe.ts) plus what only the editor adds: confidence and ignores. */
export function driftMessage(drift: Drift): string {
  let message = describeDrift(drift);
  if (drift.confidence === 'inferred') message += ' (resource matched by tags/name, not state)';
  if (drift.suppressed) {
    const why = drift.suppressed.reason ? `: ${drift.suppressed.reason}` : '';
    message += ` [ignored by ${drift.suppressed.source}${why}${drift.suppressed.until ? `, until ${drift.suppressed.until}` : ''}]`;
  } else if (drift.note) {
    message += ` — ${drift.note}`;
  }
  return message + attributionMessage(drift);
}

export function driftDiagnostic(drift: Drift): Diagnostic {
  const severity: Severity = drift.suppressed ? 'hint' : drift.severity ?? 'warning';
  const data: DriftDiagnosticData = {
    address: drift.address,
    attributePath: drift.attributePath,
    kind: drift.kind,
    resourceType: drift.resourceType,
    liveId: drift.liveId,
    file: drift.file,
    root: drift.root,
  };
  return {
    range: drift.range,
    severity: SEVERITY[severity],
    source: 'tidemark',
    code: DRIFT_CODES[drift.kind],
    message: driftMessage(drift),
    data,
  };
}

export function isDriftData(value: unknown): value is DriftDiagnosticData {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<DriftDiagnosticData>;
  return typeof v.address === 'string' && Array.isArray(v.attributePath) && typeof v.kind === 'string';
}
