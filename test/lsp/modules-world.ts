// The modules scenario with two hand-made changes the editor tests look for: the child module's
// instance (modules/app/main.tf) resized, and a tag added to the installed network module's subnet.
import path from 'node:path';
import { CreateTagsCommand, EC2Client, ModifyInstanceAttributeCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { loadScenarioFile, type SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { repoRoot } from '../support/lsp-client';
import { keyOf } from '../sandbox/helpers';

export const MODULES_SCENARIO = path.join(repoRoot, 'sandbox/scenarios/modules.yaml');

/** A sandbox on the modules scenario, with carol's two changes made through the SDK. */
export async function startDriftedModulesSandbox(): Promise<SandboxHandle> {
  const sandbox = await startSandbox(MODULES_SCENARIO);
  const carol = keyOf(loadScenarioFile(MODULES_SCENARIO), 'carol');
  const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: carol });
  try {
    await ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0b1c2d3e4f5a60c02'] }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: 'i-0b1c2d3e4f5a60c02', InstanceType: { Value: 't3.large' } }));
    await ec2.send(new StartInstancesCommand({ InstanceIds: ['i-0b1c2d3e4f5a60c02'] }));
    await ec2.send(new CreateTagsCommand({ Resources: ['subnet-0b1c2d3e4f5a6000a'], Tags: [{ Key: 'Tier', Value: 'dmz' }] }));
    return sandbox;
  } catch (e) {
    await sandbox.stop();
    throw e;
  } finally {
    ec2.destroy();
  }
}
