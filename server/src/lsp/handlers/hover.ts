// Hover on a drifted attribute: declared vs live, and who changed it under which grant.
import { uriToKey } from '../../uri';
import { attributionHoverLines } from '../drift-attribution';
import { contains, driftHover } from '../drift-hover';
import type { EditorSession } from '../../app/editor-session';

export function register(s: EditorSession): void {
  s.connection.onHover(async ({ textDocument, position }) => {
    await s.index.settled();
    const key = uriToKey(textDocument.uri);
    const here = s.driftsFor(key).filter((d) => contains(d.range, position));
    const hover = driftHover(here, s.drift.readAt(key), new Date(), attributionHoverLines);
    return hover ? { contents: hover, range: here[0].range } : null;
  });
}
