// The part of the world RDS owns. Identifiers are case-insensitive on AWS and stored lower-case;
// records are keyed by `region/identifier`. Nothing runs: the sandbox keeps configuration only,
// and every object is `available` as soon as it is created.
import type { Tags } from '../../world';

export interface RdsSubnetGroup {
  name: string;
  region: string;
  description: string;
  subnetIds: string[];
  vpcId: string;
  tags: Tags;
}

export interface RdsParameterGroup {
  name: string;
  region: string;
  family: string;
  description: string;
  /** Parameters set by the user (source `user`): name → value and how it was applied. */
  parameters: Record<string, { value: string; applyMethod: 'immediate' | 'pending-reboot' }>;
  tags: Tags;
}

export interface RdsDbInstance {
  identifier: string;
  region: string;
  resourceId: string;
  instanceClass: string;
  engine: string;
  engineVersion: string;
  masterUsername?: string;
  dbName?: string;
  allocatedStorage: number;
  maxAllocatedStorage?: number;
  storageType: string;
  iops?: number;
  storageThroughput?: number;
  multiAz: boolean;
  publiclyAccessible: boolean;
  backupRetentionPeriod: number;
  backupWindow: string;
  maintenanceWindow: string;
  deletionProtection: boolean;
  subnetGroupName: string;
  vpcSecurityGroupIds: string[];
  parameterGroupName: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  iamAuth: boolean;
  performanceInsights: boolean;
  copyTagsToSnapshot: boolean;
  autoMinorVersionUpgrade: boolean;
  monitoringInterval: number;
  monitoringRoleArn?: string;
  port: number;
  caCertificate: string;
  cloudwatchLogsExports: string[];
  availabilityZone: string;
  clusterIdentifier?: string;
  promotionTier?: number;
  /** Changes made without ApplyImmediately: they wait for the maintenance window. */
  pending: Record<string, string | number | boolean>;
  createTime: string;
  tags: Tags;
}

export interface RdsCluster {
  identifier: string;
  region: string;
  resourceId: string;
  engine: string;
  engineVersion: string;
  engineMode: string;
  masterUsername?: string;
  databaseName?: string;
  port: number;
  backupRetentionPeriod: number;
  backupWindow: string;
  maintenanceWindow: string;
  subnetGroupName: string;
  vpcSecurityGroupIds: string[];
  parameterGroupName: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  deletionProtection: boolean;
  iamAuth: boolean;
  copyTagsToSnapshot: boolean;
  autoMinorVersionUpgrade: boolean;
  cloudwatchLogsExports: string[];
  availabilityZones: string[];
  createTime: string;
  tags: Tags;
}

export interface RdsState {
  subnetGroups: Record<string, RdsSubnetGroup>;
  parameterGroups: Record<string, RdsParameterGroup>;
  clusterParameterGroups: Record<string, RdsParameterGroup>;
  instances: Record<string, RdsDbInstance>;
  clusters: Record<string, RdsCluster>;
}

/** The world's RDS state (absent in worlds saved before RDS existed). */
export interface RdsWorld {
  accountId: string;
  rds?: RdsState;
}

export function rdsOf(w: RdsWorld): RdsState {
  return (w.rds ??= { subnetGroups: {}, parameterGroups: {}, clusterParameterGroups: {}, instances: {}, clusters: {} });
}

export const rdsArn = (w: RdsWorld, region: string, kind: 'db' | 'cluster' | 'subgrp' | 'pg' | 'cluster-pg', name: string): string =>
  `arn:aws:rds:${region}:${w.accountId}:${kind}:${name}`;
