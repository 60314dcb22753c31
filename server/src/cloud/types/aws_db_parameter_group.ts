// aws_db_parameter_group: see rds-parameter-groups.ts (one listing of the region; parameters read
// only for blocks that declare them).
import { rdsParameterGroupType } from './rds-parameter-groups';

export const awsDbParameterGroup = rdsParameterGroupType('db');
