// Which Terraform attributes a CloudTrail write event can change. An event only explains a drift on
// an attribute it can change, so a tag edit made after a rule change does not steal the rule
// change's attribution. Event names missing here may change anything on their resource.

/** Terraform attributes a change to any of these events touches; `*` = every attribute (create). */
type Touches = readonly string[] | '*' | 'delete';

const TAGS = ['tags', 'tags_all'] as const;

/** A route change touches the table's `route` set and, on an aws_route, the target argument the request names. */
const ROUTE_TARGETS = [
  'gateway_id', 'nat_gateway_id', 'network_interface_id', 'transit_gateway_id', 'vpc_peering_connection_id', 'egress_only_gateway_id',
  'vpc_endpoint_id', 'carrier_gateway_id', 'local_gateway_id', 'core_network_arn',
] as const;
/** Attributes a narrowed event (see touchedBy) still touches whatever parameters it names. */
const ALWAYS_TOUCHED = new Set(['route', 'ingress', 'egress']);

const EVENT_ATTRIBUTES: Record<string, Touches> = {
  // EC2: security groups and their rules
  AuthorizeSecurityGroupIngress: ['ingress'],
  RevokeSecurityGroupIngress: ['ingress'],
  UpdateSecurityGroupRuleDescriptionsIngress: ['ingress'],
  AuthorizeSecurityGroupEgress: ['egress'],
  RevokeSecurityGroupEgress: ['egress'],
  UpdateSecurityGroupRuleDescriptionsEgress: ['egress'],
  // EC2: instances
  ModifyInstanceAttribute: [
    'instance_type', 'disable_api_termination', 'disable_api_stop', 'source_dest_check', 'ebs_optimized',
    'instance_initiated_shutdown_behavior', 'user_data', 'user_data_base64', 'vpc_security_group_ids', 'security_groups',
  ],
  ModifyInstanceMetadataOptions: ['metadata_options'],
  StopInstances: ['instance_state'],
  StartInstances: ['instance_state'],
  MonitorInstances: ['monitoring'],
  UnmonitorInstances: ['monitoring'],
  AssociateIamInstanceProfile: ['iam_instance_profile'],
  ReplaceIamInstanceProfileAssociation: ['iam_instance_profile'],
  DisassociateIamInstanceProfile: ['iam_instance_profile'],
  // EC2: network
  ModifyVpcAttribute: ['enable_dns_support', 'enable_dns_hostnames', 'enable_network_address_usage_metrics'],
  ModifySubnetAttribute: [
    'map_public_ip_on_launch', 'assign_ipv6_address_on_creation', 'map_customer_owned_ip_on_launch', 'enable_dns64',
    'enable_resource_name_dns_a_record_on_launch', 'enable_resource_name_dns_aaaa_record_on_launch', 'private_dns_hostname_type_on_launch',
  ],
  // Tags, whichever API wrote them
  CreateTags: TAGS,
  DeleteTags: [...TAGS, 'tag'], // EC2's and Auto Scaling's (whose tags are tag blocks)
  TagResources: TAGS,
  UntagResources: TAGS,
  TagRole: TAGS,
  UntagRole: TAGS,
  PutBucketTagging: TAGS,
  DeleteBucketTagging: TAGS,
  // S3
  PutBucketVersioning: ['versioning', 'versioning_configuration'],
  PutBucketEncryption: ['server_side_encryption_configuration', 'rule'],
  DeleteBucketEncryption: ['server_side_encryption_configuration', 'rule'],
  PutBucketPolicy: ['policy'],
  DeleteBucketPolicy: ['policy'],
  PutPublicAccessBlock: ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'],
  DeletePublicAccessBlock: ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'],
  // S3 Control: the account's block (CloudTrail names the account-level calls apart from the bucket's)
  PutAccountPublicAccessBlock: ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'],
  DeleteAccountPublicAccessBlock: 'delete',
  // IAM
  UpdateAssumeRolePolicy: ['assume_role_policy'],
  UpdateRole: ['description', 'max_session_duration'],
  UpdateRoleDescription: ['description'],
  PutRolePolicy: ['policy', 'inline_policy'],
  DeleteRolePolicy: ['policy', 'inline_policy'],
  AttachRolePolicy: ['managed_policy_arns', 'policy_arn', 'roles'],
  DetachRolePolicy: ['managed_policy_arns', 'policy_arn', 'roles'],
  PutRolePermissionsBoundary: ['permissions_boundary'],
  DeleteRolePermissionsBoundary: ['permissions_boundary'],
  UpdateGroup: ['path'],
  PutGroupPolicy: ['policy'],
  DeleteGroupPolicy: ['policy'],
  AttachGroupPolicy: ['policy_arn', 'groups'],
  DetachGroupPolicy: ['policy_arn', 'groups'],
  AddUserToGroup: ['users', 'groups'],
  RemoveUserFromGroup: ['users', 'groups'],
  UpdateAccessKey: ['status'],
  AddRoleToInstanceProfile: ['role'],
  RemoveRoleFromInstanceProfile: ['role'],
  AddClientIDToOpenIDConnectProvider: ['client_id_list'],
  RemoveClientIDFromOpenIDConnectProvider: ['client_id_list'],
  UpdateOpenIDConnectProviderThumbprint: ['thumbprint_list'],
  TagOpenIDConnectProvider: TAGS,
  UntagOpenIDConnectProvider: TAGS,
  TagUser: TAGS,
  // Logs and KMS tag through their own TagResource/UntagResource
  TagResource: TAGS,
  UntagResource: TAGS,
  UntagUser: TAGS,
  UpdateUser: ['path'],
  PutUserPolicy: ['policy'],
  DeleteUserPolicy: ['policy'],
  AttachUserPolicy: ['policy_arn', 'users'],
  DetachUserPolicy: ['policy_arn', 'users'],
  PutUserPermissionsBoundary: ['permissions_boundary'],
  DeleteUserPermissionsBoundary: ['permissions_boundary'],
  CreatePolicyVersion: ['policy'],
  SetDefaultPolicyVersion: ['policy'],
  DeletePolicyVersion: [],
  // S3 sub-resources
  PutBucketOwnershipControls: ['rule'],
  DeleteBucketOwnershipControls: ['rule'],
  PutBucketLogging: ['target_bucket', 'target_prefix'],
  PutBucketCors: ['cors_rule'],
  DeleteBucketCors: ['cors_rule'],
  PutBucketWebsite: ['index_document', 'error_document', 'redirect_all_requests_to', 'routing_rule'],
  DeleteBucketWebsite: ['index_document', 'error_document', 'redirect_all_requests_to', 'routing_rule'],
  // CloudWatch Logs
  PutRetentionPolicy: ['retention_in_days'],
  DeleteRetentionPolicy: ['retention_in_days'],
  AssociateKmsKey: ['kms_key_id'],
  DisassociateKmsKey: ['kms_key_id'],
  // Put*Filter creates or replaces a whole filter, whatever it names
  PutMetricFilter: '*',
  DeleteMetricFilter: 'delete',
  PutSubscriptionFilter: '*',
  DeleteSubscriptionFilter: 'delete',
  // CloudWatch: PutMetricAlarm and PutDashboard create or replace the whole object (tags through TagResource/UntagResource above)
  PutMetricAlarm: '*',
  DeleteAlarms: 'delete',
  EnableAlarmActions: ['actions_enabled'],
  DisableAlarmActions: ['actions_enabled'],
  SetAlarmState: [],
  PutDashboard: '*',
  DeleteDashboards: 'delete',
  // ACM: names, validation and key are fixed at request; options and tags change in place
  RequestCertificate: '*',
  ImportCertificate: '*',
  DeleteCertificate: 'delete',
  UpdateCertificateOptions: ['options'],
  AddTagsToCertificate: TAGS,
  RemoveTagsFromCertificate: TAGS,
  // CloudFront: CloudTrail names its events with the API version (UpdateDistribution2020_05_31).
  // An UpdateDistribution replaces the whole config, so it may change any argument.
  CreateDistribution2020_05_31: '*',
  CreateDistributionWithTags2020_05_31: '*',
  UpdateDistribution2020_05_31: '*',
  DeleteDistribution2020_05_31: 'delete',
  CreateOriginAccessControl2020_05_31: '*',
  UpdateOriginAccessControl2020_05_31: ['name', 'description', 'origin_access_control_origin_type', 'signing_behavior', 'signing_protocol'],
  DeleteOriginAccessControl2020_05_31: 'delete',
  CreateFunction2020_05_31: '*',
  UpdateFunction2020_05_31: ['code', 'comment', 'runtime', 'key_value_store_associations', 'publish'],
  PublishFunction2020_05_31: ['publish'],
  DeleteFunction2020_05_31: 'delete',
  TagResource2020_05_31: TAGS,
  UntagResource2020_05_31: TAGS,
  // WAFv2 (tags through TagResource/UntagResource above): UpdateWebACL replaces every setting at once
  CreateWebACL: '*',
  UpdateWebACL: [
    'description', 'default_action', 'visibility_config', 'rule', 'rule_json', 'token_domains', 'custom_response_body', 'captcha_config',
    'challenge_config', 'association_config', 'data_protection_config',
  ],
  DeleteWebACL: 'delete',
  AssociateWebACL: '*',
  DisassociateWebACL: 'delete',
  // EKS (tags through TagResource/UntagResource above; CreateCluster and DeleteCluster with ECS's below)
  UpdateClusterConfig: ['vpc_config', 'enabled_cluster_log_types', 'access_config', 'upgrade_policy'],
  UpdateClusterVersion: ['version'],
  CreateNodegroup: '*',
  DeleteNodegroup: 'delete',
  UpdateNodegroupConfig: ['scaling_config', 'labels', 'taint', 'update_config', 'node_repair_config'],
  UpdateNodegroupVersion: ['version', 'release_version', 'launch_template'],
  CreateAddon: '*',
  DeleteAddon: 'delete',
  UpdateAddon: ['addon_version', 'configuration_values', 'service_account_role_arn', 'pod_identity_association'],
  CreateAccessEntry: '*',
  DeleteAccessEntry: 'delete',
  UpdateAccessEntry: ['kubernetes_groups', 'user_name'],
  // API Gateway v2 (tags through TagResource/UntagResource above)
  CreateApi: '*',
  UpdateApi: ['name', 'description', 'version', 'api_key_selection_expression', 'route_selection_expression', 'disable_execute_api_endpoint', 'cors_configuration'],
  DeleteCorsConfiguration: ['cors_configuration'],
  DeleteApi: 'delete',
  CreateStage: '*',
  UpdateStage: ['description', 'auto_deploy', 'client_certificate_id', 'deployment_id', 'access_log_settings', 'default_route_settings', 'route_settings', 'stage_variables'],
  DeleteStage: 'delete',
  // CreateRoute/DeleteRoute share EC2's event names (EC2's entries below stand for both)
  UpdateRoute: [
    'route_key', 'target', 'authorization_type', 'authorizer_id', 'authorization_scopes', 'api_key_required', 'model_selection_expression', 'operation_name',
    'route_response_selection_expression', 'request_models', 'request_parameter',
  ],
  CreateIntegration: '*',
  UpdateIntegration: [
    'integration_uri', 'integration_method', 'connection_type', 'connection_id', 'credentials_arn', 'description', 'payload_format_version', 'passthrough_behavior',
    'content_handling_strategy', 'template_selection_expression', 'timeout_milliseconds', 'request_parameters', 'request_templates', 'response_parameters', 'tls_config',
  ],
  DeleteIntegration: 'delete',
  // KMS
  UpdateKeyDescription: ['description'],
  PutKeyPolicy: ['policy'],
  EnableKeyRotation: ['enable_key_rotation', 'rotation_period_in_days'],
  DisableKeyRotation: ['enable_key_rotation'],
  EnableKey: ['is_enabled'],
  DisableKey: ['is_enabled'],
  UpdateAlias: ['target_key_id'],
  // SSM parameters: PutParameter rewrites the value and, when the request names them, metadata
  PutParameter: ['value', 'insecure_value', 'type', 'description', 'allowed_pattern', 'data_type', 'tier', 'key_id'],
  AddTagsToResource: TAGS,
  RemoveTagsFromResource: TAGS,
  // ECR repositories (tags through TagResource/UntagResource above)
  PutImageTagMutability: ['image_tag_mutability'],
  PutImageScanningConfiguration: ['image_scanning_configuration'],
  // Secrets Manager: metadata and the resource policy (PutSecretValue changes only the value, which is never compared)
  UpdateSecret: ['description', 'kms_key_id'],
  PutResourcePolicy: ['policy'],
  DeleteResourcePolicy: 'delete',
  PutSecretValue: [],
  // ECR repository and lifecycle policies: one policy each, and deleting it removes the resource
  SetRepositoryPolicy: ['policy'],
  PutLifecyclePolicy: ['policy'],
  DeleteRepositoryPolicy: 'delete',
  DeleteLifecyclePolicy: 'delete',
  // SQS queues and their policy sub-resources (one call writes any queue attribute)
  SetQueueAttributes: [
    'visibility_timeout_seconds', 'message_retention_seconds', 'max_message_size', 'delay_seconds', 'receive_wait_time_seconds', 'policy',
    'redrive_policy', 'redrive_allow_policy', 'content_based_deduplication', 'kms_master_key_id', 'kms_data_key_reuse_period_seconds',
    'sqs_managed_sse_enabled', 'deduplication_scope', 'fifo_throughput_limit',
  ],
  TagQueue: TAGS,
  UntagQueue: TAGS,
  CreateQueue: '*',
  DeleteQueue: 'delete',
  // Auto Scaling groups and policies
  UpdateAutoScalingGroup: [
    'min_size', 'max_size', 'desired_capacity', 'default_cooldown', 'health_check_type', 'health_check_grace_period', 'vpc_zone_identifier', 'availability_zones',
    'termination_policies', 'max_instance_lifetime', 'capacity_rebalance', 'protect_from_scale_in', 'launch_template', 'launch_configuration', 'mixed_instances_policy',
  ],
  SetDesiredCapacity: ['desired_capacity'],
  SuspendProcesses: ['suspended_processes'],
  ResumeProcesses: ['suspended_processes'],
  AttachLoadBalancerTargetGroups: ['target_group_arns'],
  DetachLoadBalancerTargetGroups: ['target_group_arns'],
  CreateOrUpdateTags: ['tag'],
  // PutScalingPolicy creates or replaces a policy's whole configuration, whatever parameters it names.
  PutScalingPolicy: '*',
  // Elastic Load Balancing v2 (tags through AddTags/RemoveTags)
  ModifyLoadBalancerAttributes: ['enable_deletion_protection', 'idle_timeout', 'enable_http2', 'drop_invalid_header_fields', 'enable_cross_zone_load_balancing', 'access_logs', 'desync_mitigation_mode', 'preserve_host_header', 'connection_logs'],
  SetSecurityGroups: ['security_groups'],
  SetSubnets: ['subnets', 'subnet_mapping'],
  SetIpAddressType: ['ip_address_type'],
  ModifyTargetGroup: ['health_check'],
  ModifyTargetGroupAttributes: ['deregistration_delay', 'slow_start', 'stickiness', 'proxy_protocol_v2', 'connection_termination', 'preserve_client_ip', 'load_balancing_algorithm_type', 'lambda_multi_value_headers_enabled'],
  ModifyListener: ['port', 'protocol', 'ssl_policy', 'certificate_arn', 'default_action', 'alpn_policy'],
  ModifyRule: ['action', 'condition'],
  SetRulePriorities: ['priority'],
  AddTags: TAGS,
  RemoveTags: TAGS,
  RegisterTargets: '*',
  DeregisterTargets: 'delete',
  // EventBridge (tags through TagResource/UntagResource above). PutRule and PutTargets create as
  // well as update, so they may explain anything on their rule or target.
  PutRule: '*',
  EnableRule: ['state', 'is_enabled'],
  DisableRule: ['state', 'is_enabled'],
  PutTargets: '*',
  // SNS (tags through TagResource/UntagResource above); one call writes any topic or subscription attribute
  SetTopicAttributes: [
    'display_name', 'policy', 'delivery_policy', 'kms_master_key_id', 'signature_version', 'tracing_config', 'content_based_deduplication', 'archive_policy',
    ...['application', 'http', 'lambda', 'sqs', 'firehose'].flatMap((p) => [`${p}_success_feedback_role_arn`, `${p}_success_feedback_sample_rate`, `${p}_failure_feedback_role_arn`]),
  ],
  SetSubscriptionAttributes: ['raw_message_delivery', 'filter_policy', 'filter_policy_scope', 'delivery_policy', 'redrive_policy', 'subscription_role_arn', 'replay_policy'],
  CreateTopic: '*',
  DeleteTopic: 'delete',
  Subscribe: '*',
  Unsubscribe: 'delete',
  RemoveTargets: 'delete',
  // Lambda: CloudTrail records most Lambda calls under versioned names (UpdateFunctionConfiguration20150331v2)
  UpdateFunctionConfiguration20150331v2: [
    'role', 'handler', 'runtime', 'description', 'memory_size', 'timeout', 'ephemeral_storage', 'tracing_config', 'environment', 'vpc_config',
    'dead_letter_config', 'kms_key_arn', 'layers', 'logging_config', 'image_config', 'snap_start', 'file_system_config',
  ],
  UpdateFunctionCode20150331v2: ['code_sha256', 'source_code_hash', 'image_uri', 'architectures'],
  PublishVersion20150331: ['version'],
  PutFunctionConcurrency20171031: ['reserved_concurrent_executions'],
  DeleteFunctionConcurrency20171031: ['reserved_concurrent_executions'],
  TagResource20170331v2: TAGS,
  UntagResource20170331v2: TAGS,
  CreateFunction20150331: '*',
  DeleteFunction20150331: 'delete',
  AddPermission20150331v2: '*',
  RemovePermission20150331v2: 'delete',
  CreateAlias20150331: '*',
  UpdateAlias20150331: ['function_version', 'description', 'routing_config'],
  DeleteAlias20150331: 'delete',
  CreateEventSourceMapping20150331: '*',
  UpdateEventSourceMapping20150331: [
    'function_name', 'batch_size', 'maximum_batching_window_in_seconds', 'enabled', 'function_response_types', 'filter_criteria', 'scaling_config',
    'maximum_retry_attempts', 'maximum_record_age_in_seconds', 'bisect_batch_on_function_error', 'parallelization_factor', 'destination_config', 'tumbling_window_in_seconds',
  ],
  DeleteEventSourceMapping20150331: 'delete',
  CreateFunctionUrlConfig: '*',
  UpdateFunctionUrlConfig: ['authorization_type', 'cors', 'invoke_mode'],
  DeleteFunctionUrlConfig: 'delete',
  PutFunctionEventInvokeConfig: ['maximum_retry_attempts', 'maximum_event_age_in_seconds', 'destination_config'],
  UpdateFunctionEventInvokeConfig: ['maximum_retry_attempts', 'maximum_event_age_in_seconds', 'destination_config'],
  DeleteFunctionEventInvokeConfig: 'delete',
  CreateEventBus: '*',
  UpdateEventBus: ['description', 'kms_key_identifier', 'dead_letter_config'],
  DeleteEventBus: 'delete',
  // Application Auto Scaling (PutScalingPolicy above: whole policies); RegisterScalableTarget creates or updates a target
  RegisterScalableTarget: '*',
  DeregisterScalableTarget: 'delete',
  DeleteScalingPolicy: 'delete',
  // ECS (tags through TagResource/UntagResource above)
  UpdateClusterSettings: ['setting'],
  UpdateCluster: ['configuration', 'service_connect_defaults', 'setting'],
  PutClusterCapacityProviders: ['capacity_providers', 'default_capacity_provider_strategy'],
  UpdateService: [
    'desired_count', 'task_definition', 'platform_version', 'deployment_maximum_percent', 'deployment_minimum_healthy_percent', 'deployment_circuit_breaker',
    'enable_ecs_managed_tags', 'enable_execute_command', 'propagate_tags', 'health_check_grace_period_seconds', 'network_configuration', 'load_balancer',
    'capacity_provider_strategy', 'ordered_placement_strategy', 'placement_constraints', 'service_registries', 'service_connect_configuration',
  ],
  // RDS (tags through AddTagsToResource/RemoveTagsFromResource above); Modify* writes any setting it names
  ModifyDBInstance: [
    'instance_class', 'allocated_storage', 'max_allocated_storage', 'storage_type', 'iops', 'storage_throughput', 'multi_az', 'publicly_accessible',
    'backup_retention_period', 'backup_window', 'maintenance_window', 'preferred_maintenance_window', 'deletion_protection', 'db_subnet_group_name',
    'vpc_security_group_ids', 'parameter_group_name', 'db_parameter_group_name', 'iam_database_authentication_enabled', 'performance_insights_enabled',
    'copy_tags_to_snapshot', 'auto_minor_version_upgrade', 'monitoring_interval', 'port', 'ca_cert_identifier', 'engine_version', 'enabled_cloudwatch_logs_exports',
    'promotion_tier', 'password',
  ],
  ModifyDBCluster: [
    'engine_version', 'port', 'backup_retention_period', 'preferred_backup_window', 'preferred_maintenance_window', 'vpc_security_group_ids',
    'db_cluster_parameter_group_name', 'deletion_protection', 'iam_database_authentication_enabled', 'copy_tags_to_snapshot', 'enabled_cloudwatch_logs_exports', 'master_password',
  ],
  ModifyDBSubnetGroup: ['description', 'subnet_ids'],
  ModifyDBParameterGroup: ['parameter'],
  ResetDBParameterGroup: ['parameter'],
  ModifyDBClusterParameterGroup: ['parameter'],
  ResetDBClusterParameterGroup: ['parameter'],
  CreateDBInstance: '*',
  CreateDBCluster: '*',
  CreateDBSubnetGroup: '*',
  CreateDBParameterGroup: '*',
  CreateDBClusterParameterGroup: '*',
  DeleteDBInstance: 'delete',
  DeleteDBCluster: 'delete',
  DeleteDBSubnetGroup: 'delete',
  DeleteDBParameterGroup: 'delete',
  DeleteDBClusterParameterGroup: 'delete',
  // DynamoDB (tags through TagResource/UntagResource above)
  UpdateTable: [
    'billing_mode', 'read_capacity', 'write_capacity', 'attribute', 'global_secondary_index', 'stream_enabled', 'stream_view_type', 'table_class',
    'deletion_protection_enabled', 'server_side_encryption',
  ],
  UpdateContinuousBackups: ['point_in_time_recovery'],
  UpdateTimeToLive: ['ttl'],
  CreateTable: '*',
  DeleteTable: 'delete',
  // ElastiCache (tags through AddTagsToResource/RemoveTagsFromResource above)
  ModifyReplicationGroup: [
    'description', 'node_type', 'engine_version', 'parameter_group_name', 'security_group_ids', 'automatic_failover_enabled', 'multi_az_enabled',
    'snapshot_retention_limit', 'snapshot_window', 'maintenance_window', 'auto_minor_version_upgrade', 'notification_topic_arn', 'auth_token',
  ],
  ModifyCacheSubnetGroup: ['description', 'subnet_ids'],
  ModifyCacheParameterGroup: ['parameter'],
  ResetCacheParameterGroup: ['parameter'],
  CreateReplicationGroup: '*',
  CreateCacheSubnetGroup: '*',
  CreateCacheParameterGroup: '*',
  DeleteReplicationGroup: 'delete',
  DeleteCacheSubnetGroup: 'delete',
  DeleteCacheParameterGroup: 'delete',
  // Route 53
  UpdateHostedZoneComment: ['comment'],
  ChangeTagsForResource: TAGS,
  ChangeResourceRecordSets: ['ttl', 'records', 'alias', 'weighted_routing_policy', 'health_check_id'],
  // Whole objects
  RunInstances: '*',
  CreateSecurityGroup: '*',
  CreateVpc: '*',
  CreateSubnet: '*',
  CreateBucket: '*',
  CreateRole: '*',
  CreateUser: '*',
  CreateGroup: '*',
  CreateAccessKey: '*',
  CreateInstanceProfile: '*',
  CreateOpenIDConnectProvider: '*',
  CreatePolicy: '*',
  CreateLogGroup: '*',
  CreateRepository: '*',
  CreateAutoScalingGroup: '*',
  CreateCluster: '*',
  CreateSecret: '*',
  CreateService: '*',
  RegisterTaskDefinition: '*',
  CreateLoadBalancer: '*',
  CreateTargetGroup: '*',
  CreateListener: '*',
  CreateRule: '*',
  CreateKey: '*',
  CreateHostedZone: '*',
  CreateAlias: '*',
  TerminateInstances: 'delete',
  DeleteSecurityGroup: 'delete',
  DeleteVpc: 'delete',
  DeleteSubnet: 'delete',
  DeleteBucket: 'delete',
  DeleteRole: 'delete',
  DeletePolicy: 'delete',
  DeleteLogGroup: 'delete',
  DeleteParameter: 'delete',
  DeleteRepository: 'delete',
  DeleteAutoScalingGroup: 'delete',
  DeleteCluster: 'delete',
  DeleteSecret: 'delete',
  DeleteService: 'delete',
  DeregisterTaskDefinition: 'delete',
  DeleteLoadBalancer: 'delete',
  DeleteTargetGroup: 'delete',
  DeleteListener: 'delete',
  DeleteRule: 'delete',
  CreateRoute: ['route'],
  ReplaceRoute: ['route', ...ROUTE_TARGETS],
  DeleteRoute: ['route'],
  AssociateRouteTable: '*',
  DisassociateRouteTable: 'delete',
  ReplaceRouteTableAssociation: ['route_table_id'],
  EnableVgwRoutePropagation: ['propagating_vgws'],
  DisableVgwRoutePropagation: ['propagating_vgws'],
  CreateRouteTable: '*',
  DeleteRouteTable: 'delete',
  CreateInternetGateway: '*',
  DeleteInternetGateway: 'delete',
  AttachInternetGateway: ['vpc_id'],
  DetachInternetGateway: ['vpc_id'],
  CreateNetworkAcl: '*',
  DeleteNetworkAcl: 'delete',
  CreateNetworkAclEntry: ['ingress', 'egress'],
  ReplaceNetworkAclEntry: ['ingress', 'egress', 'protocol', 'rule_action', 'cidr_block', 'ipv6_cidr_block', 'from_port', 'to_port', 'icmp_type', 'icmp_code'],
  DeleteNetworkAclEntry: ['ingress', 'egress'],
  ReplaceNetworkAclAssociation: ['subnet_ids'],
  AllocateAddress: '*',
  ReleaseAddress: 'delete',
  AssociateAddress: ['instance', 'network_interface'],
  DisassociateAddress: ['instance', 'network_interface'],
  CreateNatGateway: '*',
  DeleteNatGateway: 'delete',
  ImportKeyPair: '*',
  CreateKeyPair: '*',
  DeleteKeyPair: 'delete',
  CreateVolume: '*',
  DeleteVolume: 'delete',
  ModifyVolume: ['size', 'type', 'iops', 'throughput'],
  AttachVolume: '*',
  DetachVolume: 'delete',
  // VPC gateways, DHCP option sets, placement groups (a DHCP re-association leaves the old association gone)
  CreateEgressOnlyInternetGateway: '*',
  DeleteEgressOnlyInternetGateway: 'delete',
  CreateDhcpOptions: '*',
  DeleteDhcpOptions: 'delete',
  AssociateDhcpOptions: 'delete',
  CreateCustomerGateway: '*',
  DeleteCustomerGateway: 'delete',
  CreateVpnGateway: '*',
  DeleteVpnGateway: 'delete',
  AttachVpnGateway: ['vpc_id'],
  DetachVpnGateway: ['vpc_id'],
  CreatePlacementGroup: '*',
  DeletePlacementGroup: 'delete',
  AssociateVpcCidrBlock: '*',
  DisassociateVpcCidrBlock: 'delete',
  CreateFlowLogs: '*',
  DeleteFlowLogs: 'delete',
  CreateVpcEndpoint: '*',
  DeleteVpcEndpoints: 'delete',
  ModifyVpcEndpoint: ['route_table_ids', 'subnet_ids', 'security_group_ids', 'policy', 'private_dns_enabled'],
  CreateVpcPeeringConnection: '*',
  AcceptVpcPeeringConnection: ['accept_status'],
  DeleteVpcPeeringConnection: 'delete',
  ModifyVpcPeeringConnectionOptions: ['requester', 'accepter'],
  CreateNetworkInterface: '*',
  DeleteNetworkInterface: 'delete',
  ModifyNetworkInterfaceAttribute: ['description', 'security_groups', 'source_dest_check'],
  AttachNetworkInterface: ['attachment'],
  DetachNetworkInterface: ['attachment'],
  CreateManagedPrefixList: '*',
  DeleteManagedPrefixList: 'delete',
  ModifyManagedPrefixList: ['entry', 'name', 'max_entries'],
  PutBucketAcl: ['access_control_policy', 'acl'],
  PutBucketLifecycle: ['rule'],
  PutBucketLifecycleConfiguration: ['rule'],
  DeleteBucketLifecycle: 'delete',
  PutBucketReplication: ['role', 'rule'],
  DeleteBucketReplication: 'delete',
  CreateLaunchTemplate: '*',
  DeleteLaunchTemplate: 'delete',
  CreateLaunchTemplateVersion: ['description', 'image_id', 'instance_type', 'key_name', 'user_data', 'vpc_security_group_ids', 'ebs_optimized'],
  ModifyLaunchTemplate: ['default_version'],
  AssociateVPCWithHostedZone: '*',
  CreateHealthCheck: '*',
  DeleteHealthCheck: 'delete',
  UpdateHealthCheck: ['fqdn', 'ip_address', 'port', 'resource_path', 'search_string', 'failure_threshold', 'invert_healthcheck', 'disabled', 'enable_sni', 'child_healthchecks', 'child_health_threshold', 'regions', 'insufficient_data_health_status', 'cloudwatch_alarm_name', 'cloudwatch_alarm_region'],
  DisassociateVPCFromHostedZone: 'delete',
  PutObjectLockConfiguration: ['rule', 'object_lock_enabled'],
  PutBucketNotification: ['topic', 'queue', 'lambda_function', 'eventbridge'],
  PutBucketNotificationConfiguration: ['topic', 'queue', 'lambda_function', 'eventbridge'],
  ScheduleKeyDeletion: 'delete',
  DeleteAlias: 'delete',
  DeleteHostedZone: 'delete',
};

