// The contract of a bench seeder: a family of resource types the sandbox serves only through its
// API (no scenario form). A seeder creates one small coherent unit of live objects through the real
// AWS SDK v3 clients and returns the Terraform blocks and the provider-v5-shaped state that match
// them, so a check of the seeded workspace finds every object and no drift.

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
/** The provider's `default_tags` in every generated workspace: live objects carry them, `tags_all` too. */
export const DEFAULT_TAGS: Readonly<Record<string, string>> = { Project: 'bench', ManagedBy: 'terraform' };

export interface SeedTarget {
  endpoint: string;
  region: string;
  account: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface SeededBlock {
  /** Terraform type and resource name (unique per workspace: built from the unit suffix). */
  type: string;
  name: string;
  /** The whole `resource "type" "name" { ... }` block, declaring what the state declares. */
  hcl: string;
  /** State attributes exactly as the AWS provider v5 writes them after apply (ids/ARNs from the create responses). */
  attributes: Record<string, unknown>;
  /** State dependencies, addresses without module prefix. */
  dependencies?: string[];
}

export interface Seeder {
  /** e.g. 'lambda': also names the root file of its blocks (`api_lambda.tf`). */
  family: string;
  /** Every Terraform type one unit emits. */
  types: readonly string[];
  /** Served from us-east-1 whatever the region (IAM, Route 53, CloudFront, WAFv2 CLOUDFRONT scope). */
  global?: boolean;
  /** One unit per region of the workspace, never more (the account's default VPC and its defaults). */
  oncePerRegion?: boolean;
  /** Creates one unit (a small coherent group, e.g. function + alias + permission) through the SDK; blocks in dependency order. */
  seedUnit(target: SeedTarget, suffix: string, random: () => number): Promise<SeededBlock[]>;
  /**
   * Fewest calls AWS allows to read `byType` resources of its types (operation name as the sandbox
   * counts it → calls), e.g. ⌈n/100⌉ for 100-per-page lists, n for per-object reads. Tags come
   * from the Tagging API (counted once, globally, by check-bench).
   */
  lowerBound(byType: Readonly<Record<string, number>>): Record<string, number>;
  /** IAM actions the bench's reader principal needs to read them (the sandbox enforces IAM). */
  readActions: readonly string[];
}

/** A unit's own tags, the live tags (with the provider's default tags) and the state's pair. */
export function tagsFor(name: string, extra: Record<string, string> = {}): { tags: Record<string, string>; tagsAll: Record<string, string> } {
  const tags = { Name: name, ...extra };
  return { tags, tagsAll: { ...tags, ...DEFAULT_TAGS } };
}

/** `tags = { ... }` lines of an HCL block (two-space indent), empty for no tags. */
export function hclTags(tags: Record<string, string>, indent = '  '): string {
  const entries = Object.entries(tags);
  if (!entries.length) return '';
  return `${indent}tags = {\n${entries.map(([k, v]) => `${indent}  ${JSON.stringify(k)} = ${JSON.stringify(v)}`).join('\n')}\n${indent}}\n`;
}

/** An HCL literal of a plain value (string, number, bool, list, object), as `jsonencode` input or argument. */
export function hclValue(value: unknown, indent = '  '): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => hclValue(v, indent)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.length) return '{}';
  const inner = `${indent}  `;
  return `{\n${entries.map(([k, v]) => `${inner}${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k)} = ${hclValue(v, inner)}`).join('\n')}\n${indent}}`;
}

/** SDK client options for a target: the sandbox endpoint, its region, the seeding principal; no retries hide errors. */
export function sdkConfig(target: SeedTarget): { endpoint: string; region: string; credentials: SeedTarget['credentials']; maxAttempts: number; forcePathStyle: boolean } {
  return { endpoint: target.endpoint, region: target.region, credentials: target.credentials, maxAttempts: 3, forcePathStyle: true };
}

const clients = new Map<string, unknown>();

/** One SDK client per (client class, endpoint, region, key), shared by the units that seed there. */
export function clientFor<C>(ctor: new (config: ReturnType<typeof sdkConfig>) => C, target: SeedTarget): C {
  const key = `${ctor.name} ${target.endpoint} ${target.region} ${target.credentials.accessKeyId}`;
  let client = clients.get(key) as C | undefined;
  if (!client) clients.set(key, (client = new ctor(sdkConfig(target))));
  return client;
}

/** `arn:aws:<service>:<region>:<account>:<resource>` of the target. */
export function arnOf(target: SeedTarget, service: string, resource: string): string {
  return `arn:aws:${service}:${target.region}:${target.account}:${resource}`;
}

/** Closes every cached client's sockets (after seeding, before the sandbox stops). */
export function releaseClients(): void {
  for (const client of clients.values()) (client as { destroy?: () => void }).destroy?.();
  clients.clear();
}

/** mulberry32: small, fast and good enough to vary generated values reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
