// EKS: one unit is a cluster in the backing subnets with a managed node group, the VPC CNI add-on
// and an access entry for the backing role.
import { CreateAccessEntryCommand, CreateAddonCommand, CreateClusterCommand, CreateNodegroupCommand, EKSClient } from '@aws-sdk/client-eks';
import { clientFor, tagsFor, type Seeder } from './seeder';
import { backingNetwork, backingRole } from './backing';
import { pick, ref, resourceBlock, slug, TEAMS } from './block-text';

const INSTANCE_TYPES = [['m6i.large'], ['m6i.large', 'm5.large'], ['c6i.xlarge']];

export const eksSeeder: Seeder = {
  family: 'eks',
  types: ['aws_eks_cluster', 'aws_eks_node_group', 'aws_eks_addon', 'aws_eks_access_entry'],
  readActions: ['eks:DescribeCluster', 'eks:DescribeNodegroup', 'eks:DescribeAddon', 'eks:DescribeAccessEntry', 'eks:ListTagsForResource'],

  async seedUnit(target, suffix, random) {
    const eks = clientFor(EKSClient, target);
    const [net, roleArn] = await Promise.all([backingNetwork(target), backingRole(target)]);
    const s = slug(suffix);
    const team = pick(TEAMS, random);
    const subnets = net.subnetIds.slice(0, 2);
    const clusterName = `bench-${s}`;
    const clusterTags = tagsFor(clusterName, { Team: team });
    const cluster = (await eks.send(new CreateClusterCommand({
      name: clusterName, roleArn, version: '1.31', resourcesVpcConfig: { subnetIds: subnets, securityGroupIds: [net.securityGroupId] },
      logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] }, accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' }, tags: clusterTags.tagsAll,
    }))).cluster!;

    const groupName = 'workers';
    const instanceTypes = pick(INSTANCE_TYPES, random);
    const max = 3 + Math.floor(random() * 6);
    const desired = 1 + Math.floor(random() * max);
    const groupTags = tagsFor(`${clusterName}-workers`, { Team: team });
    const group = (await eks.send(new CreateNodegroupCommand({
      clusterName, nodegroupName: groupName, nodeRole: roleArn, subnets, scalingConfig: { desiredSize: desired, minSize: 1, maxSize: max },
      instanceTypes, labels: { pool: 'general', team }, tags: groupTags.tagsAll,
    }))).nodegroup!;

    const addonVersion = 'v1.18.5-eksbuild.1';
    const addonTags = tagsFor(`${clusterName}-vpc-cni`, { Team: team });
    const addon = (await eks.send(new CreateAddonCommand({ clusterName, addonName: 'vpc-cni', addonVersion, tags: addonTags.tagsAll }))).addon!;

    const groups = ['ops', `${team}-viewers`];
    const entryTags = tagsFor(`${clusterName}-operator`, { Team: team });
    const entry = (await eks.send(new CreateAccessEntryCommand({ clusterName, principalArn: roleArn, kubernetesGroups: groups, tags: entryTags.tagsAll }))).accessEntry!;

    const n = { cluster: `eks_${suffix}`, group: `eks_workers_${suffix}`, addon: `eks_cni_${suffix}`, entry: `eks_operator_${suffix}` };
    const clusterRef = ref(`aws_eks_cluster.${n.cluster}.name`);
    return [
      {
        type: 'aws_eks_cluster', name: n.cluster,
        hcl: resourceBlock('aws_eks_cluster', n.cluster, [
          ['name', clusterName], ['role_arn', roleArn], ['version', '1.31'],
          { block: 'vpc_config', body: [['subnet_ids', subnets], ['security_group_ids', [net.securityGroupId]]] },
          ['enabled_cluster_log_types', ['api', 'audit']], { block: 'access_config', body: [['authentication_mode', 'API_AND_CONFIG_MAP']] }, ['tags', clusterTags.tags],
        ]),
        attributes: {
          id: clusterName, name: clusterName, arn: cluster.arn, role_arn: roleArn, version: cluster.version ?? '1.31', platform_version: cluster.platformVersion ?? '', status: 'ACTIVE',
          endpoint: cluster.endpoint ?? '', created_at: cluster.createdAt ? `${cluster.createdAt.toISOString().replace('T', ' ').replace('Z', '')} +0000 UTC` : '',
          vpc_config: [{
            subnet_ids: subnets, security_group_ids: [net.securityGroupId], endpoint_private_access: false, endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'],
            cluster_security_group_id: cluster.resourcesVpcConfig?.clusterSecurityGroupId ?? '', vpc_id: cluster.resourcesVpcConfig?.vpcId ?? net.vpcId,
          }],
          enabled_cluster_log_types: ['api', 'audit'],
          access_config: [{ authentication_mode: 'API_AND_CONFIG_MAP', bootstrap_cluster_creator_admin_permissions: true }],
          kubernetes_network_config: [{ service_ipv4_cidr: '172.20.0.0/16', ip_family: 'ipv4', service_ipv6_cidr: '' }], encryption_config: [],
          tags: clusterTags.tags, tags_all: clusterTags.tagsAll,
        },
      },
      {
        type: 'aws_eks_node_group', name: n.group,
        hcl: resourceBlock('aws_eks_node_group', n.group, [
          ['cluster_name', clusterRef], ['node_group_name', groupName], ['node_role_arn', roleArn], ['subnet_ids', subnets],
          { block: 'scaling_config', body: [['desired_size', desired], ['min_size', 1], ['max_size', max]] },
          ['instance_types', instanceTypes], ['labels', { pool: 'general', team }], ['tags', groupTags.tags],
        ]),
        attributes: {
          id: `${clusterName}:${groupName}`, cluster_name: clusterName, node_group_name: groupName, node_group_name_prefix: '', arn: group.nodegroupArn, node_role_arn: roleArn,
          subnet_ids: subnets, scaling_config: [{ desired_size: desired, min_size: 1, max_size: max }], instance_types: instanceTypes, labels: { pool: 'general', team }, taint: [],
          update_config: [{ max_unavailable: group.updateConfig?.maxUnavailable ?? 1, max_unavailable_percentage: group.updateConfig?.maxUnavailablePercentage ?? 0 }],
          capacity_type: group.capacityType ?? 'ON_DEMAND', ami_type: group.amiType ?? '', disk_size: group.diskSize ?? 20, version: group.version ?? '1.31',
          release_version: group.releaseVersion ?? '', status: 'ACTIVE', launch_template: [], remote_access: [], tags: groupTags.tags, tags_all: groupTags.tagsAll,
        },
        dependencies: [`aws_eks_cluster.${n.cluster}`],
      },
      {
        type: 'aws_eks_addon', name: n.addon,
        hcl: resourceBlock('aws_eks_addon', n.addon, [['cluster_name', clusterRef], ['addon_name', 'vpc-cni'], ['addon_version', addonVersion], ['tags', addonTags.tags]]),
        attributes: {
          id: `${clusterName}:vpc-cni`, cluster_name: clusterName, addon_name: 'vpc-cni', arn: addon.addonArn, addon_version: addonVersion, configuration_values: addon.configurationValues ?? '',
          service_account_role_arn: '', resolve_conflicts_on_create: null, resolve_conflicts_on_update: null, preserve: false, tags: addonTags.tags, tags_all: addonTags.tagsAll,
        },
        dependencies: [`aws_eks_cluster.${n.cluster}`],
      },
      {
        type: 'aws_eks_access_entry', name: n.entry,
        hcl: resourceBlock('aws_eks_access_entry', n.entry, [['cluster_name', clusterRef], ['principal_arn', roleArn], ['kubernetes_groups', groups], ['tags', entryTags.tags]]),
        attributes: {
          id: `${clusterName}:${roleArn}`, cluster_name: clusterName, principal_arn: roleArn, access_entry_arn: entry.accessEntryArn, kubernetes_groups: groups,
          type: 'STANDARD', user_name: entry.username ?? '', tags: entryTags.tags, tags_all: entryTags.tagsAll,
        },
        dependencies: [`aws_eks_cluster.${n.cluster}`],
      },
    ];
  },

  lowerBound(byType) {
    // EKS has no batch describe of any of these (its List calls return names only): one call per object.
    return {
      'eks:DescribeCluster': byType.aws_eks_cluster ?? 0,
      'eks:DescribeNodegroup': byType.aws_eks_node_group ?? 0,
      'eks:DescribeAddon': byType.aws_eks_addon ?? 0,
      'eks:DescribeAccessEntry': byType.aws_eks_access_entry ?? 0,
    };
  },
};
