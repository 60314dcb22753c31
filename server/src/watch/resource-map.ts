// Pure: which state addresses a CloudTrail event touched. CloudTrail names an object by whatever the
// service uses (EC2 ids, S3 bucket names, IAM role names, ARNs in the record), so each instance is
// known under all of those.
import type { ResourceType } from '../cloud/types/resource-type';
import type { ChangeEvent, StateInstance } from '../model';

/** Every name an event may use for this instance. */
export function instanceNames(instance: StateInstance, types: ReadonlyMap<string, ResourceType>): string[] {
  const a = instance.attributes;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? [v] : []);
  const id = types.get(instance.type)?.idFromState(a);
  const names = [...str(id), ...str(a.id), ...str(a.arn), ...str(a.bucket)];
  // Sub-resources are recorded under their parent: `role:policy` under the role, a rule under its group.
  if (instance.type === 'aws_iam_role_policy') names.push(...str(a.role));
  if (instance.type.startsWith('aws_vpc_security_group_') && instance.type.endsWith('_rule')) names.push(...str(a.security_group_id));
  for (const n of [...names]) if (!n.startsWith('arn:') && n.includes(':')) names.push(n.split(':')[0]!);
  return [...new Set(names)];
}

export class ResourceIndex {
  private readonly byName = new Map<string, string[]>();

  constructor(instances: readonly StateInstance[], types: ReadonlyMap<string, ResourceType>) {
    for (const inst of instances) {
      for (const name of instanceNames(inst, types)) this.byName.set(name, [...(this.byName.get(name) ?? []), inst.address]);
    }
  }

  /** Addresses an event touched; empty for objects Terraform does not manage here. */
  addressesOf(event: Pick<ChangeEvent, 'resources'>): string[] {
    const out = new Set<string>();
    for (const name of event.resources) for (const address of this.byName.get(name) ?? []) out.add(address);
    return [...out];
  }
}
