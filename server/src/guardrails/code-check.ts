// Guardrails over the declared code (`tidemark check`): each resource's declared attributes are
// asked about as if they were being applied, so a pull request that breaks a rule fails in CI.
// Findings carry file:line and go into the text, JSON and SARIF reports.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { TopBlock } from '../model';
import { changesFromCode } from './changes';
import { evaluateChanges, Guardrails, loadGuardrails } from './guardrails';

export interface GuardrailFinding {
  rule: string;
  message: string;
  address: string;
  /** Absolute path. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function codeFindings(g: Guardrails, files: ReadonlyArray<{ blocks: readonly TopBlock[] }>): { findings: GuardrailFinding[]; errors: string[] } {
  const { violations, errors } = evaluateChanges(g, changesFromCode(files.flatMap((f) => f.blocks)));
  const findings = violations.flatMap((v): GuardrailFinding[] => {
    const r = v.change.range;
    if (!r || !v.change.file) return [];
    return [{
      rule: v.rule, message: v.message, address: v.change.address, file: v.change.file,
      line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1,
    }];
  });
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
  return { findings, errors };
}

/** `network.tf:118:3: error guardrail no-world-ssh: …` lines. */
export function findingLines(findings: readonly GuardrailFinding[], relativeTo: string): string[] {
  return findings.map((f) => `${path.relative(relativeTo, f.file) || f.file}:${f.line}:${f.column}: ${f.message}`);
}

/** Adds the findings to a SARIF log made by toSarif: one rule per guardrail, level error. */
export function withGuardrailResults(sarif: Record<string, unknown>, findings: readonly GuardrailFinding[], root: string): Record<string, unknown> {
  const run = (sarif.runs as Array<{ tool: { driver: { rules: Array<Record<string, unknown>> } }; results: Array<Record<string, unknown>> }>)[0]!;
  const rules = run.tool.driver.rules;
  for (const f of findings) {
    const id = `tidemark/guardrail/${f.rule}`;
    let index = rules.findIndex((r) => r.id === id);
    if (index < 0) {
      index = rules.push({ id, name: f.rule, shortDescription: { text: `Guardrail ${f.rule}` }, fullDescription: { text: `A rule in .tidemark/guardrails.cedar forbids this declared value.` }, defaultConfiguration: { level: 'error' } }) - 1;
    }
    run.results.push({
      ruleId: id,
      ruleIndex: index,
      level: 'error',
      message: { text: f.message },
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: path.relative(root, f.file).split(path.sep).join('/'), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
        logicalLocations: [{ fullyQualifiedName: f.address, kind: 'resource' }],
      }],
      partialFingerprints: { 'tidemark/v1': createHash('sha256').update(`guardrail|${f.rule}|${f.address}|${f.message}`).digest('hex') },
      properties: { address: f.address, guardrail: f.rule },
    });
  }
  return sarif;
}

/** Loads `.tidemark/guardrails.cedar` (if any) and checks the declared code; PolicyError on a bad rule. */
export async function guardrailFindings(root: string, files: ReadonlyArray<{ blocks: readonly TopBlock[] }>, relativeTo: string): Promise<{ findings: GuardrailFinding[]; errors: string[]; file?: string }> {
  const g = await loadGuardrails(root, relativeTo);
  return g ? { ...codeFindings(g, files), file: g.file } : { findings: [], errors: [] };
}
