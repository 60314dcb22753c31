// How the editor's `tidemark.aws.*` settings become the environment of the access side (identity
// proof and embedded broker): a table of cases for the pure accessEnv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessEnv } from '../../server/src/app/access-service';

const BASE: NodeJS.ProcessEnv = {
  PATH: '/usr/bin',
  AWS_ENDPOINT_URL: 'http://env-global:1',
  AWS_ENDPOINT_URL_STS: 'http://env-sts:2',
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
};

test('no settings: the environment as it is', () => {
  assert.deepEqual(accessEnv(BASE, {}), BASE);
});

test('the endpoint setting is the one endpoint for every service, over per-service variables and the opt-out', () => {
  const env = accessEnv(BASE, { endpoint: ' http://sandbox:4566 ' });
  assert.equal(env.AWS_ENDPOINT_URL, 'http://sandbox:4566');
  assert.equal(env.AWS_ENDPOINT_URL_STS, undefined);
  assert.equal(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, undefined);
  assert.equal(env.AWS_ACCESS_KEY_ID, 'AKIAEXAMPLE', 'keys stay');
});

test('region and profile settings win; a profile replaces keys from the environment', () => {
  const env = accessEnv(BASE, { region: 'us-west-2', profile: 'ops' });
  assert.equal(env.AWS_REGION, 'us-west-2');
  assert.equal(env.AWS_PROFILE, 'ops');
  assert.equal(env.AWS_ACCESS_KEY_ID, undefined);
  assert.equal(env.AWS_SECRET_ACCESS_KEY, undefined);
});

test('the team token is passed on; the input is never changed', () => {
  const before = { ...BASE };
  assert.equal(accessEnv(BASE, {}, 'tok').TIDEMARK_BROKER_TOKEN, 'tok');
  assert.deepEqual(BASE, before);
});
