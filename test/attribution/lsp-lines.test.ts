// Pure LSP builders for attributed drift: the diagnostic's severity and message, the hover's lines and timeline link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { classifyDrift, withAttribution, driftKey } from '../../server/src/attribution/classify';
import { attributionHoverLines, grantLogLink } from '../../server/src/lsp/drift-attribution';
import { driftDiagnostic } from '../../server/src/lsp/drift-diagnostics';
import { at, command, drift, event, evidence, grant, NOW } from './fixtures';

const g = grant({ id: 'g-42' });
const cmd = 'aws ec2 authorize-security-group-ingress --group-id sg-1 --port 22';
const attribution = classifyDrift({ drift: drift(['ingress']), events: [event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:31:00'), session: 'tidemark-g-42', sourceIdentity: 'alice' })], grants: [evidence(g, [command('g-42', at('10:30:59'), cmd)])], now: NOW });

test('an attributed diagnostic: severity from the class, the sentence appended to the message', () => {
  const [d] = withAttribution([drift(['ingress'])], new Map([[driftKey(drift(['ingress'])), attribution]]));
  const diagnostic = driftDiagnostic(d!);
  assert.equal(diagnostic.severity, DiagnosticSeverity.Information);
  assert.match(String(diagnostic.message), / — changed by alice under grant g-42, 10:31 UTC, `aws ec2 authorize-security-group-ingress --group-id sg-1 --port 22`$/);
  const unknown = withAttribution([drift(['ingress'])], new Map([[driftKey(drift(['ingress'])), classifyDrift({ drift: drift(['ingress']), events: [], grants: [], now: NOW })]]))[0]!;
  assert.equal(driftDiagnostic(unknown).severity, DiagnosticSeverity.Warning, 'unknown keeps the drift severity');
  assert.doesNotMatch(String(driftDiagnostic(unknown).message), /CloudTrail/, 'the message stays short; the hover says why');
});

test('the hover names the class, the command, the call and links the grant timeline with a grant-shaped argument', () => {
  const lines = attributionHoverLines({ ...drift(['ingress']), attribution });
  // The editor shows the diagnostic's message (which ends with the sentence) in the same hover: not twice.
  assert.equal(lines[0], '**Changed under an active grant**');
  assert.ok(!lines.some((l) => l.includes(attribution.summary)), 'the sentence is not repeated');
  // An unknown attribution is not in the message: the hover is where it is said.
  const unknown = classifyDrift({ drift: drift(['ingress']), events: [], grants: [], now: NOW });
  assert.match(attributionHoverLines({ ...drift(['ingress']), attribution: unknown })[0]!, /^\*\*Who changed it: not known yet\*\* — no CloudTrail event/);
  assert.ok(lines.some((l) => l.includes(cmd)));
  assert.ok(lines.some((l) => l.includes('`ec2:AuthorizeSecurityGroupIngress`')));
  const link = grantLogLink(attribution)!;
  assert.match(link, /^command:tidemark\.access\.showLog\?/);
  const [arg] = JSON.parse(decodeURIComponent(link.slice(link.indexOf('?') + 1))) as Array<Record<string, string>>;
  assert.deepEqual(arg, { id: 'g-42', role: 'prod-operator', requesterName: 'alice', state: 'active' });
  assert.equal(grantLogLink({ class: 'no-grant', summary: 'x' }), undefined, 'no grant, no link');
});
