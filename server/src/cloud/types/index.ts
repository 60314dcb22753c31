// The registry of supported resource types. Adding a type = one file here + one line below.
import type { ResourceType } from './resource-type';
import { awsIamRole } from './aws_iam_role';
import { awsIamRolePolicy } from './aws_iam_role_policy';
import { awsIamPolicy } from './aws_iam_policy';
import { awsIamAccessKey } from './aws_iam_access_key';
import { awsIamInstanceProfile } from './aws_iam_instance_profile';
import { awsIamOpenidConnectProvider } from './aws_iam_openid_connect_provider';
import { awsIamGroup } from './aws_iam_group';
import { awsIamGroupMembership } from './aws_iam_group_membership';
import { awsIamGroupPolicy } from './aws_iam_group_policy';
import { awsIamGroupPolicyAttachment } from './aws_iam_group_policy_attachment';
import { awsIamPolicyAttachment } from './aws_iam_policy_attachment';
import { awsIamUserGroupMembership } from './aws_iam_user_group_membership';
import { awsIamRolePolicyAttachment } from './aws_iam_role_policy_attachment';
import { awsIamUser } from './aws_iam_user';
import { awsIamUserPolicy } from './aws_iam_user_policy';
import { awsIamUserPolicyAttachment } from './aws_iam_user_policy_attachment';
import { awsS3BucketLogging } from './aws_s3_bucket_logging';
import { awsS3BucketCorsConfiguration } from './aws_s3_bucket_cors_configuration';
import { awsS3BucketWebsiteConfiguration } from './aws_s3_bucket_website_configuration';
import { awsCloudwatchLogGroup } from './aws_cloudwatch_log_group';
import { awsKmsAlias } from './aws_kms_alias';
import { awsKmsKey } from './aws_kms_key';
import { awsRoute53Record } from './aws_route53_record';
import { awsRoute53Zone } from './aws_route53_zone';
import { awsS3BucketOwnershipControls } from './aws_s3_bucket_ownership_controls';
import { awsInstance } from './aws_instance';
import { awsS3Bucket } from './aws_s3_bucket';
import { awsS3BucketPolicy } from './aws_s3_bucket_policy';
import { awsS3BucketPublicAccessBlock } from './aws_s3_bucket_public_access_block';
import { awsS3BucketServerSideEncryptionConfiguration } from './aws_s3_bucket_server_side_encryption_configuration';
import { awsS3BucketVersioning } from './aws_s3_bucket_versioning';
import { awsSecurityGroup } from './aws_security_group';
import { awsSubnet } from './aws_subnet';
import { awsVpc } from './aws_vpc';
import { awsVpcSecurityGroupEgressRule } from './aws_vpc_security_group_egress_rule';
import { awsVpcSecurityGroupIngressRule } from './aws_vpc_security_group_ingress_rule';
import { awsRouteTable } from './aws_route_table';
import { awsDefaultRouteTable } from './aws_default_route_table';
import { awsRoute } from './aws_route';
import { awsMainRouteTableAssociation, awsRouteTableAssociation } from './aws_route_table_association';
import { awsInternetGateway } from './aws_internet_gateway';
import { awsDefaultSecurityGroup } from './aws_default_security_group';
import { awsSecurityGroupRule } from './aws_security_group_rule';
import { awsNetworkAcl } from './aws_network_acl';
import { awsDefaultNetworkAcl } from './aws_default_network_acl';
import { awsNetworkAclRule } from './aws_network_acl_rule';
import { awsEip, awsEipAssociation } from './aws_eip';
import { awsNatGateway } from './aws_nat_gateway';
import { awsKeyPair } from './aws_key_pair';
import { awsEbsVolume } from './aws_ebs_volume';
import { awsVolumeAttachment } from './aws_volume_attachment';
import { awsSsmParameter } from './aws_ssm_parameter';
import { awsEcrRepository } from './aws_ecr_repository';
import { awsSqsQueue } from './aws_sqs_queue';
import { awsSqsQueuePolicy } from './aws_sqs_queue_policy';
import { awsSqsQueueRedrivePolicy } from './aws_sqs_queue_redrive_policy';
import { awsSqsQueueRedriveAllowPolicy } from './aws_sqs_queue_redrive_allow_policy';
import { awsAutoscalingGroup } from './aws_autoscaling_group';
import { awsAutoscalingPolicy } from './aws_autoscaling_policy';
import { awsEgressOnlyInternetGateway } from './aws_egress_only_internet_gateway';
import { awsVpcDhcpOptions } from './aws_vpc_dhcp_options';
import { awsVpcDhcpOptionsAssociation } from './aws_vpc_dhcp_options_association';
import { awsCustomerGateway } from './aws_customer_gateway';
import { awsVpnGateway, awsVpnGatewayAttachment } from './aws_vpn_gateway';
import { awsVpnGatewayRoutePropagation } from './aws_vpn_gateway_route_propagation';
import { awsPlacementGroup } from './aws_placement_group';
import { awsDefaultSubnet, awsDefaultVpc } from './aws_default_vpc';
import { awsVpcIpv4CidrBlockAssociation } from './aws_vpc_ipv4_cidr_block_association';
import { awsFlowLog } from './aws_flow_log';
import { awsVpcEndpoint } from './aws_vpc_endpoint';
import { awsVpcPeeringConnection, awsVpcPeeringConnectionAccepter } from './aws_vpc_peering_connection';
import { awsLb } from './aws_lb';
import { awsLbTargetGroup } from './aws_lb_target_group';
import { awsLbTargetGroupAttachment } from './aws_lb_target_group_attachment';
import { awsLbListener } from './aws_lb_listener';
import { awsLbListenerRule } from './aws_lb_listener_rule';
import { awsCloudwatchEventBus } from './aws_cloudwatch_event_bus';
import { awsCloudwatchEventRule } from './aws_cloudwatch_event_rule';
import { awsCloudwatchEventTarget } from './aws_cloudwatch_event_target';
import { awsS3BucketObjectLockConfiguration } from './aws_s3_bucket_object_lock_configuration';
import { awsS3BucketAcl } from './aws_s3_bucket_acl';
import { awsS3BucketNotification } from './aws_s3_bucket_notification';
import { awsNetworkInterface } from './aws_network_interface';
import { awsEc2ManagedPrefixList } from './aws_ec2_managed_prefix_list';
import { awsAppautoscalingTarget } from './aws_appautoscaling_target';
import { awsAppautoscalingPolicy } from './aws_appautoscaling_policy';
import { awsEcsCluster } from './aws_ecs_cluster';
import { awsEcsClusterCapacityProviders } from './aws_ecs_cluster_capacity_providers';
import { awsEcsService } from './aws_ecs_service';
import { awsEcsTaskDefinition } from './aws_ecs_task_definition';
import { awsRoute53ZoneAssociation } from './aws_route53_zone_association';
import { awsLaunchTemplate } from './aws_launch_template';
import { awsS3BucketLifecycleConfiguration } from './aws_s3_bucket_lifecycle_configuration';
import { awsS3BucketReplicationConfiguration } from './aws_s3_bucket_replication_configuration';
import { awsEcrRepositoryPolicy } from './aws_ecr_repository_policy';
import { awsEcrLifecyclePolicy } from './aws_ecr_lifecycle_policy';
import { awsRoute53HealthCheck } from './aws_route53_health_check';
import { awsSecretsmanagerSecret } from './aws_secretsmanager_secret';
import { awsSecretsmanagerSecretPolicy } from './aws_secretsmanager_secret_policy';
import { awsSnsTopic } from './aws_sns_topic';
import { awsSnsTopicPolicy } from './aws_sns_topic_policy';
import { awsSnsTopicSubscription } from './aws_sns_topic_subscription';
import { awsCloudwatchLogMetricFilter } from './aws_cloudwatch_log_metric_filter';
import { awsCloudwatchLogSubscriptionFilter } from './aws_cloudwatch_log_subscription_filter';
import { awsCloudwatchMetricAlarm } from './aws_cloudwatch_metric_alarm';
import { awsCloudwatchDashboard } from './aws_cloudwatch_dashboard';
import { awsDbSubnetGroup } from './aws_db_subnet_group';
import { awsDbParameterGroup } from './aws_db_parameter_group';
import { awsDbInstance } from './aws_db_instance';
import { awsRdsCluster } from './aws_rds_cluster';
import { awsRdsClusterInstance } from './aws_rds_cluster_instance';
import { awsRdsClusterParameterGroup } from './aws_rds_cluster_parameter_group';
import { awsDynamodbTable } from './aws_dynamodb_table';
import { awsLambdaFunction } from './aws_lambda_function';
import { awsLambdaPermission } from './aws_lambda_permission';
import { awsLambdaAlias } from './aws_lambda_alias';
import { awsLambdaEventSourceMapping } from './aws_lambda_event_source_mapping';
import { awsLambdaFunctionUrl } from './aws_lambda_function_url';
import { awsLambdaFunctionEventInvokeConfig } from './aws_lambda_function_event_invoke_config';
import { awsElasticacheSubnetGroup } from './aws_elasticache_subnet_group';
import { awsElasticacheParameterGroup } from './aws_elasticache_parameter_group';
import { awsElasticacheReplicationGroup } from './aws_elasticache_replication_group';
import { awsAcmCertificate } from './aws_acm_certificate';
import { awsCloudfrontDistribution } from './aws_cloudfront_distribution';
import { awsCloudfrontOriginAccessControl } from './aws_cloudfront_origin_access_control';
import { awsCloudfrontFunction } from './aws_cloudfront_function';
import { awsWafv2WebAcl } from './aws_wafv2_web_acl';
import { awsWafv2WebAclAssociation } from './aws_wafv2_web_acl_association';
import { awsEksCluster } from './aws_eks_cluster';
import { awsEksNodeGroup } from './aws_eks_node_group';
import { awsEksAddon } from './aws_eks_addon';
import { awsEksAccessEntry } from './aws_eks_access_entry';
import { awsS3AccountPublicAccessBlock } from './aws_s3_account_public_access_block';
import { awsApigatewayv2Api } from './aws_apigatewayv2_api';
import { awsApigatewayv2Stage } from './aws_apigatewayv2_stage';
import { awsApigatewayv2Route } from './aws_apigatewayv2_route';
import { awsApigatewayv2Integration } from './aws_apigatewayv2_integration';

