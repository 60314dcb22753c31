// What Tidemark tells people when production changes under it: one shape for the webhook, the
// stdout JSON lines and the editor notification, so every channel says the same thing.
import type { Attribution } from '../model';

export type AlertSeverity = 'info' | 'warning' | 'error' | 'critical';

/**
 * `drift-appeared`: live changed away from the code (attribution may still be unknown).
 * `drift-attributed`: a drift already reported is now tied to a change event and grant (or none).
 * `drift-resolved`: the drift is gone (adopted into code, or changed back by someone).
 * `drift-reverted` / `revert-failed`: Tidemark wrote the declared value back, or could not.
 * `guardrail`: a change broke a guardrail rule (`.tidemark/guardrails.cedar`).
 * `watch-error`: the follower itself could not read CloudTrail or the cloud.
 */
export type AlertKind = 'drift-appeared' | 'drift-attributed' | 'drift-resolved' | 'drift-reverted' | 'revert-failed' | 'guardrail' | 'watch-error';

export interface Alert {
  /** Stable per event (kind + resource + attribute + time): receivers can deduplicate retries. */
  id: string;
  at: string;
  severity: AlertSeverity;
  kind: AlertKind;
  /** Terraform address, e.g. `aws_security_group.web`. */
  resource?: string;
  /** Dotted attribute path, e.g. `ingress` or `tags.Env`. */
  attribute?: string;
  /** Workspace-relative file and 1-based line of the declaration, when known. */
  file?: string;
  line?: number;
  attribution?: Attribution;
  /** Guardrail rule id, for `guardrail` alerts. */
  rule?: string;
  /** One sentence a person can act on. Redacted before it leaves the process. */
  message: string;
}

export const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, error: 2, critical: 3 };
