// A drift on secret values (a Lambda function's environment) in the editor: no "Adopt live value"
// (the live values are not known, only that they differ), Revert still offered, and neither the
// hover nor the diagnostic carries a value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import { renderHcl } from '../../server/src/drift/render-hcl';
import { diff } from '../drift/helpers';
import { instance, live } from '../drift/helpers';
import { secretDigest } from '../../server/src/cloud/types/lambda-common';
import { driftCodeActions } from '../../server/src/lsp/drift-code-actions';
import { driftDiagnostic } from '../../server/src/lsp/drift-diagnostics';
import { driftHover } from '../../server/src/lsp/drift-hover';

const SECRET = 'sk_live_never_in_the_editor';
const SOURCE = `resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
  handler       = "index.h"
  runtime       = "nodejs20.x"
  environment {
    variables = {
      STRIPE_KEY = "${SECRET}"
      ORIGIN     = "env"
    }
  }
}
`;

test('a sensitive drift offers Revert but never Adopt, and shows keys only', async () => {
  const fn = live('aws_lambda_function.f', 'aws_lambda_function', 'f', {
    function_name: 'f', role: 'arn:aws:iam::123456789012:role/r', handler: 'index.h', runtime: 'nodejs20.x',
    environment: [{ variables: { STRIPE_KEY: secretDigest('sk_live_rotated'), ORIGIN: secretDigest('env') } }], tags: {},
  });
  const r = await diff({ files: { 'main.tf': SOURCE }, state: [instance('aws_lambda_function.f', { id: 'f', function_name: 'f' })], live: [fn] });
  const d = r.drifts.find((x) => x.attributePath[0] === 'environment');
  assert.ok(d, JSON.stringify(r.drifts));
  const block = (await parseHclFile('/ws/main.tf', SOURCE)).blocks[0]!;
  const diagnostic = driftDiagnostic(d);
  const actions = driftCodeActions({ diagnostic, data: diagnostic.data, drift: d, block, uri: 'file:///ws/main.tf', render: renderHcl, endOfFile: { line: 12, character: 0 }, canRevert: true });
  assert.deepEqual(actions.filter((a) => a.title.startsWith('Adopt')), []);
  assert.ok(actions.some((a) => a.title.startsWith('Revert live aws_lambda_function.f environment')));
  const hover = driftHover([d], undefined, new Date('2026-06-01T00:00:00Z'))!;
  assert.match(hover.value, /STRIPE_KEY \(live value\)/);
  for (const text of [hover.value, JSON.stringify(diagnostic), JSON.stringify(actions)]) {
    assert.ok(!text.includes(SECRET) && !text.includes('sk_live_rotated') && !text.includes('hmac'), text);
  }
});
