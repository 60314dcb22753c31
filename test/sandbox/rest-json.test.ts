// The generic REST-JSON layer (pure): route matching by method and path template, label decoding,
// the most specific template first, wrong methods and bad input as the service's own errors, and
// the error rendering the SDK reads (code in x-amzn-ErrorType).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../sandbox/src/errors';
import { RestJsonRouter, RestQuery, parseRestJsonBody, renderRestJsonError, type RestJsonRoute } from '../../sandbox/src/protocol/rest-json';

const ok = () => ({});
const routes: RestJsonRoute<null>[] = [
  { method: 'GET', path: '/2015-03-31/functions', operation: 'ListFunctions', status: 200, handler: ok },
  { method: 'GET', path: '/2015-03-31/functions/{FunctionName}', operation: 'GetFunction', status: 200, handler: ok },
  { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/configuration', operation: 'GetFunctionConfiguration', status: 200, handler: ok },
  { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}', operation: 'GetAlias', status: 200, handler: ok },
  { method: 'DELETE', path: '/2015-03-31/functions/{FunctionName}/policy/{StatementId}', operation: 'RemovePermission', status: 204, handler: ok },
  { method: 'GET', path: '/2019-09-25/functions/{FunctionName}/event-invoke-config', operation: 'GetConfig', status: 200, handler: ok },
  { method: 'GET', path: '/2019-09-25/functions/{FunctionName}/event-invoke-config/list', operation: 'ListConfigs', status: 200, handler: ok },
];
const router = new RestJsonRouter(routes);
const notAllowed = (m: string) => new ApiError('MethodNotAllowed', m, 405);
const op = (method: string, path: string) => router.match(method, path, notAllowed)?.route.operation;

test('a path picks its operation by method and template; labels are percent-decoded', () => {
  assert.equal(op('GET', '/2015-03-31/functions'), 'ListFunctions');
  assert.equal(op('GET', '/2015-03-31/functions/'), 'ListFunctions', 'a trailing slash is accepted');
  assert.equal(op('GET', '/2015-03-31/functions/orders/configuration'), 'GetFunctionConfiguration');
  const arn = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
  const m = router.match('GET', `/2015-03-31/functions/${encodeURIComponent(arn)}/aliases/live`, notAllowed);
  assert.deepEqual(m?.path, { FunctionName: arn, Name: 'live' });
  assert.deepEqual(router.match('DELETE', '/2015-03-31/functions/orders/policy/Allow%20SNS', notAllowed)?.path, { FunctionName: 'orders', StatementId: 'Allow SNS' });
});

test('the literal template wins over a label at the same place', () => {
  assert.equal(op('GET', '/2019-09-25/functions/orders/event-invoke-config/list'), 'ListConfigs');
  assert.equal(op('GET', '/2019-09-25/functions/orders/event-invoke-config'), 'GetConfig');
});

test('an unknown path matches nothing; a known path under another method is the not-allowed error; bad encoding is refused', () => {
  assert.equal(op('GET', '/2015-03-31/nothing-here'), undefined);
  assert.equal(op('GET', '/2015-03-31/functions/a/b/c/d'), undefined, 'a label never spans segments');
  assert.throws(() => router.match('PATCH', '/2015-03-31/functions/orders', notAllowed), (e: ApiError) => e.code === 'MethodNotAllowed' && /PATCH/.test(e.message));
  assert.throws(() => router.match('GET', '/2015-03-31/functions/%E0%A4%A', notAllowed), (e: ApiError) => e.code === 'MethodNotAllowed' && /percent-encoding/.test(e.message));
});

test('query parameters repeat; integers are checked; bodies must be JSON objects', () => {
  const q = new RestQuery([['tagKeys', 'a'], ['tagKeys', 'b'], ['MaxItems', '10'], ['Marker', 'x']]);
  assert.deepEqual(q.all('tagKeys'), ['a', 'b']);
  assert.equal(q.int('MaxItems', (m) => new ApiError('Invalid', m)), 10);
  assert.throws(() => new RestQuery([['MaxItems', 'ten']]).int('MaxItems', (m) => new ApiError('Invalid', m)), /not an integer/);
  const invalid = (m: string) => new ApiError('InvalidRequestContentException', m);
  assert.deepEqual(parseRestJsonBody(Buffer.from(''), invalid), {});
  assert.deepEqual(parseRestJsonBody(Buffer.from('{"MemorySize":256}'), invalid), { MemorySize: 256 });
  assert.throws(() => parseRestJsonBody(Buffer.from('{nope'), invalid), (e: ApiError) => e.code === 'InvalidRequestContentException');
  assert.throws(() => parseRestJsonBody(Buffer.from('[1]'), invalid), (e: ApiError) => e.code === 'InvalidRequestContentException');
});

test('an error carries its code in x-amzn-ErrorType and the body the service shapes', () => {
  const r = renderRestJsonError(new ApiError('ResourceNotFoundException', 'Function not found: x', 404), { Type: 'User', Message: 'Function not found: x' });
  assert.equal(r.status, 404);
  assert.equal(r.headers['x-amzn-ErrorType'], 'ResourceNotFoundException');
  assert.deepEqual(JSON.parse(r.body), { Type: 'User', Message: 'Function not found: x' });
});
