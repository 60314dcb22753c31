// aws_flow_log, aws_vpc_endpoint, aws_vpc_peering_connection and its accepter against the sandbox
// through the real SDK (the per-type contract of test/support/type-suite).
import {
  AcceptVpcPeeringConnectionCommand, CreateFlowLogsCommand, CreateTagsCommand, CreateVpcCommand, CreateVpcEndpointCommand, CreateVpcPeeringConnectionCommand,
  DeleteFlowLogsCommand, DeleteVpcEndpointsCommand, DeleteVpcPeeringConnectionCommand, DescribeRouteTablesCommand, EC2Client, ModifyVpcEndpointCommand,
  ModifyVpcPeeringConnectionOptionsCommand,
} from '@aws-sdk/client-ec2';
import { inst, typeSuite } from '../support/type-suite';

let ec2: EC2Client;
const ids = { vpc: '', peer: '', table: '', flowLog: '', endpoint: '', peering: '' };
const ROLE = 'arn:aws:iam::123456789012:role/flow-logs';
const FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';
const FULL_ACCESS = '{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2008-10-17"}';
const spec = (ResourceType: string, Name: string) => [{ ResourceType, Tags: [{ Key: 'Name', Value: Name }] }] as never;
const arn = (type: string, id: string) => `arn:aws:ec2:us-east-1:123456789012:${type}/${id}`;

typeSuite({
  async setup(env) {
    ec2 = env.sdk(EC2Client);
    ids.vpc = env.scenario.vpcs![0]!.id;
    ids.peer = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.5.0.0/16' }))).Vpc!.VpcId!;
    ids.table = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [ids.vpc] }] }))).RouteTables![0]!.RouteTableId!;
    ids.flowLog = (await ec2.send(new CreateFlowLogsCommand({
      ResourceIds: [ids.vpc], ResourceType: 'VPC', TrafficType: 'ALL', LogGroupName: 'vpc-flow', DeliverLogsPermissionArn: ROLE, TagSpecifications: spec('vpc-flow-log', 'flow'),
    }))).FlowLogIds![0]!;
    ids.endpoint = (await ec2.send(new CreateVpcEndpointCommand({
      VpcId: ids.vpc, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [ids.table], TagSpecifications: spec('vpc-endpoint', 's3'),
    }))).VpcEndpoint!.VpcEndpointId!;
    ids.peering = (await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: ids.vpc, PeerVpcId: ids.peer, TagSpecifications: spec('vpc-peering-connection', 'peer') }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: ids.peering }));
    await ec2.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: ids.peering, RequesterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: true } }));
  },
  state: () => {
    const peering = {
      accept_status: 'active', accepter: [{ allow_remote_vpc_dns_resolution: false }], auto_accept: true, id: ids.peering, peer_owner_id: '123456789012', peer_region: 'us-east-1',
      peer_vpc_id: ids.peer, requester: [{ allow_remote_vpc_dns_resolution: true }], timeouts: null, vpc_id: ids.vpc,
    };
    return [
      inst('aws_flow_log', 'vpc', {
        arn: arn('vpc-flow-log', ids.flowLog), deliver_cross_account_role: '', destination_options: [], eni_id: '', iam_role_arn: ROLE, id: ids.flowLog,
        log_destination: 'arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow', log_destination_type: 'cloud-watch-logs', log_format: FORMAT, log_group_name: 'vpc-flow',
        max_aggregation_interval: 600, subnet_id: '', tags: { Name: 'flow' }, tags_all: { Name: 'flow' }, traffic_type: 'ALL', transit_gateway_attachment_id: '', transit_gateway_id: '', vpc_id: ids.vpc,
      }),
      inst('aws_vpc_endpoint', 's3', {
        arn: arn('vpc-endpoint', ids.endpoint), auto_accept: null, cidr_blocks: [], dns_entry: [], dns_options: [], id: ids.endpoint, ip_address_type: '', network_interface_ids: [],
        owner_id: '123456789012', policy: FULL_ACCESS, prefix_list_id: 'pl-63a5400a', private_dns_enabled: false, requester_managed: false, route_table_ids: [ids.table],
        security_group_ids: [], service_name: 'com.amazonaws.us-east-1.s3', state: 'available', subnet_configuration: [], subnet_ids: [], tags: { Name: 's3' }, tags_all: { Name: 's3' },
        timeouts: null, vpc_endpoint_type: 'Gateway', vpc_id: ids.vpc,
      }),
      inst('aws_vpc_peering_connection', 'peer', { ...peering, tags: { Name: 'peer' }, tags_all: { Name: 'peer' } }),
      // The accepter side names the same connection (same account): it declares no tags of its own here.
      inst('aws_vpc_peering_connection_accepter', 'peer', { ...peering, vpc_peering_connection_id: ids.peering }),
    ];
  },
  changes: {
    'tags renamed': {
      drifts: ['aws_flow_log.vpc tags', 'aws_vpc_endpoint.s3 tags', 'aws_vpc_peering_connection.peer tags'],
      change: () => ec2.send(new CreateTagsCommand({ Resources: [ids.flowLog, ids.endpoint, ids.peering], Tags: [{ Key: 'Name', Value: 'renamed' }] })),
    },
    'the endpoint removed from its route table': {
      drifts: ['aws_vpc_endpoint.s3 route_table_ids'],
      change: () => ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ids.endpoint, RemoveRouteTableIds: [ids.table] })),
    },
    'the endpoint policy narrowed by hand': {
      drifts: ['aws_vpc_endpoint.s3 policy'],
      change: () => ec2.send(new ModifyVpcEndpointCommand({
        VpcEndpointId: ids.endpoint, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] }),
      })),
    },
    'DNS resolution from the peer turned off on the requester side': {
      drifts: ['aws_vpc_peering_connection.peer requester', 'aws_vpc_peering_connection_accepter.peer requester'],
      change: () => ec2.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: ids.peering, RequesterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: false } })),
    },
  },
  removals: {
    'the flow log deleted': { missing: 'aws_flow_log.vpc', change: () => ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [ids.flowLog] })) },
    'the endpoint deleted': { missing: 'aws_vpc_endpoint.s3', change: () => ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [ids.endpoint] })) },
    'the peering deleted': { missing: 'aws_vpc_peering_connection.peer', change: () => ec2.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: ids.peering })) },
  },
});
