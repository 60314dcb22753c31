// Every bench seeder, and seedWorkspace: fills the share of a generated workspace that
// `generateWorkspace({ everyType: true })` left to the API-only types, by creating units through
// the SDK against the running sandbox and adding their blocks and state to the workspace.
import type { GeneratedWorkspace, SeedCell } from '../generate';
import { ec2GatewaysSeeder } from './ec2-gateways';
import { iamSeeder } from './iam';
import { lambdaSeeder } from './lambda';
import { messagingSeeder } from './messaging';
import { monitoringSeeder } from './monitoring';
import { route53Seeder } from './route53';
import { s3Seeder } from './s3';
import { apigatewayv2Seeder } from './apis';
import { configSeeder } from './config';
import { dynamodbSeeder } from './data';
import { ecrSeeder } from './ecr';
import { ecsSeeder } from './ecs';
import { cloudfrontSeeder } from './edge';
import { eksSeeder } from './eks';
import { elasticacheSeeder } from './elasticache';
import { lbSeeder } from './lb';
import { rdsSeeder } from './rds';
import { autoscalingSeeder } from './scaling';
import { ec2ComputeSeeder } from './ec2-compute';
import { ec2DefaultsSeeder } from './ec2-defaults';
import { ec2NetworkSeeder } from './ec2-network';
import { ACCOUNT, prng, REGION, releaseClients, type SeededBlock, type Seeder, type SeedTarget } from './seeder';

export const SEEDERS: Seeder[] = [
  ec2GatewaysSeeder,
  iamSeeder,
  s3Seeder,
  route53Seeder,
  lambdaSeeder,
  messagingSeeder,
  monitoringSeeder,
  dynamodbSeeder,
  rdsSeeder,
  elasticacheSeeder,
  lbSeeder,
  autoscalingSeeder,
  ecsSeeder,
  eksSeeder,
  ecrSeeder,
  configSeeder,
  cloudfrontSeeder,
  apigatewayv2Seeder,
  ec2NetworkSeeder,
  ec2ComputeSeeder,
  ec2DefaultsSeeder,
];

export interface SeedOptions {
  /** Units per seeder instead of filling the budget (`--smoke`, the test: 1). */
  units?: number;
  /** Units created at the same time (default 8). */
  concurrency?: number;
  /** Only these seeders (default SEEDERS). */
  seeders?: readonly Seeder[];
  log?: (line: string) => void;
}

export interface SeedReport {
  units: number;
  resources: number;
  ms: number;
  /** Seeded resources per family. */
  byFamily: Record<string, number>;
  /** Seeded addresses, in workspace order. */
  addresses: string[];
}

interface PlannedUnit {
  seeder: Seeder;
  suffix: string;
  cell: SeedCell;
  /** Its blocks once created; a unit past the budget keeps only a dependency-order prefix. */
  blocks?: SeededBlock[];
}


function hashOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Runs `work` over `items` with at most `limit` at a time; the first failure fails the whole. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
}

/** The cells a seeder's units go to, in turn: global services only where the provider is in us-east-1. */
function cellsFor(seeder: Seeder, cells: readonly SeedCell[]): SeedCell[] {
  const usable = seeder.global ? cells.filter((c) => c.region === REGION) : [...cells];
  return usable.length ? usable : [{ module: '', region: REGION }];
}

/** One unit per region, in the first cell of that region. */
function oncePerRegionCells(cells: readonly SeedCell[]): SeedCell[] {
  const seen = new Map<string, SeedCell>();
  for (const c of cells) if (!seen.has(c.region)) seen.set(c.region, c);
  return [...seen.values()];
}

/**
 * Creates units of every seeder against the sandbox and adds them to `ws` (.tf files, state,
 * addresses, byType, byRegion, fileOf). Without `units`, a first round of one unit per seeder
 * measures each unit's size; then whole rounds and a last partial round fill the budget with
 * units that fit (a one-resource unit makes the total exact); only when none fits is the last unit
 * cut to a dependency-order prefix, so the total is exactly the one asked for.
 */
