// aws_vpc_security_group_egress_rule: a standalone outbound rule (see sg-rule-resource.ts).
import { securityGroupRuleType } from './sg-rule-resource';

export const awsVpcSecurityGroupEgressRule = securityGroupRuleType('egress');
