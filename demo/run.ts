// `npm run demo`: the story of drift, told against the embedded sandbox cloud in about 30 seconds.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, EC2Client, ModifyInstanceAttributeCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { startSandbox } from '../sandbox/src';
import { DemoPrincipal, DemoScenario } from './scenario-file';

const ROOT = path.resolve(__dirname, '../..');
const SCENARIO = path.join(ROOT, 'sandbox/scenarios/demo.yaml');
const PROJECT = 'examples/demo';
const tty = Boolean(process.stdout.isTTY);
const bold = (s: string) => (tty ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s);

function step(n: number, title: string): void {
  process.stdout.write(`\n${bold(`${n}. ${title}`)}\n`);
}

/**
 * Runs the real CLI in its own process, as a user would, with the read-only drift principal's
 * credentials. Asynchronously: the sandbox answering it lives in this process.
 */
function tidemark(args: string[], endpoint: string, who: DemoPrincipal, region: string): Promise<number> {
  process.stdout.write(dim(`$ tidemark ${args.join(' ')}`) + '\n');
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: who.accessKeyId,
      AWS_SECRET_ACCESS_KEY: who.secretAccessKey,
      AWS_REGION: region,
      AWS_PROFILE: '',
      AWS_SESSION_TOKEN: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

async function main(): Promise<number> {
  // Tidemark supports Node 20; the SDK's notice about its own future Node 22 requirement is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const scenario = new DemoScenario(SCENARIO);
  step(1, 'Start the sandbox cloud (AWS wire protocols on loopback)');
  const sandbox = await startSandbox(SCENARIO);
  process.stdout.write(`sandbox listening on ${sandbox.endpoint}\n`);
  try {
    const reader = scenario.principal('drift-reader');
    step(2, `Check ${PROJECT} against it: production matches the code`);
    const clean = await tidemark(['check', PROJECT], sandbox.endpoint, reader, scenario.region);
    if (clean !== 0) throw new Error(`the untouched sandbox should have no drift (exit ${clean})`);

    step(3, 'Someone fixes an incident by hand, as carol, through the AWS API (like a console click)');
    const carol = scenario.principal('carol');
    const credentials = { accessKeyId: carol.accessKeyId, secretAccessKey: carol.secretAccessKey };
    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: scenario.region, credentials });
    const s3 = new S3Client({ endpoint: sandbox.endpoint, region: scenario.region, credentials, forcePathStyle: true });
    const web = scenario.securityGroupNamed('tidemark-demo-web');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'debug ssh' }] }] }));
    process.stdout.write(`  opened port 22 to 0.0.0.0/0 on security group web (${web})\n`);
    const worker = scenario.instanceNamed('tidemark-demo-worker');
    await ec2.send(new StopInstancesCommand({ InstanceIds: [worker.id] }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: worker.id, InstanceType: { Value: 't3.large' } }));
    await ec2.send(new StartInstancesCommand({ InstanceIds: [worker.id] }));
    process.stdout.write(`  resized instance worker (${worker.id}) from ${worker.type} to t3.large\n`);
    const logs = scenario.bucket('tidemark-demo-logs');
    const removedKey = 'Team';
    const keptTags = Object.entries(logs.tags).filter(([k]) => k !== removedKey).map(([Key, Value]) => ({ Key, Value }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: logs.name, Tagging: { TagSet: keptTags } }));
    process.stdout.write(`  removed tag ${removedKey} from bucket ${logs.name}\n`);

    step(4, 'Check again: every drifted attribute, at its file:line');
    const drifted = await tidemark(['check', PROJECT], sandbox.endpoint, reader, scenario.region);
    if (drifted !== 2) throw new Error(`expected drift (exit 2), got exit ${drifted}`);

    step(5, 'See it in VS Code');
    process.stdout.write(
      [
        `  Start the sandbox:   npx tidemark sandbox --scenario sandbox/scenarios/demo.yaml --port 4510`,
        `  Open ${PROJECT} with the Tidemark extension and set`,
        `    "tidemark.aws.endpoint": "http://127.0.0.1:4510"`,
        `  with the drift-reader keys of the scenario in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.`,
        `  Drifted attributes are squiggled; hover shows declared vs live; the lightbulb offers`,
        `  Adopt live value, Revert live resource, Ignore, and Import.`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await sandbox.stop();
  }
}

main().then(
  (code) => { process.exitCode = code; },
  (error) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