/** Request parameters whose names are not the attribute's camelCase name (RDS `dBInstanceClass` → instance_class). */
const PARAMETER_ATTRIBUTES: Record<string, Record<string, readonly string[]>> = {
  ModifyDBInstance: {
    dBInstanceClass: ['instance_class'], multiAZ: ['multi_az'], preferredBackupWindow: ['backup_window'], preferredMaintenanceWindow: ['maintenance_window', 'preferred_maintenance_window'],
    dBSubnetGroupName: ['db_subnet_group_name'], dBParameterGroupName: ['parameter_group_name', 'db_parameter_group_name'],
    enableIAMDatabaseAuthentication: ['iam_database_authentication_enabled'], enablePerformanceInsights: ['performance_insights_enabled'], dBPortNumber: ['port'],
    cACertificateIdentifier: ['ca_cert_identifier'], cloudwatchLogsExportConfiguration: ['enabled_cloudwatch_logs_exports'], masterUserPassword: ['password'],
  },
  ModifyDBCluster: {
    dBClusterParameterGroupName: ['db_cluster_parameter_group_name'], enableIAMDatabaseAuthentication: ['iam_database_authentication_enabled'],
    cloudwatchLogsExportConfiguration: ['enabled_cloudwatch_logs_exports'], masterUserPassword: ['master_password'],
  },
  ModifyDBSubnetGroup: { dBSubnetGroupDescription: ['description'] },
  UpdateTable: {
    provisionedThroughput: ['read_capacity', 'write_capacity'], attributeDefinitions: ['attribute'], globalSecondaryIndexUpdates: ['global_secondary_index', 'attribute'],
    streamSpecification: ['stream_enabled', 'stream_view_type'], sSESpecification: ['server_side_encryption'],
  },
  ModifyReplicationGroup: {
    replicationGroupDescription: ['description'], cacheNodeType: ['node_type'], cacheParameterGroupName: ['parameter_group_name'], multiAZEnabled: ['multi_az_enabled'],
    preferredMaintenanceWindow: ['maintenance_window'], notificationTopicArn: ['notification_topic_arn'], authToken: ['auth_token'],
  },
  ModifyCacheSubnetGroup: { cacheSubnetGroupDescription: ['description'] },
};

