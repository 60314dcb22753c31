// Terraform state format version 4 (Terraform 0.12 and later) → StateInstance records.
import type { StateInstance } from '../model';

export class StateError extends Error {}

export interface TerraformState {
  /** Where the state came from: a file path or `s3://bucket/key`. */
  source: string;
  serial?: number;
  lineage?: string;
  terraformVersion?: string;
  /** Managed resource instances (data sources are not compared). */
  instances: StateInstance[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function instanceAddress(resourceAddress: string, key: number | string | undefined): string {
  if (key === undefined) return resourceAddress;
  return typeof key === 'number' ? `${resourceAddress}[${key}]` : `${resourceAddress}[${JSON.stringify(key)}]`;
}

/** Parses state JSON text; throws StateError naming the source and what is wrong. */
export function parseState(source: string, text: string): TerraformState {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new StateError(`${source}: not a Terraform state file (invalid JSON: ${detail})`);
  }
  if (!isRecord(doc)) throw new StateError(`${source}: not a Terraform state file (expected a JSON object)`);
  const version = doc.version;
  if (version !== 4) {
    if (typeof version === 'number' && version < 4) {
      throw new StateError(`${source}: state format version ${version} is not supported; Tidemark reads version 4 (Terraform 0.12+). Run any 'terraform apply' or 'terraform state push' with a current Terraform to upgrade it.`);
    }
    throw new StateError(`${source}: not a Terraform state file (missing or unknown "version": ${JSON.stringify(version ?? null)})`);
  }
  const resources = doc.resources ?? [];
  if (!Array.isArray(resources)) throw new StateError(`${source}: "resources" must be a list`);

  const instances: StateInstance[] = [];
  resources.forEach((r, i) => {
    const where = `${source}: resources[${i}]`;
    if (!isRecord(r)) throw new StateError(`${where}: expected an object`);
    if ((r.mode ?? 'managed') !== 'managed') return;
    const { type, name } = r;
    if (typeof type !== 'string' || typeof name !== 'string') throw new StateError(`${where}: missing "type" or "name"`);
    const module = typeof r.module === 'string' ? r.module : '';
    const resourceAddress = `${module ? `${module}.` : ''}${type}.${name}`;
    const provider = typeof r.provider === 'string' ? r.provider : undefined;
    const list = r.instances ?? [];
    if (!Array.isArray(list)) throw new StateError(`${where} (${resourceAddress}): "instances" must be a list`);
    list.forEach((inst, j) => {
      if (!isRecord(inst)) throw new StateError(`${where} (${resourceAddress}): instances[${j}] must be an object`);
      const key = inst.index_key;
      if (key !== undefined && typeof key !== 'number' && typeof key !== 'string') {
        throw new StateError(`${where} (${resourceAddress}): instances[${j}].index_key must be a number or string`);
      }
      // A deposed object is one create_before_destroy has not yet destroyed: not the current instance.
      if (typeof inst.deposed === 'string') return;
      const attributes = inst.attributes;
      if (!isRecord(attributes)) throw new StateError(`${where} (${instanceAddress(resourceAddress, key)}): instance has no "attributes" object`);
      instances.push({ address: instanceAddress(resourceAddress, key), resourceAddress, type, name, module, indexKey: key, attributes, ...(provider ? { provider } : {}) });
    });
  });
  return {
    source,
    serial: typeof doc.serial === 'number' ? doc.serial : undefined,
    lineage: typeof doc.lineage === 'string' ? doc.lineage : undefined,
    terraformVersion: typeof doc.terraform_version === 'string' ? doc.terraform_version : undefined,
    instances,
  };
}

/** Lookup of state instances by instance address and by resource address. */
export class StateIndex {
  private readonly byAddress = new Map<string, StateInstance>();
  private readonly byResource = new Map<string, StateInstance[]>();

  constructor(readonly instances: StateInstance[], readonly source?: string) {
    for (const inst of instances) {
      this.byAddress.set(inst.address, inst);
      const list = this.byResource.get(inst.resourceAddress) ?? [];
      list.push(inst);
      this.byResource.set(inst.resourceAddress, list);
    }
  }

  static empty(): StateIndex {
    return new StateIndex([]);
  }

  get(address: string): StateInstance | undefined {
    return this.byAddress.get(address);
  }

  /** Instances of one resource, in index order. */
  instancesOf(resourceAddress: string): StateInstance[] {
    return this.byResource.get(resourceAddress) ?? [];
  }

  /** AWS account ids that appear in the ARNs recorded in state. */
  accounts(): Set<string> {
    const out = new Set<string>();
    for (const inst of this.instances) {
      const arn = inst.attributes.arn;
      const m = typeof arn === 'string' ? /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn) : null;
      if (m) out.add(m[1]);
      const owner = inst.attributes.owner_id;
      if (typeof owner === 'string' && /^\d{12}$/.test(owner)) out.add(owner);
    }
    return out;
  }
}
