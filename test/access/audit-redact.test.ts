import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { GENESIS_HASH, seal, verifyChain } from '../../server/src/access/audit-chain';
import { canonicalJson } from '../../server/src/access/canonical-json';
import { redact } from '../../server/src/access/redact';
import { fakeKeyId } from './helpers';

test('canonical JSON sorts keys at every depth and drops undefined', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
  assert.throws(() => canonicalJson({ x: Number.NaN }));
});

function chain(n: number) {
  const records = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const r = seal({ at: `2026-11-25T09:00:0${i}Z`, kind: 'request', actor: 'arn:aws:iam::1:user/a', data: { i } }, i, prev);
    records.push(r);
    prev = r.hash;
  }
  return records;
}

test('an intact chain verifies', () => {
  const v = verifyChain(chain(5));
  assert.equal(v.ok, true);
  assert.equal(v.count, 5);
});

test('altering, removing or relinking a record names the first broken link', () => {
  const altered = chain(5);
  altered[2] = { ...altered[2], data: { i: 99 } };
  assert.deepEqual([verifyChain(altered).ok, (verifyChain(altered) as { brokenAt: number }).brokenAt], [false, 3]);

  const removed = chain(5);
  removed.splice(1, 1);
  assert.equal((verifyChain(removed) as { brokenAt: number }).brokenAt, 3);

  // Re-sealing a changed record does not help: the next record's link breaks.
  const resealed = chain(5);
  resealed[1] = seal({ at: resealed[1].at, kind: 'request', actor: 'x', data: {} }, 2, resealed[0].hash);
  const v = verifyChain(resealed);
  assert.equal(v.ok, false);
  assert.equal((v as { brokenAt: number }).brokenAt, 3);
});

test('redaction removes key ids, secrets, tokens, passwords and presigned URLs', () => {
  const keyId = fakeKeyId('AKIA');
  const tempId = fakeKeyId('ASIA');
  const secret = randomBytes(30).toString('base64').slice(0, 40).replace(/[+/]/g, 'x');
  const token = randomBytes(150).toString('base64');
  const cases: Array<[string, string[]]> = [
    [`aws configure set aws_access_key_id ${keyId}`, [keyId]],
    [`export AWS_SECRET_ACCESS_KEY=${secret}`, [secret]],
    [`echo ${tempId} ${secret}`, [tempId, secret]],
    [`AWS_SESSION_TOKEN=${token} aws s3 ls`, [token]],
    ['mysql --password hunter2hunter2 -h db', ['hunter2hunter2']],
    ['mysql --password=s3cr3t-value -h db', ['s3cr3t-value']],
    ['psql postgres://admin:pa55word@db:5432/app', ['pa55word']],
    ['curl -H "Authorization: Bearer abcdefghijklmnop"', ['abcdefghijklmnop']],
    [`curl "https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${keyId}%2F20261125&X-Amz-Signature=abc123"`, [keyId, 'abc123']],
  ];
  for (const [input, secrets] of cases) {
    const out = redact(input);
    for (const s of secrets) assert.ok(!out.includes(s), `${s} survived in: ${out}`);
    assert.ok(out.includes('[REDACTED]'), out);
  }
  assert.equal(redact('terraform plan -out plan.bin'), 'terraform plan -out plan.bin');
  assert.equal(redact('kubectl get pods -n prod'), 'kubectl get pods -n prod');
  assert.equal(redact('say the-known-secret-value', ['the-known-secret-value']), 'say [REDACTED]');
});

test('redaction judges a value after = by its shape, whatever the name says', () => {
  // Fixed values (random ones could lack a digit or a case now and then): AWS's documented example
  // secret key, a GitHub-style token, a hex API key, a JWT.
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const ghToken = 'ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A';
  const hexKey = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b';
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const cases: Array<[string, string]> = [
    [`X=${secret} ./deploy.sh`, 'X=[REDACTED] ./deploy.sh'],
    [`env K=${secret} L="${ghToken}" make`, 'env K=[REDACTED] L="[REDACTED]" make'],
    [`curl -d key=${hexKey}`, 'curl -d key=[REDACTED]'],
    [`tool --auth=${jwt} run`, 'tool --auth=[REDACTED] run'],
    [`export CREDS='${secret}'`, "export CREDS='[REDACTED]'"],
  ];
  for (const [input, expected] of cases) assert.equal(redact(input), expected);
  // Ordinary values after = keep their meaning in the session log.
  for (const plain of [
    'aws ec2 create-tags --resources i-0a1b2c3d4e5f60c02 --tags Key=touched-by,Value=alice',
    'aws ec2 describe-instances --filters Name=instance-type,Values=t3.large --group-id=sg-0a1b2c3d4e5f60a01',
    'terraform apply -var=region=us-east-1 -var image=ami-0abcdef1234567890',
    'cp report.txt DEST=/home/alice/ProjectArchive2026/QuarterlyReports',
    'aws iam get-role --role-name=ProductionOperatorRole --query=Role.Arn',
  ]) assert.equal(redact(plain), plain);
});
