// Pure: an alert as the bytes a webhook receives, and the signature over them.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Alert, AlertSeverity } from './alert';

export type WebhookFormat = 'slack' | 'json';
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['slack', 'json'];

/** Version of the generic JSON schema; bumped on any incompatible change. */
export const ALERT_SCHEMA = 'tidemark.alert/v1';

const EMOJI: Record<AlertSeverity, string> = { info: ':information_source:', warning: ':warning:', error: ':rotating_light:', critical: ':no_entry:' };

/** Slack incoming-webhook payload: `text` is the fallback (notifications), `blocks` the message. */
export function slackPayload(alert: Alert): { text: string; blocks: unknown[] } {
  const where = [alert.resource, alert.attribute].filter(Boolean).join(' ');
  const text = `${alert.severity.toUpperCase()} ${alert.kind}${where ? ` ${where}` : ''}: ${alert.message}`;
  const fields = [
    { type: 'mrkdwn', text: `*Severity*\n${alert.severity}` },
    { type: 'mrkdwn', text: `*Kind*\n${alert.kind}` },
    ...(alert.resource ? [{ type: 'mrkdwn', text: `*Resource*\n\`${alert.resource}\`` }] : []),
    ...(alert.attribute ? [{ type: 'mrkdwn', text: `*Attribute*\n\`${alert.attribute}\`` }] : []),
    ...(alert.attribution?.grantId ? [{ type: 'mrkdwn', text: `*Grant*\n${alert.attribution.grantId}` }] : []),
    ...(alert.attribution?.actor ? [{ type: 'mrkdwn', text: `*Changed by*\n${alert.attribution.actor}` }] : []),
    ...(alert.rule ? [{ type: 'mrkdwn', text: `*Guardrail*\n${alert.rule}` }] : []),
  ];
  const context = [alert.file ? `${alert.file}${alert.line ? `:${alert.line}` : ''}` : '', alert.at, `id ${alert.id}`].filter(Boolean).join(' · ');
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${EMOJI[alert.severity]} *${alert.message}*` } },
      { type: 'section', fields },
      ...(alert.attribution?.summary && alert.attribution.summary !== alert.message
        ? [{ type: 'section', text: { type: 'mrkdwn', text: alert.attribution.summary } }]
        : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
    ],
  };
}

/** The generic schema: the alert itself under a versioned envelope. */
export function genericPayload(alert: Alert): { schema: string; alert: Alert } {
  return { schema: ALERT_SCHEMA, alert };
}

export function webhookBody(alert: Alert, format: WebhookFormat): string {
  return JSON.stringify(format === 'slack' ? slackPayload(alert) : genericPayload(alert));
}

export const SIGNATURE_HEADER = 'X-Tidemark-Signature';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, the form GitHub webhooks use. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Constant-time check of a received signature header (what a receiver runs). */
export function verifySignature(body: string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signature(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
