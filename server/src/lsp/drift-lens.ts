// Pure builder: a code lens over each drifted block ("2 attributes drifted · refresh").
import { CodeLens } from 'vscode-languageserver';
import type { Drift, TopBlock } from '../model';

export function driftLenses(blocks: TopBlock[], drifts: Drift[], refreshCommand: string): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const block of blocks) {
    const mine = drifts.filter((d) => !d.suppressed && (d.address === block.address || d.address.startsWith(block.address + '[')));
    if (mine.length === 0) continue;
    const attributes = mine.filter((d) => d.kind === 'changed').length;
    const title =
      attributes === mine.length
        ? `${attributes} attribute${attributes === 1 ? '' : 's'} drifted`
        : mine.some((d) => d.kind === 'missing-live')
          ? 'missing in the live account'
          : `${mine.length} drift${mine.length === 1 ? '' : 's'}`;
    lenses.push({ range: block.headerRange, command: { title: `$(warning) ${title} · refresh`, command: refreshCommand, arguments: [[block.address]] } });
  }
  return lenses;
}
