// SigV4 pieces checked against the worked example in AWS's Signature Version 4 documentation
// (IAM ListUsers, 20150830T123600Z, AKIDEXAMPLE), plus the encoding rules and aws-chunked bodies.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAwsChunked } from '../../sandbox/src/auth/chunked';
import {
  EMPTY_SHA256, canonicalPath, canonicalQuery, canonicalRequest, chunkSignature, computeSignature, parseRawQuery, readClaim, sha256Hex, signingKey, uriEncode,
  type SignableRequest, type SignatureClaim,
} from '../../sandbox/src/auth/sigv4';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const request: SignableRequest = {
  method: 'GET', rawPath: '/', rawQuery: 'Action=ListUsers&Version=2010-05-08',
  headers: new Map([['content-type', ['application/x-www-form-urlencoded; charset=utf-8']], ['host', ['iam.amazonaws.com']], ['x-amz-date', ['20150830T123600Z']]]),
};
const claim: SignatureClaim = {
  form: 'header', accessKeyId: 'AKIDEXAMPLE', scopeDate: '20150830', region: 'us-east-1', service: 'iam',
  signedHeaders: ['content-type', 'host', 'x-amz-date'], signature: '', amzDate: '20150830T123600Z',
};

describe('SigV4 (AWS documentation example)', () => {
  it('builds the documented canonical request and its hash', () => {
    const canonical = canonicalRequest(request, claim, EMPTY_SHA256);
    assert.equal(canonical, [
      'GET', '/', 'Action=ListUsers&Version=2010-05-08',
      'content-type:application/x-www-form-urlencoded; charset=utf-8', 'host:iam.amazonaws.com', 'x-amz-date:20150830T123600Z', '',
      'content-type;host;x-amz-date', EMPTY_SHA256,
    ].join('\n'));
    assert.equal(sha256Hex(canonical), 'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
  });

  it('derives the documented signing key and signature', () => {
    assert.equal(signingKey(SECRET, '20150830', 'us-east-1', 'iam').toString('hex'), 'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
    assert.equal(computeSignature(SECRET, claim, canonicalRequest(request, claim, EMPTY_SHA256)), '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
  });

  it('reads the claim from the Authorization header', () => {
    const headers = new Map(request.headers);
    headers.set('authorization', ['AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7']);
    const read = readClaim({ ...request, headers }, new Map());
    assert.deepEqual([read?.accessKeyId, read?.service, read?.region, read?.signedHeaders], ['AKIDEXAMPLE', 'iam', 'us-east-1', ['content-type', 'host', 'x-amz-date']]);
    assert.throws(() => readClaim({ ...request, headers: new Map([['authorization', ['AWS4-HMAC-SHA256 Credential=x']]]) }, new Map()), /requires 'Credential', 'SignedHeaders' and 'Signature'/);
  });
});

describe('SigV4 encoding rules', () => {
  it('encodes RFC 3986 reserved characters and sorts query parameters by encoded name', () => {
    assert.equal(uriEncode("a b*c'(d)!~-_."), "a%20b%2Ac%27%28d%29%21~-_.");
    assert.equal(canonicalQuery(parseRawQuery('b=2&a=z%2By&a=x&c')), 'a=x&a=z%2By&b=2&c=');
  });

  it('normalises and double-encodes paths except for S3', () => {
    assert.equal(canonicalPath('/a/./b/../c%20d', 'ec2'), '/a/c%2520d');
    assert.equal(canonicalPath('/bucket/my%20key', 's3'), '/bucket/my%20key');
    assert.equal(canonicalPath('', 'sts'), '/');
  });
});

describe('aws-chunked bodies', () => {
  it('decodes signed chunks and trailers, and chains chunk signatures from the seed', () => {
    const seedClaim: SignatureClaim = { ...claim, service: 's3', signature: 'seed' };
    const data = Buffer.from('hello world');
    const sig1 = chunkSignature(SECRET, seedClaim, 'seed', data);
    const sig2 = chunkSignature(SECRET, seedClaim, sig1, Buffer.alloc(0));
    const body = Buffer.from(`${data.length.toString(16)};chunk-signature=${sig1}\r\nhello world\r\n0;chunk-signature=${sig2}\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n`);
    const decoded = decodeAwsChunked(body);
    assert.equal(decoded.body.toString(), 'hello world');
    assert.deepEqual(decoded.signatures, [sig1, sig2]);
    assert.equal(decoded.trailers.get('x-amz-checksum-crc32'), 'DUoRhQ==');
    assert.notEqual(sig1, chunkSignature(SECRET, seedClaim, 'other-seed', data));
    assert.throws(() => decodeAwsChunked(Buffer.from('zz\r\nabc')), /bad aws-chunked size/);
  });
});
