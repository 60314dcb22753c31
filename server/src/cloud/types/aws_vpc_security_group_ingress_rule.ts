// aws_vpc_security_group_ingress_rule: a standalone inbound rule (see sg-rule-resource.ts).
import { securityGroupRuleType } from './sg-rule-resource';

export const awsVpcSecurityGroupIngressRule = securityGroupRuleType('ingress');