export const RESOURCE_TYPES: ReadonlyMap<string, ResourceType> = new Map(
  [
    awsInstance, awsSecurityGroup, awsVpcSecurityGroupIngressRule, awsVpcSecurityGroupEgressRule, awsVpc, awsSubnet,
    awsS3Bucket, awsS3BucketVersioning, awsS3BucketServerSideEncryptionConfiguration, awsS3BucketPolicy,
    awsS3BucketPublicAccessBlock, awsIamRole, awsIamRolePolicy,
    awsIamPolicy, awsIamRolePolicyAttachment, awsIamUser, awsIamUserPolicy, awsIamUserPolicyAttachment,
    awsIamGroup, awsIamGroupMembership, awsIamGroupPolicy, awsIamGroupPolicyAttachment, awsIamPolicyAttachment, awsIamUserGroupMembership, awsIamAccessKey,
    awsIamInstanceProfile, awsIamOpenidConnectProvider,
    awsS3BucketLogging, awsS3BucketOwnershipControls, awsS3BucketCorsConfiguration, awsS3BucketWebsiteConfiguration,
    awsCloudwatchLogGroup, awsKmsKey, awsKmsAlias, awsRoute53Zone, awsRoute53Record,
    awsRouteTable, awsDefaultRouteTable, awsRoute, awsRouteTableAssociation, awsMainRouteTableAssociation, awsInternetGateway,
    awsSecurityGroupRule, awsDefaultSecurityGroup, awsNetworkAcl, awsDefaultNetworkAcl, awsNetworkAclRule,
    awsEip, awsEipAssociation, awsNatGateway, awsKeyPair, awsEbsVolume, awsVolumeAttachment,
    awsSsmParameter, awsEcrRepository,
    awsSqsQueue, awsSqsQueuePolicy, awsSqsQueueRedrivePolicy, awsSqsQueueRedriveAllowPolicy,
    awsAutoscalingGroup, awsAutoscalingPolicy,
    awsEgressOnlyInternetGateway, awsVpcDhcpOptions, awsVpcDhcpOptionsAssociation, awsCustomerGateway, awsVpnGateway, awsVpnGatewayAttachment,
    awsVpnGatewayRoutePropagation, awsPlacementGroup, awsDefaultVpc, awsDefaultSubnet, awsVpcIpv4CidrBlockAssociation,
    awsFlowLog, awsVpcEndpoint, awsVpcPeeringConnection, awsVpcPeeringConnectionAccepter,
    awsLb, awsLbTargetGroup, awsLbTargetGroupAttachment, awsLbListener, awsLbListenerRule,
    awsCloudwatchEventBus, awsCloudwatchEventRule, awsCloudwatchEventTarget,
    awsS3BucketObjectLockConfiguration, awsS3BucketAcl, awsS3BucketNotification, awsNetworkInterface, awsEc2ManagedPrefixList,
    awsAppautoscalingTarget, awsAppautoscalingPolicy, awsEcsCluster, awsEcsClusterCapacityProviders, awsEcsService, awsEcsTaskDefinition,
    awsEcrRepositoryPolicy, awsEcrLifecyclePolicy,
    awsRoute53ZoneAssociation, awsLaunchTemplate, awsS3BucketLifecycleConfiguration, awsS3BucketReplicationConfiguration, awsRoute53HealthCheck,
    awsSecretsmanagerSecret, awsSecretsmanagerSecretPolicy,
    awsSnsTopic, awsSnsTopicPolicy, awsSnsTopicSubscription,
    awsCloudwatchLogMetricFilter, awsCloudwatchLogSubscriptionFilter, awsCloudwatchMetricAlarm, awsCloudwatchDashboard,
    awsDbSubnetGroup, awsDbParameterGroup, awsDbInstance, awsRdsCluster, awsRdsClusterInstance, awsRdsClusterParameterGroup,
    awsDynamodbTable, awsElasticacheSubnetGroup, awsElasticacheParameterGroup, awsElasticacheReplicationGroup,
    awsLambdaFunction, awsLambdaPermission, awsLambdaAlias, awsLambdaEventSourceMapping, awsLambdaFunctionUrl, awsLambdaFunctionEventInvokeConfig,
    awsAcmCertificate,
    awsCloudfrontDistribution, awsCloudfrontOriginAccessControl, awsCloudfrontFunction,
    awsWafv2WebAcl, awsWafv2WebAclAssociation,
    awsEksCluster, awsEksNodeGroup, awsEksAddon, awsEksAccessEntry,
    awsS3AccountPublicAccessBlock,
    awsApigatewayv2Api, awsApigatewayv2Stage, awsApigatewayv2Route, awsApigatewayv2Integration,
  ].map((t) => [t.type, t]),
);
