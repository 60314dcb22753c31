import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { SyntaxProblem } from '../model';

export function syntaxDiagnostics(problems: SyntaxProblem[]): Diagnostic[] {
  return problems.map((p) => ({
    range: p.range,
    severity: DiagnosticSeverity.Error,
    source: 'tidemark',
    code: 'syntax',
    message: p.message,
  }));
}
