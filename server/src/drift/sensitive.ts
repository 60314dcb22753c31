// Drift on an attribute whose values are secrets (a Lambda function's environment variables):
// people see which keys differ, never a value. The declared value Revert writes back travels with
// the drift (copies of it included, e.g. after attribution) inside a HeldSecret, which serializes
// as "(sensitive)" and keeps the value in a private field that neither JSON nor util.inspect shows.
import type { Drift, HeldValue, SetDifference } from '../model';
import type { Known } from './values';

export const SENSITIVE_VALUE = '(sensitive)';

/**
 * The redacted view of a sensitive drift: each side's keys, each value replaced by `(sensitive
 * <token>)` (`entries` gives a token that may be shown: a keyed digest, equal for equal values, so
 * a redacted value can still be compared with another), and the keys that differ.
 */
export function redactSensitive(entries: (value: Known) => Record<string, string>, declared: Known, live: Known): Pick<Drift, 'declared' | 'live' | 'difference'> {
  const d = entries(declared);
  const l = entries(live);
  const hide = (m: Record<string, string>) => Object.fromEntries(Object.keys(m).sort().map((k) => [k, `(sensitive ${m[k]})`]));
  const difference: SetDifference = { added: [], removed: [], kept: [] };
  for (const k of new Set([...Object.keys(d), ...Object.keys(l)])) {
    if (!(k in d)) difference.added.push(k);
    else if (!(k in l)) difference.removed.push(k);
    else if (d[k] === l[k]) difference.kept.push(k);
    else {
      difference.added.push(`${k} (live value)`);
      difference.removed.push(`${k} (declared value)`);
    }
  }
  for (const list of [difference.added, difference.removed, difference.kept]) list.sort();
  return { declared: hide(d), live: hide(l), difference };
}

/** A value only Revert may read: JSON and util.inspect show "(sensitive)" and nothing else. */
export class HeldSecret implements HeldValue {
  readonly #value: unknown;
  constructor(value: unknown) {
    this.#value = value;
  }
  reveal(): unknown {
    return this.#value;
  }
  toJSON(): string {
    return SENSITIVE_VALUE;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return SENSITIVE_VALUE;
  }
}

/** Keeps the declared value for Revert without making it part of any serialized form of the drift. */
export function holdWriteBack(drift: Drift, declared: unknown): void {
  drift.writeBack = new HeldSecret(declared);
}
