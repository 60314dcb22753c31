// `npm run demo`: the whole Tidemark story against the embedded sandbox cloud, in about a minute.
// Drift in the code, temporary access with approval, changes made under the grant, attribution,
// adoption, automatic revert when the grant expires, an unauthorized change, and the audit chain.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { startSandbox } from '../sandbox/src';
import type { Broker } from '../server/src/access/broker';
import { envProofSource } from '../server/src/access/proof-source';
import type { Grant } from '../server/src/model';
import { connectBroker, EmbeddedBroker } from '../server/src/app/broker-runtime';
import { Background, bold, dim, personEnv, ROOT, Terminal, tidemark, tidemarkInBackground } from './cli';
import { FastForwardClock } from './clock';
import { startWebhookReceiver, WebhookReceiver } from './webhook-receiver';
import { DemoScenario } from './scenario-file';

const SCENARIO = path.join(ROOT, 'sandbox/scenarios/demo.yaml');
const GRANT_MINUTES = 2;
/** The demo's webhook key (a real one lives in a secret store and reaches `tidemark watch` by env). */
const WEBHOOK_SECRET = 'demo-webhook-secret';

let stepNo = 0;
function step(title: string): void {
  process.stdout.write(`\n${bold(`${++stepNo}. ${title}`)}\n`);
}
function say(text: string): void {
  process.stdout.write(`  ${text}\n`);
}
function expect(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

async function untilExists(file: string, timeoutMs: number): Promise<void> {
  for (const start = Date.now(); !existsSync(file); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() - start > timeoutMs) throw new Error(`${file} did not appear within ${timeoutMs / 1000} s`);
  }
}

