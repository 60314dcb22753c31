import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { SyntaxProblem } from '../model';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, hint: DiagnosticSeverity.Hint };

/** Syntax and configuration problems: errors unless the problem says otherwise (a module not installed is a hint). */
export function syntaxDiagnostics(problems: Array<SyntaxProblem & { severity?: keyof typeof SEVERITY }>): Diagnostic[] {
  return problems.map((p) => ({
    range: p.range,
    severity: SEVERITY[p.severity ?? 'error'],
    source: 'tidemark',
    code: 'syntax',
    message: p.message,
  }));
}
