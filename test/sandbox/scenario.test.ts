// Scenario loading: the demo file is valid; mistakes are reported with file, line and field path;
// large generated scenarios load in one pass.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { ScenarioError, loadScenarioFile, parseScenario, startSandbox, validateScenario, type Scenario } from '../../sandbox/src/index';
import { DEMO_SCENARIO, clientsFor, keyOf } from './helpers';
import { fakeKeyId } from '../support/fake-keys';

describe('scenario files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-scenario-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the demo scenario', () => {
    const s = loadScenarioFile(DEMO_SCENARIO);
    assert.equal(s.account, '123456789012');
    assert.deepEqual(s.users!.map((u) => u.name), ['alice', 'bob', 'carol', 'tidemark-broker', 'drift-reader']);
    assert.deepEqual(s.roles!.map((r) => r.name), ['prod-operator', 'app-role']);
  });

  const problems: { name: string; yaml: string; message: RegExp }[] = [
    { name: 'unquoted account number', yaml: 'account: 12345\nregion: us-east-1\n', message: /x\.yaml:1: account: '12345' is not valid \(12 digits, quoted in YAML\)/ },
    { name: 'unknown top-level field', yaml: 'account: "123456789012"\nregion: us-east-1\ninstance:\n  - id: i-1\n', message: /x\.yaml:3: instance: unknown field/ },
    { name: 'bad access key id', yaml: 'account: "123456789012"\nregion: us-east-1\nusers:\n  - name: a\n    accessKeys:\n      - id: NOTAKEY\n        secret: aaaaaaaaaaaaaaaaaaaa\n', message: /x\.yaml:6: users\[0\]\.accessKeys\[0\]\.id: 'NOTAKEY' is not valid/ },
    { name: 'subnet in an undeclared VPC', yaml: 'account: "123456789012"\nregion: us-east-1\nsubnets:\n  - id: subnet-0123abcd\n    vpc: vpc-0123abcd\n    cidrBlock: 10.0.0.0/24\n', message: /x\.yaml:5: subnets\[0\]\.vpc: VPC 'vpc-0123abcd' is not declared/ },
    { name: 'rule without ports', yaml: 'account: "123456789012"\nregion: us-east-1\nvpcs:\n  - { id: vpc-0123abcd, cidrBlock: 10.0.0.0/16 }\nsecurityGroups:\n  - id: sg-0123abcd\n    name: x\n    vpc: vpc-0123abcd\n    ingress:\n      - { protocol: tcp, cidr: 0.0.0.0/0 }\n', message: /x\.yaml:10: securityGroups\[0\]\.ingress\[0\]: protocol tcp needs fromPort and toPort/ },
    { name: 'policy without Statement', yaml: 'account: "123456789012"\nregion: us-east-1\nroles:\n  - name: r\n    trustPolicy:\n      Version: "2012-10-17"\n', message: /x\.yaml:5: roles\[0\]\.trustPolicy\.Statement: a policy document needs a Statement/ },
    { name: 'YAML syntax error', yaml: 'account: "123456789012"\nregion: [us-east-1\n', message: /x\.yaml:\d+: not valid YAML/ },
  ];
  for (const p of problems) {
    it(`reports ${p.name} with file, line and field`, () => {
      const file = path.join(dir, 'x.yaml');
      writeFileSync(file, p.yaml);
      assert.throws(() => loadScenarioFile(file), (err: Error) => {
        assert.ok(err instanceof ScenarioError, `expected ScenarioError, got ${err.name}`);
        assert.match(err.message, p.message);
        return true;
      });
    });
  }

  it('names a missing file', () => {
    assert.throws(() => loadScenarioFile(path.join(dir, 'missing.yaml')), /missing\.yaml: cannot read scenario file: ENOENT/);
  });

  it('validates programmatic scenarios the same way', () => {
    assert.throws(() => validateScenario({ account: '123456789012', region: 'us-east-1', buckets: [{ name: 'Bad_Name' }] } as unknown as Scenario), /buckets\[0\]\.name: 'Bad_Name' is not valid/);
  });

  it('loads a generated 10,000-instance JSON scenario and pages through it', async () => {
    const scenario: Scenario = {
      account: '123456789012', region: 'us-east-1',
      users: [{ name: 'reader', accessKeys: [{ id: fakeKeyId('AKIA'), secret: 'generated-reader-secret-000' }], policies: { r: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ec2:Describe*', 'tag:Get*'], Resource: '*' }] } } }],
      vpcs: [{ id: 'vpc-0123456789abcdef0', cidrBlock: '10.0.0.0/16' }],
      subnets: [{ id: 'subnet-0123456789abcdef0', vpc: 'vpc-0123456789abcdef0', cidrBlock: '10.0.0.0/16' }],
      instances: Array.from({ length: 10_000 }, (_, n) => ({ id: `i-${n.toString(16).padStart(17, '0')}`, type: 't3.micro', ami: 'ami-0123456789abcdef0', subnet: 'subnet-0123456789abcdef0', tags: { N: String(n) } })),
    };
    const file = path.join(dir, 'big.json');
    writeFileSync(file, JSON.stringify(scenario));
    assert.equal(parseScenario(JSON.stringify(scenario), file).instances!.length, 10_000);
    const sandbox = await startSandbox(file);
    try {
      const c = clientsFor(sandbox, keyOf(scenario, 'reader'));
      const page = await c.ec2.send(new DescribeInstancesCommand({ MaxResults: 1000 }));
      assert.equal(page.Reservations!.length, 1000);
      assert.ok(page.NextToken);
      const tagged = await c.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['ec2:instance'], ResourcesPerPage: 100 }));
      assert.equal(tagged.ResourceTagMappingList!.length, 100);
      assert.notEqual(tagged.PaginationToken, '');
    } finally {
      await sandbox.stop();
    }
  });
});
