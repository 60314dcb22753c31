// Unmanaged members of managed containers: a rule opened by hand on a security group whose rules
// are standalone resources is reported on the group (error when open to the world), can be
// imported (rule resource + import block) or revoked, and a fresh read is then clean.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, EC2Client } from '@aws-sdk/client-ec2';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import type { Drift } from '../../server/src/model';
import { checkRoot } from '../support/root-check';
import { repoRoot } from '../support/lsp-client';
import { keyOf as scenarioKey } from '../sandbox/helpers';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const sg = (name: string) => scenario.securityGroups!.find((g) => g.name === name)!.id;

let sandbox: SandboxHandle;
let dir: string;
let ec2: EC2Client;

const check = () => checkRoot(dir, sandbox, scenarioKey(scenario, 'carol'));

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: scenarioKey(scenario, 'carol') });
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-members-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a port opened by hand on a group managed by standalone rules is an unmanaged rule on the group', async () => {
  const db = sg('tidemark-demo-db');
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  const { module, drifts } = await check();
  assert.equal(drifts.length, 1, drifts.map((d) => `${d.kind} ${d.address}`).join('\n'));
  const [drift] = drifts;
  assert.equal(drift.kind, 'unmanaged');
  assert.equal(drift.resourceType, 'aws_vpc_security_group_ingress_rule');
  assert.equal(drift.severity, 'error', 'open to 0.0.0.0/0');
  assert.equal(path.basename(drift.file), 'network.tf');
  assert.equal(drift.range.start.line, 75, 'anchored on resource "aws_security_group" "db"');
  assert.match(drift.note ?? '', /tcp 22 from 0\.0\.0\.0\/0/);
  assert.match(drift.note ?? '', /aws_security_group\.db/);

  const hcl = module.importHcl(drift.liveId);
  assert.ok(hcl, 'Import offers HCL');
  assert.match(hcl!, /import \{\n  to = aws_vpc_security_group_ingress_rule\.\w+\n  id = "sgr-[0-9a-f]+"\n\}/);
  assert.match(hcl!, new RegExp(`security_group_id = "${db}"`));
  assert.match(hcl!, /from_port = 22/);
  assert.match(hcl!, /cidr_ipv4 = "0\.0\.0\.0\/0"/);

  const outcome = await module.revert(drift);
  assert.ok(outcome.ok, outcome.message);
  const after = await check();
  assert.deepEqual(after.drifts.map((d) => `${d.kind} ${d.address}`), [], 'the revoked rule is gone');
});
