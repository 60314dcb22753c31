// The broker over TLS: a real HTTPS broker with a certificate made at test time by openssl; a
// client that trusts its CA gets through, one that does not is refused naming the certificate
// problem, and neither side agrees to plain HTTP across a network without being told to.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AccessError } from '../../server/src/access/errors';
import { brokerTlsOptions, checkBrokerUrl, httpClient } from '../../server/src/access/http-client';
import { RunningHttpBroker, serveBroker } from '../../server/src/access/http-server';
import { run as runBroker } from '../../server/src/cli/access-broker';
import { run as runGrants } from '../../server/src/cli/access-grants';
import { CliIO } from '../../server/src/cli/io';
import { closeSharedLedger, harness, Harness } from './helpers';

let dir: string;
let h: Harness;
let broker: RunningHttpBroker;
const serverLog: string[] = [];

/** A self-signed certificate for 127.0.0.1, valid from now for two days (so any date works). */
function selfSigned(name: string): { cert: string; key: string; certFile: string; keyFile: string } {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-days', '2', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'pipe' });
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}

let brokerCert: ReturnType<typeof selfSigned>;
let otherCert: ReturnType<typeof selfSigned>;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-tls-'));
  brokerCert = selfSigned('tidemark-test-broker');
  otherCert = selfSigned('someone-else');
  // Starts at real time: the CLI test below signs proofs with the real clock.
  h = await harness(undefined, new Date().toISOString());
  broker = await serveBroker(h.broker, { tls: { cert: brokerCert.cert, key: brokerCert.key }, log: (line) => serverLog.push(line) });
});

after(async () => {
  await broker?.close();
  await h?.broker.stop();
  await closeSharedLedger();
  rmSync(dir, { recursive: true, force: true });
});

test('the broker serves HTTPS, and a client trusting its CA gets through', async () => {
  assert.match(broker.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const client = httpClient(broker.url, () => h.proofFor(h.alice), undefined, brokerTlsOptions({ TIDEMARK_BROKER_CA: brokerCert.certFile }));
  try {
    const me = (await client.call('whoami', {})) as { name: string };
    assert.equal(me.name, 'alice');
  } finally {
    await client.close();
  }
});

test('a client that does not trust the certificate is refused, naming the certificate problem and the remedy', async () => {
  for (const tls of [{}, brokerTlsOptions({}, { caFile: otherCert.certFile })]) {
    const client = httpClient(broker.url, () => h.proofFor(h.alice), undefined, tls);
    await assert.rejects(client.call('whoami', {}), (e: Error) => {
      assert.ok(e instanceof AccessError, String(e));
      assert.equal(e.code, 'unavailable');
      assert.match(e.message, /presented a TLS certificate this client does not accept \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)/);
      assert.match(e.message, /--ca FILE or set TIDEMARK_BROKER_CA/);
      if ('caSource' in tls) assert.match(e.message, /checked against the system CAs and .*someone-else\.crt/);
      return true;
    });
    await client.close();
  }
});

test('a CA file that is missing or not PEM is named', () => {
  assert.throws(() => brokerTlsOptions({ TIDEMARK_BROKER_CA: path.join(dir, 'missing.pem') }), /cannot read the broker CA file .*missing\.pem \(ENOENT\)/);
  const notPem = path.join(dir, 'not.pem');
  writeFileSync(notPem, 'hello');
  assert.throws(() => brokerTlsOptions({}, { caFile: notPem }), /not\.pem holds no PEM certificate/);
});

test('plain http:// to another host is refused before anything is sent, unless --insecure', async () => {
  const client = httpClient('http://broker.internal:4600', () => h.proofFor(h.alice), 'a-token-that-must-not-leak', {});
  await assert.rejects(client.call('whoami', {}), /refusing plain HTTP to broker\.internal:4600: the broker token, identity proofs and STS credentials would cross the network unencrypted/);
  await client.close();
  assert.doesNotThrow(() => checkBrokerUrl('http://broker.internal:4600', { insecure: true }));
  assert.doesNotThrow(() => checkBrokerUrl('http://127.0.0.1:4600', {}));
  assert.doesNotThrow(() => checkBrokerUrl('http://[::1]:4600', {}));
  assert.doesNotThrow(() => checkBrokerUrl('http://localhost:4600', {}));
  assert.equal(brokerTlsOptions({ TIDEMARK_BROKER_INSECURE: '1' }).insecure, true);
});

function cliIO(): CliIO & { errors: string[] } {
  const errors: string[] = [];
  return { cwd: dir, env: { TIDEMARK_BROKER_TOKEN: 'x'.repeat(32) }, out: () => undefined, err: (t) => errors.push(t), isTTY: false, errors };
}

test('tidemark broker refuses a non-loopback listen without TLS, saying why', async () => {
  await assert.rejects(runBroker(['--database', 'postgres://tidemark@db.invalid/tidemark', '--listen', '0.0.0.0:4600'], cliIO()),
    /refusing to listen on 0\.0\.0\.0:4600 without TLS: broker tokens, identity proofs and STS credentials would cross the network unencrypted\. Pass --tls-cert FILE --tls-key FILE, or --insecure/);
});

test('tidemark broker names a TLS file that is missing, not PEM, or does not match its key', async () => {
  const args = (cert: string, key: string) => ['--database', 'postgres://tidemark@db.invalid/tidemark', '--listen', '0.0.0.0:4600', '--tls-cert', cert, '--tls-key', key];
  await assert.rejects(runBroker(args('missing.crt', brokerCert.keyFile), cliIO()), /--tls-cert missing\.crt: cannot read it \(ENOENT\)/);
  await assert.rejects(runBroker(args(brokerCert.keyFile, brokerCert.keyFile), cliIO()), /no PEM certificate in it/);
  await assert.rejects(runBroker(args(brokerCert.certFile, otherCert.keyFile), cliIO()), /--tls-cert .*tidemark-test-broker\.crt \/ --tls-key .*someone-else\.key: .*key values mismatch/);
  await assert.rejects(runBroker(['--listen', '0.0.0.0:4600', '--tls-cert', brokerCert.certFile], cliIO()), /--tls-cert and --tls-key go together/);
});

test('the CLI trusts the broker with --ca FILE (relative to its directory), and names the problem without it', async () => {
  const keys = h.cloud.credentialsFor(h.alice.arn);
  const out: string[] = [];
  const io: CliIO = {
    cwd: dir, isTTY: false, out: (t) => out.push(t), err: () => undefined,
    env: { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_STS: h.cloud.stsEndpoint },
  };
  // The CLI signs with the real clock; the broker's manual clock follows it.
  const syncClock = () => h.clock.advance(Math.max(0, (Date.now() - h.clock.now().getTime()) / 1000));
  syncClock();
  assert.equal(await runGrants(['--broker', broker.url, '--ca', path.basename(brokerCert.certFile), '--json'], io), 0);
  assert.deepEqual(JSON.parse(out.join('')), []);
  syncClock();
  await assert.rejects(runGrants(['--broker', broker.url, '--json'], io), /presented a TLS certificate this client does not accept/);
});
