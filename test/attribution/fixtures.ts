// Recorded-event builders for attribution tables: CloudTrail events, grants and session commands
// in the shapes the reader and the broker produce.
import type { ChangeEvent, Drift, Grant, SessionCommand } from '../../server/src/model';
import type { GrantEvidence } from '../../server/src/attribution/classify';

export const ACCOUNT = '123456789012';
export const ROLE_OPERATOR = `arn:aws:iam::${ACCOUNT}:role/prod-operator`;
export const ROLE_READONLY = `arn:aws:iam::${ACCOUNT}:role/prod-readonly`;
export const NOW = new Date('2026-11-25T10:40:00.000Z');

export const at = (hhmmss: string) => `2026-11-25T${hhmmss}.000Z`;

let seq = 0;
export function event(o: {
  name: string; at: string; source?: string; session?: string; role?: string; user?: string; sourceIdentity?: string;
  readOnly?: boolean; errorCode?: string; resources?: string[]; keyFingerprint?: string; id?: string; parameterNames?: string[]; userAgent?: string;
}): ChangeEvent {
  const principalArn = o.user
    ? `arn:aws:iam::${ACCOUNT}:user/${o.user}`
    : `arn:aws:sts::${ACCOUNT}:assumed-role/${o.role ?? 'prod-operator'}/${o.session ?? 'someone'}`;
  return {
    eventId: o.id ?? `ev-${++seq}`, at: o.at, eventSource: o.source ?? 'ec2.amazonaws.com', eventName: o.name, principalArn,
    sourceIdentity: o.sourceIdentity, readOnly: o.readOnly ?? false, errorCode: o.errorCode, resources: o.resources ?? ['sg-1'],
    keyFingerprint: o.keyFingerprint, parameterNames: o.parameterNames, userAgent: o.userAgent,
  };
}

export function grant(o: { id: string; who?: string; state?: Grant['state']; activatedAt?: string; endsAt?: string; endedAt?: string; roleArn?: string }): Grant {
  const who = o.who ?? 'alice';
  return {
    id: o.id, requester: `arn:aws:iam::${ACCOUNT}:user/${who}`, requesterName: who, role: (o.roleArn ?? ROLE_OPERATOR).split('/').pop()!, roleArn: o.roleArn ?? ROLE_OPERATOR,
    durationSeconds: 3600, reason: 'fix', state: o.state ?? 'active', breakGlass: false, decisions: [], requestedAt: at('09:00:00'),
    activatedAt: o.activatedAt ?? at('10:00:00'), endsAt: o.endsAt ?? at('11:00:00'), endedAt: o.endedAt, version: 1,
  };
}

export function command(grantId: string, atIso: string, text: string, user = 'alice'): SessionCommand {
  return { grantId, at: atIso, user, cwd: '/work', command: text, exitCode: 0, source: 'shell' };
}

export function evidence(g: Grant, commands: SessionCommand[] = [], extra: Partial<GrantEvidence> = {}): GrantEvidence {
  return { grant: g, commands, ...extra };
}

export function drift(attributePath: string[], o: Partial<Drift> = {}): Drift {
  return {
    address: 'aws_security_group.web', file: '/ws/main.tf', attributePath, declared: [], live: [{ from_port: 22 }],
    range: { start: { line: 3, character: 2 }, end: { line: 3, character: 20 } }, kind: 'changed', confidence: 'proven',
    resourceType: 'aws_security_group', severity: 'warning', liveId: 'sg-1', ...o,
  };
}
