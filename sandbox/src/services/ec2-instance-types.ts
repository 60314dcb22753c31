// EC2 instance types and credit specifications (query/XML): what Terraform's AWS provider asks
// when it refreshes an aws_instance (DescribeInstanceTypes, DescribeInstanceCreditSpecifications).
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import type { QueryParams } from '../protocol/query-xml';
import { items, node, type XmlNode } from '../xml';
import { checkFilterNames, matchesFilters, readFilters, type FilterValues } from './ec2-shapes';

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

interface TypeInfo { vcpus: number; memoryMiB: number; network: string }

/** The instance types the sandbox knows (vCPUs and memory as EC2 documents them). */
export const INSTANCE_TYPES: Record<string, TypeInfo> = {
  't2.micro': { vcpus: 1, memoryMiB: 1024, network: 'Low to Moderate' },
  't2.small': { vcpus: 1, memoryMiB: 2048, network: 'Low to Moderate' },
  't2.medium': { vcpus: 2, memoryMiB: 4096, network: 'Low to Moderate' },
  't3.nano': { vcpus: 2, memoryMiB: 512, network: 'Up to 5 Gigabit' },
  't3.micro': { vcpus: 2, memoryMiB: 1024, network: 'Up to 5 Gigabit' },
  't3.small': { vcpus: 2, memoryMiB: 2048, network: 'Up to 5 Gigabit' },
  't3.medium': { vcpus: 2, memoryMiB: 4096, network: 'Up to 5 Gigabit' },
  't3.large': { vcpus: 2, memoryMiB: 8192, network: 'Up to 5 Gigabit' },
  't3.xlarge': { vcpus: 4, memoryMiB: 16384, network: 'Up to 5 Gigabit' },
  't3.2xlarge': { vcpus: 8, memoryMiB: 32768, network: 'Up to 5 Gigabit' },
  'm1.small': { vcpus: 1, memoryMiB: 1740, network: 'Low' },
  'm5.large': { vcpus: 2, memoryMiB: 8192, network: 'Up to 10 Gigabit' },
  'm5.xlarge': { vcpus: 4, memoryMiB: 16384, network: 'Up to 10 Gigabit' },
  'c5.large': { vcpus: 2, memoryMiB: 4096, network: 'Up to 10 Gigabit' },
  'c5.xlarge': { vcpus: 4, memoryMiB: 8192, network: 'Up to 10 Gigabit' },
  'r5.large': { vcpus: 2, memoryMiB: 16384, network: 'Up to 10 Gigabit' },
};

const burstable = (type: string): boolean => /^t\d/.test(type);
/** T2 launches with standard credits; T3 and later with unlimited (EC2's defaults). */
export const defaultCredits = (type: string): 'standard' | 'unlimited' => (type.startsWith('t2.') ? 'standard' : 'unlimited');

/** Cores and threads per core of a type (one thread per core below 2 vCPUs). */
export function cpuOptionsOf(type: string): { cores: number; threads: number } {
  const vcpus = INSTANCE_TYPES[type]?.vcpus ?? 1;
  return vcpus >= 2 && !type.startsWith('t2.') ? { cores: vcpus / 2, threads: 2 } : { cores: vcpus, threads: 1 };
}

function typeXml(name: string, t: TypeInfo): XmlNode[] {
  const cpu = cpuOptionsOf(name);
  return [
    node('instanceType', name), node('currentGeneration', !name.startsWith('m1.') && !name.startsWith('t2.')), node('freeTierEligible', name === 't2.micro' || name === 't3.micro'),
    node('supportedUsageClasses', items('item', ['on-demand', 'spot'], (u) => u)), node('supportedRootDeviceTypes', items('item', ['ebs'], (u) => u)),
    node('supportedVirtualizationTypes', items('item', ['hvm'], (u) => u)), node('bareMetal', false), node('hypervisor', name.startsWith('t2.') || name.startsWith('m1.') ? 'xen' : 'nitro'),
    node('processorInfo', [node('supportedArchitectures', items('item', ['x86_64'], (u) => u)), node('sustainedClockSpeedInGhz', 2.5)]),
    node('vCpuInfo', [node('defaultVCpus', t.vcpus), node('defaultCores', cpu.cores), node('defaultThreadsPerCore', cpu.threads)]),
    node('memoryInfo', [node('sizeInMiB', t.memoryMiB)]), node('instanceStorageSupported', false),
    node('ebsInfo', [node('ebsOptimizedSupport', name.startsWith('t2.') || name.startsWith('m1.') ? 'unsupported' : 'default'), node('encryptionSupport', 'supported'), node('nvmeSupport', name.startsWith('t2.') ? 'unsupported' : 'required')]),
    node('networkInfo', [node('networkPerformance', t.network), node('maximumNetworkInterfaces', Math.max(2, t.vcpus)), node('ipv4AddressesPerInterface', 6), node('ipv6Supported', true), node('enaSupport', name.startsWith('t2.') ? 'unsupported' : 'required')]),
    node('placementGroupInfo', [node('supportedStrategies', items('item', ['partition', 'spread'], (u) => u))]),
    node('burstablePerformanceSupported', burstable(name)), node('dedicatedHostsSupported', !burstable(name)), node('autoRecoverySupported', true),
    node('supportedBootModes', items('item', ['legacy-bios', 'uefi'], (u) => u)),
  ];
}

export const ec2InstanceTypeOperations: Record<string, Handler> = {
  DescribeInstanceTypes(ctx, p) {
    ctx.authorize('ec2:DescribeInstanceTypes', '*');
    const asked = p.list('InstanceType');
    const unknown = asked.filter((t) => !INSTANCE_TYPES[t]);
    if (unknown.length) throw new ApiError('InvalidInstanceType', `The following supplied instance types do not exist: [${unknown.join(', ')}]`, 400);
    const names = asked.length ? asked : Object.keys(INSTANCE_TYPES);
    const values: FilterValues<string> = (name, filter) => {
      switch (filter) {
        case 'instance-type': return [name];
        case 'burstable-performance-supported': return [String(burstable(name))];
        case 'vcpu-info.default-vcpus': return [String(INSTANCE_TYPES[name]!.vcpus)];
        case 'memory-info.size-in-mib': return [String(INSTANCE_TYPES[name]!.memoryMiB)];
        default: return undefined;
      }
    };
    const filters = readFilters(p);
    checkFilterNames(names[0], filters, values);
    const list = filters.length ? names.filter((n) => matchesFilters(n, filters, values)) : names;
    return [node('instanceTypeSet', items('item', list, (n) => typeXml(n, INSTANCE_TYPES[n]!)))];
  },
  DescribeInstanceCreditSpecifications(ctx, p) {
    ctx.authorize('ec2:DescribeInstanceCreditSpecifications', '*');
    const ids = p.list('InstanceId');
    const all = Object.values(ctx.world.instances).filter((i) => i.region === ctx.region && i.state !== 'terminated');
    const missing = ids.filter((id) => !all.some((i) => i.id === id));
    if (missing.length) throw new ApiError('InvalidInstanceID.NotFound', `The instance ID${missing.length > 1 ? 's' : ''} '${missing.join(', ')}' ${missing.length > 1 ? 'do' : 'does'} not exist`, 400);
    const base = (ids.length ? all.filter((i) => ids.includes(i.id)) : all).filter((i) => burstable(i.instanceType));
    return [node('instanceCreditSpecificationSet', items('item', base, (i) => [node('instanceId', i.id), node('cpuCredits', defaultCredits(i.instanceType))]))];
  },
};