export async function seedWorkspace(ws: GeneratedWorkspace, target: SeedTarget, options: SeedOptions = {}): Promise<SeedReport> {
  const plan = ws.seeding;
  if (!plan) throw new Error('seedWorkspace: the workspace was generated without everyType: true');
  const seeders = options.seeders ?? SEEDERS;
  const concurrency = options.concurrency ?? 8;
  const start = performance.now();
  const units: PlannedUnit[] = [];
  const firstRound = new Set<PlannedUnit>();
  const cursor = new Map<Seeder, number>();
  const plan1 = (seeder: Seeder, cell?: SeedCell): PlannedUnit => {
    const k = cursor.get(seeder) ?? 0;
    cursor.set(seeder, k + 1);
    const cells = cellsFor(seeder, plan.cells);
    // Seeders start at different cells, so modules and regions mix from the first round on.
    const unit = { seeder, suffix: `${seeder.family.replace(/[^a-z0-9]/g, '')}${k + 1}`, cell: cell ?? cells[(k + seeders.indexOf(seeder)) % cells.length]! };
    units.push(unit);
    return unit;
  };
  const run = (list: PlannedUnit[]) => pool(list, concurrency, async (u) => {
    const unitTarget = { ...target, region: u.seeder.global ? REGION : u.cell.region };
    try {
      u.blocks = await u.seeder.seedUnit(unitTarget, u.suffix, prng(hashOf(`${plan.seed}/${u.suffix}`)));
    } catch (error) {
      throw new Error(`seeding ${u.seeder.family} unit ${u.suffix} in ${unitTarget.region} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  try {
    // Round one: every seeder once (the once-per-region ones in each region).
    const first: PlannedUnit[] = [];
    for (const seeder of seeders) {
      if (seeder.oncePerRegion) for (const cell of oncePerRegionCells(cellsFor(seeder, plan.cells))) first.push(plan1(seeder, cell));
      else first.push(plan1(seeder));
    }
    await run(first);
    for (const u of first) firstRound.add(u);
    const rounds = options.units ?? 0;
    const repeatable = seeders.filter((s) => !s.oncePerRegion);
    const later: PlannedUnit[] = [];
    if (options.units !== undefined) {
      for (let r = 1; r < rounds; r++) for (const s of repeatable) later.push(plan1(s));
    } else {
      const sizeOf = new Map(first.map((u) => [u.seeder, u.blocks!.length]));
      let left = plan.budget - first.reduce((n, u) => n + u.blocks!.length, 0);
      if (left < 0) options.log?.(`seed: one unit of every seeder is ${plan.budget - left} resources, over the ${plan.budget} left to the seeders`);
      while (left > 0 && repeatable.length) {
        // Whole units while any fits: a unit cut short leaves live objects no block declares, which
        // carry the default tags and so read as unmanaged. Only when none fits is the last one cut.
        const fits = repeatable.some((s) => sizeOf.get(s)! <= left);
        for (const s of repeatable) {
          if (left <= 0) break;
          if (fits && sizeOf.get(s)! > left) continue;
          later.push(plan1(s));
          left -= Math.max(1, sizeOf.get(s)!);
        }
      }
    }
    await run(later);
  } finally {
    releaseClients();
  }

  // Exactly the budget (when filling it): cut the last units to dependency-order prefixes.
  if (options.units === undefined) {
    let room = plan.budget - [...firstRound].reduce((n, u) => n + u.blocks!.length, 0);
    for (const u of units) {
      if (firstRound.has(u)) continue;
      u.blocks = u.blocks!.slice(0, Math.max(0, room));
      room -= u.blocks.length;
    }
  }
  const report = addToWorkspace(ws, units);
  const ms = Math.round(performance.now() - start);
  options.log?.(`seed: ${units.length} units, ${report.addresses.length} resources in ${ms} ms`);
  return { units: units.length, resources: report.addresses.length, ms, byFamily: report.byFamily, addresses: report.addresses };
}

interface StateResource {
  module?: string;
  mode: 'managed';
  type: string;
  name: string;
  provider: string;
  instances: Array<{ schema_version: number; attributes: Record<string, unknown>; sensitive_attributes: unknown[]; dependencies?: string[] }>;
}

/** Appends the units' blocks to the workspace's files and state, and its indexes. */
function addToWorkspace(ws: GeneratedWorkspace, units: readonly PlannedUnit[]): { addresses: string[]; byFamily: Record<string, number> } {
  const state = JSON.parse(ws.files.get('terraform.tfstate')!) as { resources: StateResource[] };
  const appended = new Map<string, string[]>();
  const addresses: string[] = [];
  const byFamily: Record<string, number> = {};
  const rootCount = new Map<string, number>();
  for (const u of units) {
    for (const block of u.blocks ?? []) {
      const prefix = u.cell.module ? `${u.cell.module}.` : '';
      const address = `${prefix}${block.type}.${block.name}`;
      if (ws.fileOf.has(address)) throw new Error(`seeder ${u.seeder.family} emitted ${address} twice`);
      let file: string;
      let text = block.hcl.endsWith('\n') ? block.hcl : `${block.hcl}\n`;
      if (u.cell.module) file = `modules/${u.cell.module.replace(/^module\./, '')}/main.tf`;
      else {
        // Root files of ≤ 500 blocks per family, as the generator's per-area files.
        const n = rootCount.get(u.seeder.family) ?? 0;
        rootCount.set(u.seeder.family, n + 1);
        file = ws.seeding!.singleFile ? 'main.tf' : `api_${u.seeder.family}${Math.floor(n / 500) ? `_${Math.floor(n / 500)}` : ''}.tf`;
        // A root resource in the second region names its provider configuration itself.
        if (u.cell.alias) text = text.replace(/\n/, `\n  provider = aws.${u.cell.alias}\n\n`);
      }
      let list = appended.get(file);
      if (!list) appended.set(file, (list = []));
      list.push(text);
      ws.fileOf.set(address, file);
      ws.addresses.push(address);
      addresses.push(address);
      ws.byType[block.type] = (ws.byType[block.type] ?? 0) + 1;
      const regionTypes = (ws.byRegion[u.seeder.global ? 'global' : u.cell.region] ??= {});
      regionTypes[block.type] = (regionTypes[block.type] ?? 0) + 1;
      byFamily[u.seeder.family] = (byFamily[u.seeder.family] ?? 0) + 1;
      state.resources.push({
        ...(u.cell.module ? { module: u.cell.module } : {}),
        mode: 'managed', type: block.type, name: block.name,
        provider: `provider["registry.terraform.io/hashicorp/aws"]${u.cell.alias ? `.${u.cell.alias}` : ''}`,
        instances: [{
          schema_version: 0, attributes: block.attributes, sensitive_attributes: [],
          ...(block.dependencies?.length ? { dependencies: block.dependencies.map((d) => prefix + d) } : {}),
        }],
      });
    }
  }
  for (const [file, list] of appended) {
    const before = ws.files.get(file);
    ws.files.set(file, before ? `${before}\n${list.join('\n')}` : list.join('\n'));
  }
  ws.files.set('terraform.tfstate', JSON.stringify(state, null, 1) + '\n');
  return { addresses, byFamily };
}

/**
 * Every seeder's lower bound over the workspace: regional reads once per region, global ones once.
 * `counted` types (the generator's) are left out: check-bench's own bound covers them.
 */
export function seededLowerBound(byRegion: Readonly<Record<string, Readonly<Record<string, number>>>>, counted: ReadonlySet<string>, seeders: readonly Seeder[] = SEEDERS): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (bound: Record<string, number>) => {
    for (const [op, n] of Object.entries(bound)) if (n > 0) out[op] = (out[op] ?? 0) + n;
  };
  for (const seeder of seeders) {
    const own = (counts: Readonly<Record<string, number>>) => Object.fromEntries(seeder.types.filter((t) => !counted.has(t)).map((t) => [t, counts[t] ?? 0]).filter(([, n]) => (n as number) > 0));
    if (seeder.global) {
      const counts = own(byRegion.global ?? {});
      if (Object.keys(counts).length) add(seeder.lowerBound(counts));
      continue;
    }
    for (const [region, types] of Object.entries(byRegion)) {
      if (region === 'global') continue;
      const counts = own(types);
      if (Object.keys(counts).length) add(seeder.lowerBound(counts));
    }
  }
  return out;
}

/** Every type the seeders emit. */
export function seededTypes(seeders: readonly Seeder[] = SEEDERS): Set<string> {
  return new Set(seeders.flatMap((s) => s.types));
}

/** seedWorkspace as the benchmarks run it: against the sandbox at `endpoint`, as the workspace's admin. */
export function seedAgainst(ws: GeneratedWorkspace, endpoint: string, options: SeedOptions = {}): Promise<SeedReport> {
  return seedWorkspace(ws, { endpoint, region: REGION, account: ACCOUNT, credentials: ws.admin }, options);
}