/** Activation (AssumeRole) runs right after the approval; the story waits for it. */
async function untilActive(broker: Broker, id: string): Promise<Grant> {
  for (let i = 0; i < 100; i++) {
    const g = await broker.get(id);
    if (g.state === 'active') return g;
    if (g.state !== 'approved') throw new Error(`grant ${id} is ${g.state}, not active`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`grant ${id} did not become active within 10 s`);
}

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const scenario = new DemoScenario(SCENARIO);
  const [alice, bob, carol, reader, brokerUser] = ['alice', 'bob', 'carol', 'drift-reader', 'tidemark-broker'].map((n) => scenario.principal(n));
  const clock = new FastForwardClock();
  // alice works with the real aws CLI in the recorded shell: say so up front if it is missing.
  if (spawnSync('aws', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('the demo drives the real aws CLI inside `tidemark shell`; install it first (Debian/Ubuntu: sudo apt-get install awscli)');
  }

  step('Start the sandbox cloud (AWS wire protocols on loopback) and copy examples/demo to a scratch folder');
  const sandbox = await startSandbox(SCENARIO);
  const workspace = mkdtempSync(path.join(tmpdir(), 'tidemark-demo-'));
  cpSync(path.join(ROOT, 'examples/demo'), workspace, { recursive: true });
  const t: Terminal = { endpoint: sandbox.endpoint, region: scenario.region, cwd: workspace };
  say(`sandbox ${sandbox.endpoint}, workspace ${workspace}`);
  let broker: EmbeddedBroker | undefined;
  let watch: Background | undefined;
  let hook: WebhookReceiver | undefined;
  try {
    step('The code and production agree');
    expect((await tidemark(t, reader, ['check'])).code === 0, 'the untouched sandbox should have no drift');

    step(`Start this workspace's access broker (policy: .tidemark/policy.cedar, its own AWS identity)`);
    const brokerEnv = personEnv(t, brokerUser);
    broker = await connectBroker({ cwd: workspace, env: brokerEnv, proofs: envProofSource(brokerEnv), clock, scheduler: clock, log: (line) => { if (process.env.TIDEMARK_DEMO_DEBUG) process.stderr.write(`broker: ${line}\n`); } });
    const runtime = broker.runtime;
    expect(Boolean(runtime), 'the demo owns the embedded broker');
    runtime!.broker.subscribe((e) => {
      if (e.type === 'alert') say(`${bold('ALERT')} ${e.message}`);
    });
    say(`broker listening on ${broker.url}; the CLI below finds it through .tidemark/`);

    step(`alice asks for prod-operator for ${GRANT_MINUTES} minutes, scoped to the web security group and the worker; bob approves what he sees`);
    const scope = ['--scope', 'aws_security_group.web', '--scope', 'aws_instance.worker'];
    const requested = await tidemark(t, alice, ['request', 'prod-operator', '--duration', `${GRANT_MINUTES}m`, '--reason', 'INC-4711: web tier cannot reach the worker', '--ticket', 'INC-4711', ...scope, '--json'], { quiet: true });
    expect(requested.code === 0, `request failed: ${requested.out}`);
    const grantId = (JSON.parse(requested.out) as { id: string }).id;
    say(`alice$ tidemark request prod-operator --duration ${GRANT_MINUTES}m --reason "INC-4711: …" --ticket INC-4711 ${scope.join(' ')}`);
    say(`grant ${grantId} pending`);
    expect((await tidemark(t, alice, ['approve', grantId])).code !== 0, 'self-approval must be refused');
    expect((await tidemark(t, bob, ['approve', grantId, '--comment', 'go ahead'])).code === 0, 'bob approves');
    const active = await untilActive(runtime!.broker, grantId);
    say(`grant ${grantId} active until ${active.endsAt}: STS credentials for alice only, in memory`);

    step('alice works in `tidemark shell` with the aws CLI: every command is recorded under the grant');
    const web = scenario.securityGroupNamed('tidemark-demo-web');
    const worker = scenario.instanceNamed('tidemark-demo-worker');
    const webInstance = scenario.instanceNamed('tidemark-demo-web');
    const aws = `aws --endpoint-url ${sandbox.endpoint}`;
    const typed = [
      // Outside the scope: AWS itself refuses (UnauthorizedOperation); the grant's log says why.
      `${aws} ec2 stop-instances --instance-ids ${webInstance.id} --output text`,
      `${aws} ec2 authorize-security-group-ingress --group-id ${web} --protocol tcp --port 22 --cidr 0.0.0.0/0 --output text`,
      `${aws} ec2 stop-instances --instance-ids ${worker.id} --output text`,
      `${aws} ec2 modify-instance-attribute --instance-id ${worker.id} --instance-type t3.large`,
      `${aws} ec2 start-instances --instance-ids ${worker.id} --output text`,
      'exit',
    ];
    for (const line of typed.slice(0, -1)) say(dim(`(${grantId}) $ ${line.replace(` --endpoint-url ${sandbox.endpoint}`, '')}`));
    const shell = await tidemark(t, alice, ['shell', grantId], { input: typed.join('\n') + '\n', quiet: true, extraEnv: { SHELL: '/bin/bash' } });
    expect(shell.code === 0, `the shell failed: ${shell.out}`);

    step('Check again: the drift is attributed to alice\'s grant');
    expect((await tidemark(t, reader, ['check'])).code === 2, 'the changes are drift');

    step('alice adopts the new instance type into the code (the editor\'s "Adopt live value")');
    const tfvars = path.join(workspace, 'terraform.tfvars');
    writeFileSync(tfvars, readFileSync(tfvars, 'utf8').replace(/worker_instance_type\s*=\s*"[^"]*"/, 'worker_instance_type = "t3.large"'));
    say('terraform.tfvars: worker_instance_type = "t3.large"');

    step(`${GRANT_MINUTES} minutes later the grant expires: what was not adopted is reverted`);
    clock.forward(GRANT_MINUTES * 60 + 1);
    await runtime!.broker.tick();
    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: scenario.region, credentials: { accessKeyId: reader.accessKeyId, secretAccessKey: reader.secretAccessKey } });
    const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [web] }))).SecurityGroups?.[0];
    const port22 = (group?.IpPermissions ?? []).some((p) => p.FromPort === 22);
    const type = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [worker.id] }))).Reservations?.[0]?.Instances?.[0]?.InstanceType;
    say(`security group web: port 22 ${port22 ? 'still open' : 'closed again (reverted)'}; worker: ${type} (adopted, kept)`);
    expect(!port22, 'the port-22 rule should have been reverted');
    expect(type === 't3.large', 'the adopted instance type should be kept');
    const log = await tidemark(t, alice, ['log', grantId]);
    expect(log.out.includes("StopInstances") && log.out.includes("denied: outside the grant's scope"), 'the call outside the scope is denied and on the log');
    expect((await tidemark(t, reader, ['check'])).code === 0, 'after the revert and the adoption, code and production agree');

    step('carol changes production without any grant: an error-level alert, also to a webhook');
    hook = await startWebhookReceiver(WEBHOOK_SECRET);
    // The watcher's first poll is a full read that later polls compare with; its cursor file says it is done.
    watch = tidemarkInBackground(t, reader, ['watch', '--interval', '1s', '--webhook', hook.url], { extraEnv: { TIDEMARK_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    await untilExists(path.join(workspace, '.tidemark', 'watch-state.json'), 60_000);
    const s3 = new S3Client({ endpoint: sandbox.endpoint, region: scenario.region, credentials: { accessKeyId: carol.accessKeyId, secretAccessKey: carol.secretAccessKey }, forcePathStyle: true });
    const logs = scenario.bucket('tidemark-demo-logs');
    await s3.send(new PutBucketTaggingCommand({ Bucket: logs.name, Tagging: { TagSet: Object.entries(logs.tags).filter(([k]) => k !== 'Team').map(([Key, Value]) => ({ Key, Value })) } }));
    say(`carol removed tag Team from bucket ${logs.name} with her own keys`);
    const delivered = await hook.next((d) => d.alert.severity === 'error', 60_000);
    say(`webhook received (HMAC signature verified): ${delivered.alert.severity.toUpperCase()} ${delivered.alert.kind}: ${delivered.alert.message}`);
    if (delivered.alert.attribution) say(`  ${delivered.alert.attribution.summary}`);
    expect((await watch.stop()) === 0, 'tidemark watch stops cleanly on Ctrl-C');
    watch = undefined;
    expect((await tidemark(t, reader, ['check'])).code === 2, 'the unauthorized change is drift');

    step('The audit chain is intact');
    expect((await tidemark(t, bob, ['audit', 'verify'])).code === 0, 'audit verify passes');

    step('See it in VS Code');
    say('In VS Code with the Tidemark extension, run "Tidemark: Start the Sandbox Cloud",');
    say('then "Tidemark: Open the Demo Project" (or follow the walkthrough "Try Tidemark on the sandbox"');
    say('under Help: Welcome): drifted attributes are squiggled, hover shows who changed them under which');
    say('grant, and the Access view requests, approves and opens grant terminals.');
    return 0;
  } finally {
    await watch?.stop();
    await hook?.close();
    await broker?.client.close().catch(() => undefined);
    await sandbox.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
