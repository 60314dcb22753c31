// Scenario files declare egress-only internet gateways, VPC endpoints and flow logs: the sandbox
// answers them through the real SDK, and a bad reference is an error naming the file, line and field.
import { DescribeEgressOnlyInternetGatewaysCommand, DescribeFlowLogsCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, ScenarioError } from '../../sandbox/src/index';
import { clientsFor, keyOf, startDemo } from './helpers';

const VPC = 'vpc-0a1b2c3d4e5f60718';

test('declared gateways, endpoints and flow logs are what EC2 describes', async () => {
  const { sandbox, scenario } = await startDemo({}, (s) => {
    s.egressOnlyInternetGateways = [{ id: 'eigw-0a1b2c3d4e5f60001', vpc: VPC, tags: { Name: 'v6' } }];
    s.vpcEndpoints = [{ id: 'vpce-0a1b2c3d4e5f60001', vpc: VPC, serviceName: 'com.amazonaws.us-east-1.s3' }];
    s.flowLogs = [{ id: 'fl-0a1b2c3d4e5f60001', resource: VPC, logGroupName: 'vpc-flow', role: 'arn:aws:iam::123456789012:role/flow-logs' }];
  });
  try {
    const ec2 = clientsFor(sandbox, keyOf(scenario, 'carol')).ec2;
    const gateways = (await ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({}))).EgressOnlyInternetGateways!;
    assert.deepEqual(gateways.map((g) => [g.EgressOnlyInternetGatewayId, g.Attachments![0]!.VpcId, g.Tags![0]!.Value]), [['eigw-0a1b2c3d4e5f60001', VPC, 'v6']]);
    const endpoints = (await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints!;
    assert.deepEqual(endpoints.map((e) => [e.VpcEndpointId, e.VpcEndpointType, e.State]), [['vpce-0a1b2c3d4e5f60001', 'Gateway', 'available']]);
    const logs = (await ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs!;
    assert.deepEqual(logs.map((l) => [l.FlowLogId, l.ResourceId, l.LogDestination]), [['fl-0a1b2c3d4e5f60001', VPC, 'arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow']]);
  } finally {
    await sandbox.stop();
  }
});

test('a flow log of an undeclared resource is an error naming the file, line and field', () => {
  const text = [
    'account: "123456789012"', 'region: us-east-1', 'vpcs:', `  - id: ${VPC}`, '    cidrBlock: 10.0.0.0/16', 'flowLogs:',
    '  - id: fl-0a1b2c3d4e5f60001', '    resource: vpc-0000000000000000f', '    logGroupName: x', '    role: arn:aws:iam::123456789012:role/r',
  ].join('\n');
  assert.throws(() => parseScenario(text, 'world.yaml'), (e: unknown) => e instanceof ScenarioError && /world\.yaml:8.*flowLogs\[0\]\.resource.*not a VPC or subnet/.test(e.message));
});
