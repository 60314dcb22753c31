// SARIF 2.1.0 for GitHub code scanning: one rule per drift kind, precise regions (1-based lines,
// UTF-16 columns), suppressions for ignored drift, stable fingerprints for de-duplication.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Drift, DriftKind, Severity } from '../model';
import { driftMessage } from '../drift/describe';
import { attributionNote } from '../attribution/classify';

export { driftMessage };

const RULES: Record<DriftKind, { name: string; short: string; full: string }> = {
  changed: { name: 'LiveValueDiffers', short: 'Live value differs from the configuration', full: 'The live cloud resource has a value that differs from what the Terraform configuration declares (or, when that is not knowable, from what Terraform state recorded).' },
  'missing-live': { name: 'MissingLive', short: 'Resource no longer exists', full: 'Terraform state records this resource, but the cloud reports that it does not exist.' },
  unmanaged: { name: 'Unmanaged', short: 'Unmanaged resource', full: 'A live resource carries this workspace\'s tags but is not in Terraform state.' },
};

const LEVEL: Record<Severity, 'error' | 'warning' | 'note' | 'none'> = { error: 'error', warning: 'warning', info: 'note', hint: 'none' };

export function ruleId(kind: DriftKind): string {
  return `tidemark/drift/${kind}`;
}

export interface SarifOptions {
  root: string;
  toolVersion: string;
}

export function toSarif(drifts: Drift[], options: SarifOptions): Record<string, unknown> {
  const kinds: DriftKind[] = ['changed', 'missing-live', 'unmanaged'];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'Tidemark',
          version: options.toolVersion,
          informationUri: 'https://github.com/tidemark/tidemark',
          rules: kinds.map((k) => ({
            id: ruleId(k),
            name: RULES[k].name,
            shortDescription: { text: RULES[k].short },
            fullDescription: { text: RULES[k].full },
            defaultConfiguration: { level: k === 'changed' ? 'warning' : k === 'missing-live' ? 'error' : 'warning' },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      originalUriBaseIds: { '%SRCROOT%': { uri: `file://${options.root.replace(/\\/g, '/').replace(/\/?$/, '/')}` } },
      results: drifts.map((d) => {
        const physical = (file: string, range: Drift['range']) => ({
          artifactLocation: { uri: path.relative(options.root, file).split(path.sep).join('/'), uriBaseId: '%SRCROOT%' },
          region: { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 },
        });
        // A module installed under .terraform/ is not in the repository: code scanning shows the drift on its caller.
        const installed = d.file.split(path.sep).includes('.terraform') && d.callers?.length;
        const primary = installed ? d.callers![0] : d;
        const related = [
          ...(installed ? [{ file: d.file, range: d.range, text: `declared in the installed module (${d.address})` }] : []),
          ...(d.callers ?? []).filter((c) => c !== primary).map((c) => ({ file: c.file, range: c.range, text: `${c.module} is called here${c.argument ? ` (its ${c.argument} sets the value)` : ''}` })),
        ];
        const note = d.note ? ` (${d.note})` : '';
        // Who changed it (attribution): its class already set the severity, hence the level.
        const who = attributionNote(d.attribution) ? ` — ${attributionNote(d.attribution)}` : '';
        const result: Record<string, unknown> = {
          ruleId: ruleId(d.kind),
          ruleIndex: kinds.indexOf(d.kind),
          level: LEVEL[d.severity ?? 'warning'],
          message: { text: driftMessage(d) + note + who },
          locations: [{
            physicalLocation: physical(primary.file, primary.range),
            logicalLocations: [{ fullyQualifiedName: d.address, kind: 'resource' }],
          }],
          ...(related.length ? { relatedLocations: related.map((r, id) => ({ id, physicalLocation: physical(r.file, r.range), message: { text: r.text } })) } : {}),
          partialFingerprints: {
            'tidemark/v1': createHash('sha256').update(`${d.kind}|${d.address}|${d.attributePath.join('.')}`).digest('hex'),
          },
          properties: { address: d.address, attributePath: d.attributePath, confidence: d.confidence, basis: d.basis ?? 'declared', severity: d.severity, ...(d.attribution ? { attribution: d.attribution } : {}) },
        };
        if (d.suppressed) {
          result.suppressions = [{ kind: d.suppressed.source === 'comment' ? 'inSource' : 'external', justification: d.suppressed.reason ?? d.suppressed.source }];
        }
        return result;
      }),
    }],
  };
}
