// aws_rds_cluster_parameter_group: see rds-parameter-groups.ts (one listing of the region;
// parameters read only for blocks that declare them).
import { rdsParameterGroupType } from './rds-parameter-groups';

export const awsRdsClusterParameterGroup = rdsParameterGroupType('cluster');
