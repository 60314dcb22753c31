// What Tidemark tells people when production changes under it: one shape for the webhook, the
// stdout JSON lines, the broker's event stream and the editor notification, so every channel says
// the same thing. The shape is declared in model.ts (the broker, in access/, carries it too).
import type { AlertSeverity } from '../model';

export type { Alert, AlertKind, AlertSeverity } from '../model';

export const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, error: 2, critical: 3 };
