// Scopes of the application types, enforced by the sandbox as AWS would: the session policy built
// from a scope lets the credentials change the scoped secret, table and zone, and refuses the
// neighbouring ones of the same type (reads stay possible). Real SDK clients, real AssumeRole.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateSecretCommand, SecretsManagerClient, UpdateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { SandboxHandle } from '../../sandbox/src/index';
import { packSessionPolicy, resolveScope, scopeStatements } from '../../server/src/access/scope';
import { inst } from '../support/type-suite';
import { keyOf, startDemo } from '../sandbox/helpers';

const SERVICES = ['secretsmanager:*', 'dynamodb:*', 'route53:*'];
let sandbox: SandboxHandle;
let account = '';
let carol: { accessKeyId: string; secretAccessKey: string };
const arns = { secret: '', otherSecret: '', table: '', otherTable: '' };
const zones = { scoped: '', other: '' };

const common = () => ({ endpoint: sandbox.endpoint, region: sandbox.region, maxAttempts: 1 });

before(async () => {
  const started = await startDemo({}, (s) => {
    const user = s.users!.find((u) => u.name === 'carol')!;
    user.policies = {
      ...user.policies,
      'scope-test': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [...SERVICES, 'sts:AssumeRole'], Resource: '*' }] },
    };
    s.roles = [...(s.roles ?? []), {
      name: 'app-operator',
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${s.account}:user/carol` }, Action: 'sts:AssumeRole' }] },
      policies: { operate: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: SERVICES, Resource: '*' }] } },
    }];
  });
  sandbox = started.sandbox;
  account = started.scenario.account;
  carol = keyOf(started.scenario, 'carol');
  const sm = new SecretsManagerClient({ ...common(), credentials: carol });
  arns.secret = (await sm.send(new CreateSecretCommand({ Name: 'prod/db', SecretString: 'x' }))).ARN!;
  arns.otherSecret = (await sm.send(new CreateSecretCommand({ Name: 'prod/payments', SecretString: 'y' }))).ARN!;
  const ddb = new DynamoDBClient({ ...common(), credentials: carol });
  for (const name of ['orders', 'payments']) {
    const made = await ddb.send(new CreateTableCommand({
      TableName: name, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }));
    if (name === 'orders') arns.table = made.TableDescription!.TableArn!;
    else arns.otherTable = made.TableDescription!.TableArn!;
  }
  const r53 = new Route53Client({ ...common(), credentials: carol });
  zones.scoped = (await r53.send(new CreateHostedZoneCommand({ Name: 'app.example.com', CallerReference: 'scope-a' }))).HostedZone!.Id!.replace('/hostedzone/', '');
  zones.other = (await r53.send(new CreateHostedZoneCommand({ Name: 'pay.example.com', CallerReference: 'scope-b' }))).HostedZone!.Id!.replace('/hostedzone/', '');
});

after(async () => {
  await sandbox?.stop();
});

async function denied(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    return (error as Error).name;
  }
  return 'allowed';
}

test('a scope of a secret, a table and a DNS record: those change, their neighbours are refused, reads still work', async () => {
  const state = [
    inst('aws_secretsmanager_secret', 'db', { id: arns.secret, arn: arns.secret, name: 'prod/db' }),
    inst('aws_dynamodb_table', 'orders', { id: 'orders', arn: arns.table, name: 'orders' }),
    inst('aws_route53_record', 'www', { id: `${zones.scoped}_www.app.example.com_A`, zone_id: zones.scoped, name: 'www.app.example.com', type: 'A' }),
  ];
  const scope = resolveScope(state.map((i) => i.address), state);
  assert.deepEqual(scope.map((r) => r.arn), [arns.secret, arns.table, `arn:aws:route53:::hostedzone/${zones.scoped}`]);
  const policy = packSessionPolicy(scopeStatements(scope));

  const sts = new STSClient({ ...common(), credentials: carol });
  const assumed = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/app-operator`, RoleSessionName: 'scope-test', Policy: policy }))).Credentials!;
  const credentials = { accessKeyId: assumed.AccessKeyId!, secretAccessKey: assumed.SecretAccessKey!, sessionToken: assumed.SessionToken! };
  const sm = new SecretsManagerClient({ ...common(), credentials });
  const ddb = new DynamoDBClient({ ...common(), credentials });
  const r53 = new Route53Client({ ...common(), credentials });
  const record = (zone: string, name: string) => new ChangeResourceRecordSetsCommand({
    HostedZoneId: zone,
    ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: name, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.10' }] } }] },
  });

  assert.equal(await denied(sm.send(new UpdateSecretCommand({ SecretId: arns.secret, Description: 'rotated' }))), 'allowed');
  assert.equal(await denied(sm.send(new UpdateSecretCommand({ SecretId: arns.otherSecret, Description: 'rotated' }))), 'AccessDeniedException');
  const ttl = (table: string) => new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } });
  assert.equal(await denied(ddb.send(ttl('orders'))), 'allowed');
  assert.equal(await denied(ddb.send(ttl('payments'))), 'AccessDeniedException');
  assert.equal(await denied(ddb.send(new DescribeTableCommand({ TableName: 'payments' }))), 'allowed', 'reads on * stay possible');
  assert.equal(await denied(r53.send(record(zones.scoped, 'www.app.example.com'))), 'allowed');
  assert.equal(await denied(r53.send(record(zones.other, 'www.pay.example.com'))), 'AccessDenied');
});
