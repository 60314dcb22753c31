// Where alerts go. A sink's `send` returns at once and never throws: alerting must never slow down
// or break the engine that raises the alerts.
import { redactValue } from '../access/redact';
import type { Alert } from './alert';

export interface AlertSink {
  readonly name: string;
  send(alert: Alert): void;
  /** Delivers what is queued (bounded by the sink's own limits), then stops. */
  close(): Promise<void>;
}

/** Fans every alert out to all sinks, redacted once (no secret leaves the process in an alert). */
export class AlertBus {
  constructor(private readonly sinks: AlertSink[], private readonly knownSecrets: () => Iterable<string> = () => []) {}

  emit(alert: Alert): Alert {
    const clean = redactValue(alert, this.knownSecrets());
    for (const sink of this.sinks) {
      try {
        sink.send(clean);
      } catch {
        // A sink that throws is a bug in that sink; the other sinks and the engine carry on.
      }
    }
    return clean;
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.close().catch(() => undefined)));
  }
}

/** One JSON object per line (stdout), for log shippers and `jq`. */
export class JsonLinesSink implements AlertSink {
  readonly name = 'stdout';
  constructor(private readonly write: (line: string) => void) {}

  send(alert: Alert): void {
    this.write(JSON.stringify(alert));
  }

  async close(): Promise<void> {}
}

/** Calls a function per alert (the language server's notification, a test's collector). */
export class CallbackSink implements AlertSink {
  constructor(readonly name: string, private readonly fn: (alert: Alert) => void) {}

  send(alert: Alert): void {
    this.fn(alert);
  }

  async close(): Promise<void> {}
}
