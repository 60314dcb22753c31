// Reads what the demo needs from the sandbox scenario (principals' keys, resource ids) so nothing
// is hard-coded twice.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface DemoPrincipal {
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
}

interface RawScenario {
  account: string;
  region: string;
  users?: Array<{ name: string; accessKeys?: Array<{ id: string; secret: string }> }>;
  instances?: Array<{ id: string; type: string; tags?: Record<string, string> }>;
  securityGroups?: Array<{ id: string; name: string }>;
  buckets?: Array<{ name: string; tags?: Record<string, string> }>;
}

export class DemoScenario {
  private readonly raw: RawScenario;

  constructor(readonly file: string) {
    this.raw = parse(readFileSync(file, 'utf8')) as RawScenario;
  }

  get account(): string {
    return this.raw.account;
  }

  get region(): string {
    return this.raw.region;
  }

  principal(name: string): DemoPrincipal {
    const user = this.raw.users?.find((u) => u.name === name);
    const key = user?.accessKeys?.[0];
    if (!key) throw new Error(`${this.file}: user ${name} with an access key is missing`);
    return { name, accessKeyId: key.id, secretAccessKey: key.secret };
  }

  instanceNamed(name: string): { id: string; type: string } {
    const found = this.raw.instances?.find((i) => i.tags?.Name === name);
    if (!found) throw new Error(`${this.file}: no instance tagged Name=${name}`);
    return found;
  }

  securityGroupNamed(name: string): string {
    const found = this.raw.securityGroups?.find((g) => g.name === name);
    if (!found) throw new Error(`${this.file}: no security group named ${name}`);
    return found.id;
  }

  bucket(name: string): { name: string; tags: Record<string, string> } {
    const found = this.raw.buckets?.find((b) => b.name === name);
    if (!found) throw new Error(`${this.file}: no bucket ${name}`);
    return { name: found.name, tags: found.tags ?? {} };
  }
}
