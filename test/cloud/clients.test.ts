// createClients makes each SDK client the first time it is used, once: a workspace that reads only S3
// never makes (and, in the bundle, never loads) the EC2 client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client } from '@aws-sdk/client-s3';
import { createClients } from '../../server/src/cloud/clients';

test('each client is made on first use and then reused; the plain fields are plain', async () => {
  const clients = await createClients({ region: 'eu-west-1', endpoints: {} }, { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  assert.equal(clients.region, 'eu-west-1');
  const ec2 = Object.getOwnPropertyDescriptor(clients, 'ec2');
  assert.ok(ec2?.get && !('value' in ec2), 'ec2 is made on first use');
  assert.ok(clients.s3 instanceof S3Client);
  assert.equal(clients.s3, clients.s3, 'made once');
  assert.equal(await clients.s3.config.region(), 'eu-west-1');
  assert.equal(await clients.route53.config.region(), 'us-east-1', 'global services keep their region');
});
