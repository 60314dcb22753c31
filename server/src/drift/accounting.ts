// Nothing skipped silently: every managed resource instance in state ends up either compared
// against its live object, unknown (its read failed), or listed as not checked with a reason.
// Pure: the caller supplies what it knows about module calls (config and `terraform init`).
import type { StateInstance } from '../model';
import type { NotChecked } from './snapshot';

/** How the state's managed instances were handled; checked + unknown + notChecked = inState. */
export interface InstanceAccount {
  inState: number;
  checked: number;
  unknown: number;
  notChecked: number;
}

/** What the root configuration says about one module call (`module "NAME" { source = ... }`). */
export interface ModuleCall {
  name: string;
  source?: string;
  /** Local path that exists, or a key in `.terraform/modules/modules.json`. */
  installed: boolean;
}

export interface AccountingInput {
  /** The state's managed instances (or the inferred matches when there is no state). */
  instances: StateInstance[];
  /** Instance addresses compared against a live read (found or found missing). */
  checked: ReadonlySet<string>;
  /** Instance addresses whose live read failed (reported as unknown, not as drift). */
  unknown: ReadonlySet<string>;
  notChecked: NotChecked[];
  /** Resource addresses the root configuration declares. */
  declared: ReadonlySet<string>;
  /** Module calls of the root configuration, by name. */
  moduleCalls: ReadonlyMap<string, ModuleCall>;
}

/** `module.app["blue"].module.inner` → `app`: the root module call an instance belongs to. */
export function topModuleCall(modulePath: string): string | undefined {
  return /^module\.([A-Za-z_][\w-]*)/.exec(modulePath)?.[1];
}

export function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../');
}

/** Why an instance nobody compared or listed was not checked. */
function reasonFor(inst: StateInstance, input: AccountingInput): string {
  if (!inst.module) {
    return input.declared.has(inst.resourceAddress)
      ? 'in state, but no live read was planned for it'
      : 'in state but not in the configuration (terraform apply would destroy it)';
  }
  const name = topModuleCall(inst.module) ?? inst.module;
  const call = input.moduleCalls.get(name);
  if (!call) return `module \`${name}\` is no longer in the configuration (terraform apply would destroy it)`;
  if (!call.installed) {
    return call.source && isLocalSource(call.source)
      ? `module \`${name}\`: source ${call.source} does not exist`
      : `module \`${name}\` is not installed: run \`terraform init\``;
  }
  return `in state, but not in the configuration of module \`${name}\`${call.source ? ` (${call.source})` : ''} (terraform apply would destroy it)`;
}

/**
 * The not-checked list with exactly one entry per unaccounted state instance (a block-level entry
 * such as "type not supported" is spelled out per instance), entries about configuration only
 * (not in state) kept, and the counts that add up to the state's instances.
 */
export function accountForState(input: AccountingInput): { notChecked: NotChecked[]; account: InstanceAccount } {
  const byAddress = new Map<string, NotChecked>();
  for (const n of input.notChecked) if (!byAddress.has(n.address)) byAddress.set(n.address, n);
  const stateAddresses = new Set(input.instances.map((i) => i.address));
  const stateResources = new Set(input.instances.map((i) => i.resourceAddress));
  // Entries about declared blocks with nothing in state ("not applied yet") stay as they are.
  const notChecked = [...byAddress.values()].filter((n) => !stateAddresses.has(n.address) && !stateResources.has(n.address));
  const account: InstanceAccount = { inState: input.instances.length, checked: 0, unknown: 0, notChecked: 0 };
  for (const inst of input.instances) {
    if (input.checked.has(inst.address)) {
      account.checked++;
      continue;
    }
    if (input.unknown.has(inst.address)) {
      account.unknown++;
      continue;
    }
    const listed = byAddress.get(inst.address) ?? byAddress.get(inst.resourceAddress);
    notChecked.push({ address: inst.address, type: inst.type, reason: listed?.reason ?? reasonFor(inst, input) });
    account.notChecked++;
  }
  return { notChecked, account };
}

/** A block whose source is broken: its instances are listed with that reason instead of any other. */
export function withBlockReason(notChecked: NotChecked[], blockAddress: string, type: string, reason: string): NotChecked[] {
  const ofBlock = (a: string): boolean => a === blockAddress || a.startsWith(`${blockAddress}[`);
  const hits = notChecked.filter((n) => ofBlock(n.address));
  const rest = notChecked.filter((n) => !ofBlock(n.address));
  return hits.length ? [...rest, ...hits.map((n) => ({ ...n, reason }))] : [...rest, { address: blockAddress, type, reason }];
}