function camel(attribute: string): string {
  return attribute.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The attributes one event changed: the mapping, narrowed by the request's parameter names when a
 * call can change several (ModifyInstanceAttribute with `InstanceType.Value` changed instance_type).
 */
function touchedBy(event: EventShape): Touches | undefined {
  const touches = EVENT_ATTRIBUTES[event.eventName];
  if (!Array.isArray(touches) || touches.length < 2 || !event.parameterNames?.length) return touches;
  const aliases = PARAMETER_ATTRIBUTES[event.eventName] ?? {};
  const named = touches.filter((a) => event.parameterNames!.includes(camel(a)) || event.parameterNames!.some((p) => aliases[p]?.includes(a)));
  return named.length ? [...named, ...touches.filter((a) => ALWAYS_TOUCHED.has(a) && !named.includes(a))] : touches;
}

export interface EventShape {
  eventName: string;
  parameterNames?: readonly string[];
}

/**
 * Whether an event can explain a drift at `attributePath` (empty = the whole resource: created
 * outside Terraform, or gone). Unknown events may explain anything.
 */
export function eventExplains(event: EventShape, attributePath: readonly string[]): boolean {
  const touches = touchedBy(event);
  if (touches === undefined || touches === '*') return true;
  if (touches === 'delete') return attributePath.length === 0;
  if (attributePath.length === 0) return false;
  return touches.includes(attributePath[0]!);
}

/** The attributes an event changes, when known (for a grant's list of changes). */
export function attributesChangedBy(event: EventShape): readonly string[] | undefined {
  const touches = touchedBy(event);
  return Array.isArray(touches) ? touches : undefined;
}

/** `ec2.amazonaws.com` + `AuthorizeSecurityGroupIngress` → `ec2:AuthorizeSecurityGroupIngress`. */
export function apiName(eventSource: string, eventName: string): string {
  const service = eventSource.replace(/\.amazonaws\.com$/, '');
  return service ? `${service}:${eventName}` : eventName;
}
