// Instance descriptions carry the fields EC2 always returns (what Terraform's provider reads on a
// refresh): public DNS and the interface's association, CPU, maintenance and private-DNS options,
// and the metadata options as requested at launch or changed later.
import { DescribeInstancesCommand, ModifyInstanceMetadataOptionsCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoAsCarol, failure } from './helpers';

describe('EC2 instance descriptions', () => {
  const demo = demoAsCarol();

  const describeOne = async (id: string) => (await demo.carol.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;

  it('honours the requested metadata options and reports CPU, maintenance and private-DNS options', async () => {
    const subnet = demo.scenario.subnets![0]!.id;
    const run = await demo.carol.ec2.send(new RunInstancesCommand({
      ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.large', MinCount: 1, MaxCount: 1,
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet, PrivateIpAddress: '10.0.1.77' }],
      MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 1 },
    }));
    const i = await describeOne(run.Instances![0]!.InstanceId!);
    assert.equal(i.SubnetId, subnet);
    assert.equal(i.PrivateIpAddress, '10.0.1.77');
    assert.deepEqual([i.MetadataOptions!.HttpTokens, i.MetadataOptions!.HttpPutResponseHopLimit, i.MetadataOptions!.HttpEndpoint], ['optional', 1, 'enabled']);
    assert.deepEqual([i.CpuOptions!.CoreCount, i.CpuOptions!.ThreadsPerCore], [1, 2]);
    assert.equal(i.MaintenanceOptions!.AutoRecovery, 'default');
    assert.equal(i.PrivateDnsNameOptions!.HostnameType, 'ip-name');
    assert.equal(i.NetworkInterfaces![0]!.PrivateDnsName, 'ip-10-0-1-77.ec2.internal');

    await demo.carol.ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: i.InstanceId, HttpTokens: 'required' }));
    assert.equal((await describeOne(i.InstanceId!)).MetadataOptions!.HttpTokens, 'required');
    const bad = new ModifyInstanceMetadataOptionsCommand({ InstanceId: i.InstanceId, HttpPutResponseHopLimit: 99 });
    assert.equal((await failure(demo.carol.ec2.send(bad))).name, 'InvalidParameterValue');
  });

  it('gives an instance with a public address its public DNS name and interface association', async () => {
    const declared = demo.scenario.instances!.find((x) => x.publicIp);
    assert.ok(declared, 'the demo has an instance with a public address');
    const i = await describeOne(declared!.id);
    const dns = `ec2-${declared!.publicIp!.replace(/\./g, '-')}.compute-1.amazonaws.com`;
    assert.equal(i.PublicDnsName, dns);
    assert.deepEqual(i.NetworkInterfaces![0]!.Association, { PublicIp: declared!.publicIp, PublicDnsName: dns, IpOwnerId: 'amazon' });
  });
});
