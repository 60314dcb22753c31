// Alerts for the editor (`tidemark/alert`): after each attributed live read, what changed since the
// previous read becomes an alert, and a new change that breaks a guardrail a critical one. The first
// read of a root module only primes: drift that predates the editor is a diagnostic, not news.
import { redactValue } from '../access/redact';
import { changesFromDrift } from '../guardrails/changes';
import { evaluateChanges, loadGuardrails } from '../guardrails/guardrails';
import type { Drift } from '../model';
import { toAlert } from '../watch/events';
import { transitions } from '../watch/transitions';
import type { Alert } from '../alerts/alert';

export interface EditorAlertsOptions {
  send: (alert: Alert) => void;
  log: (message: string) => void;
  now?: () => Date;
}

export class EditorAlerts {
  private readonly seen = new Map<string, Map<string, Drift>>();
  private readonly logged = new Set<string>();

  constructor(private readonly o: EditorAlertsOptions) {}

  /** `drifts`: every drift of the root module, attribution applied; `liveOf` gives a resource's live attributes. */
  async update(root: string, drifts: readonly Drift[], liveOf: (address: string) => Record<string, unknown> | undefined = () => undefined): Promise<void> {
    const previous = this.seen.get(root);
    const { events, current } = transitions(previous ?? new Map(), { drifts, unknownAddresses: new Set() });
    this.seen.set(root, current);
    if (!previous) return;
    const at = (this.o.now ?? (() => new Date()))();
    const guardrails = await loadGuardrails(root).catch((error: Error) => {
      if (!this.logged.has(error.message)) {
        this.logged.add(error.message);
        this.o.log(`guardrails: ${error.message}`);
      }
      return undefined;
    });
    for (const e of events) {
      // A drift that went away is visible as a diagnostic disappearing; it needs no pop-up.
      if (e.kind === 'resolved') continue;
      this.o.send(redactValue(toAlert(e, { root, at })));
      if (e.kind !== 'appeared' || !guardrails) continue;
      const { violations, errors } = evaluateChanges(guardrails, changesFromDrift(e.drift, { liveAttributes: liveOf(e.drift.address) }));
      for (const error of errors) this.o.log(`guardrails: ${error}`);
      for (const violation of violations) this.o.send(redactValue(toAlert({ kind: 'guardrail', drift: e.drift, violation }, { root, at })));
    }
  }
}
