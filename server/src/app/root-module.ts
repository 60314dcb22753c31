// One Terraform root module (a directory) connected to its cloud: configuration, credentials,
// state and the cached live snapshot. `tidemark check` and the language server both drive drift
// through this, so the CLI and the editor always agree.
import { promises as fs, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HclFile, Range, StateInstance, TopBlock } from '../model';
import { parseHclFile, ParsedHclFile } from '../hcl/parse-file';
import { AwsSettings, resolveAwsTarget } from '../cloud/aws-env';
import { importBlock } from '../drift/import-block';
import { AwsClients, AwsSetupError, callerIdentity, CallerIdentity, ClientOptions, createClients, profileRegion } from '../cloud/clients';
import { ClientPool } from '../cloud/client-pool';
import { LiveCache } from '../cloud/live-cache';
import { LiveReader, ReadResult } from '../cloud/reader';
import { RegionalReader, Routing } from '../cloud/regional-reader';
import { revertDrift } from '../cloud/revert';
import { RESOURCE_TYPES } from '../cloud/types';
import type { RevertOutcome } from '../cloud/types/resource-type';
import { ConfigError, DriftConfig, EMPTY_CONFIG, parseDriftConfig } from '../drift/config';
import { analyzeWorkspaceIncrementally, DriftReport, newDiffCache } from '../drift/engine';
import { accountForState, isLocalSource, ModuleCall } from '../drift/accounting';
import { IgnoreComment, parseIgnoreComments } from '../drift/ignore';
import { inferInstances, TAG_MATCHED_TYPES } from '../drift/infer';
import { ModuleScope } from '../drift/module-scope';
import { ModuleInstance, ModuleTree } from '../drift/module-tree';
import { describeConfig, literalDefaultTags, ModuleFrame, ProviderConfig, providerConfigs, ProviderTarget, resolveProvider, resourceProviderRef } from '../drift/providers';
import { planProviderTargets } from '../drift/provider-plan';
import { effectiveConfiguration } from '../drift/overrides';
import { isAutoloadedVarFile, VariableInputs } from '../drift/variables';
import { declaredNeeds } from '../drift/needs';
import { isObject } from '../drift/values';
import { ModuleFiles } from './module-files';
import type { Drift } from '../model';
import { resolveState } from '../state/resolve-state';
import { StateError, StateIndex } from '../state/parse-state';

/** A problem the user must fix (bad config, credentials, state): shown as one line. */
export class RootModuleError extends Error {}

export interface RootModuleOptions {
  root: string;
  env: NodeJS.ProcessEnv;
  /** Settings that win over `.tidemark/config.yaml` (CLI flags, editor settings). */
  aws?: AwsSettings;
  statePath?: string;
  workspace?: string;
  /** Shown in messages instead of absolute paths. */
  relativeTo?: string;
  /** Credentials to use instead of the standard chain (e.g. the broker's own, or a test user's). */
  credentials?: ClientOptions['credentials'];
  /** `-var NAME=VALUE` and `-var-file FILE` (absolute), in command-line order: they win over every other source. */
  cliVariables?: CliVariable[];
}

export type CliVariable = { kind: 'var'; name: string; raw: string } | { kind: 'file'; file: string };

/** A configuration problem Terraform would stop at (bad override, bad variable value), with its place. */
export interface ConfigProblem {
  file?: string;
  line?: number;
  range?: Range;
  message: string;
}

export async function findDriftConfig(root: string): Promise<{ file: string; text: string } | undefined> {
  let dir = root;
  for (;;) {
    const file = path.join(dir, '.tidemark', 'config.yaml');
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return { file, text };
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function tfVarsFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('TF_VAR_') && v !== undefined) out[k.slice(7)] = v;
  return out;
}

/** Only the files of the root module itself: subdirectories are child modules or other roots. */
export function rootFilesOf<T extends HclFile>(root: string, files: T[]): T[] {
  return files.filter((f) => path.dirname(f.file) === root);
}

export { withoutBrokenBlocks } from './module-files';

export class RootModule {
  config: DriftConfig = EMPTY_CONFIG;
  clients?: AwsClients;
  identity?: CallerIdentity;
  state: StateIndex = StateIndex.empty();
  statePresent = false;
  /** Where state was looked for (file path or s3:// URL), for messages. */
  stateLooked?: string;
  inferred: StateInstance[] = [];
  cache?: LiveCache;
  /** Clients per provider target (region, profile, assume_role); the base set is `clients`. */
  pool?: ClientPool;
  private reader?: RegionalReader;
  /** The region a provider configuration without one reads (AWS_REGION, the setting, the profile's). */
  private fallbackRegion?: string;

  /** Per-block drift results reused across keystrokes (see analyzeWorkspaceIncrementally). */
  private readonly diffCache = newDiffCache();
  private files: ParsedHclFile[] = [];
  /** Child modules' files and `terraform init`'s manifest (see loadModules). */
  private modules?: ModuleFiles;
  private variableInputs: VariableInputs = {};
  private loadProblems: ConfigProblem[] = [];

  constructor(readonly options: RootModuleOptions) {}

  get root(): string {
    return this.options.root;
  }

  private rel(file: string): string {
    return this.options.relativeTo ? path.relative(this.options.relativeTo, file) || file : file;
  }

  /** Loads `.tidemark/config.yaml`; a broken file is an error naming file and field. */
  async loadConfig(): Promise<void> {
    const found = await findDriftConfig(this.root);
    if (!found) {
      this.config = EMPTY_CONFIG;
      return;
    }
    try {
      this.config = parseDriftConfig(this.rel(found.file), found.text);
    } catch (error) {
      if (error instanceof ConfigError) throw new RootModuleError(error.message);
      throw error;
    }
  }

  /** Credentials (one STS call proves them and names the account), then state. */
  async connect(allFiles: ParsedHclFile[]): Promise<void> {
    await this.loadVariableInputs();
    const files = effectiveConfiguration(allFiles).files as ParsedHclFile[];
    this.files = files;
    const providerScope = new ModuleScope(files, { present: false, instancesOf: () => [] }, this.variableInputs);
    const providerRegion = providerScope.providers.get('aws')?.region;
    const settings = this.options.aws ?? {};
    const target = resolveAwsTarget(
      { profile: settings.profile ?? this.config.aws.profile, region: settings.region ?? this.config.aws.region, endpoint: settings.endpoint ?? this.config.aws.endpoint },
      this.options.env,
      typeof providerRegion === 'string' ? providerRegion : undefined,
    );
    let clients: AwsClients;
    try {
      clients = await createClients(target, { credentials: this.options.credentials });
    } catch (error) {
      if (error instanceof AwsSetupError) throw new RootModuleError(error.message);
      throw error;
    }
    const identity = await callerIdentity(clients).catch((error: Error) => {
      throw new RootModuleError(error.message);
    });

    let resolved;
    try {
      resolved = await resolveState({
        root: this.root,
        files,
        env: this.options.env,
        statePath: this.options.statePath,
        workspace: this.options.workspace,
        s3For: async (backend) => {
          if (!backend.region || backend.region === clients.region) return { s3: clients.s3, gate: clients.gate };
          const other = await createClients({ ...target, region: backend.region }, { credentials: this.options.credentials });
          return { s3: other.s3, gate: clients.gate };
        },
      });
    } catch (error) {
      if (error instanceof StateError) throw new RootModuleError(error.message);
      throw error;
    }
    const state = resolved.state ? new StateIndex(resolved.state.instances, resolved.state.source) : StateIndex.empty();
    const accounts = state.accounts();
    if (accounts.size > 0 && !accounts.has(identity.account)) {
      throw new RootModuleError(
        `${this.rel(resolved.looked)}: state belongs to AWS account ${[...accounts].join(', ')}, but the credentials (${identity.arn}) are for account ${identity.account}; refusing to compare`,
      );
    }
    this.clients = clients;
    this.identity = identity;
    this.state = state;
    this.statePresent = Boolean(resolved.state);
    this.stateLooked = resolved.looked;
    // A configuration without a region reads the one the AWS provider would: never the default block's own.
    this.fallbackRegion = resolveAwsTarget({ region: settings.region ?? this.config.aws.region }, this.options.env).region
      ?? (typeof providerRegion === 'string' && providerRegion ? await profileRegion(target.profile) : clients.region);
    this.pool = new ClientPool(clients);
    this.reader = new RegionalReader(this.pool, RESOURCE_TYPES, (instances) => this.route(instances));
    this.cache = new LiveCache(this.reader, () => this.instances(), (only) => ({ needs: declaredNeeds(this.files, this.moduleInstances(), only), unmanagedTags: this.statePresent ? this.unmanagedTags() : undefined }));
  }

  /**
   * Finds the child modules the root's calls reach (local paths, modules.json) and reads those
   * the index does not hold. `indexed` gives every file the workspace index holds.
   */
  async loadModules(rootFiles: ParsedHclFile[], indexed: () => ParsedHclFile[]): Promise<void> {
    this.modules = new ModuleFiles(this.root, indexed, (p) => this.rel(p));
    await this.modules.load(effectiveConfiguration(rootFiles).files as ParsedHclFile[], this.options.env);
  }

  /** The child module instances the configuration declares (the live read plans their arguments too). */
  private moduleInstances(): ModuleInstance[] {
    // Instances come only from module calls; without one, skip building a scope over all of state
    // (configProblems asks twice per keystroke).
    if (!this.modules || !this.files.some((f) => f.blocks.some((b) => b.kind === 'module' && b.labels[0]))) return [];
    const state = Object.assign(this.state, { present: this.statePresent });
    const sources = this.modules.sources();
    // Evaluating every call is costly at scale, and a refresh plans, routes and checks providers
    // with it: built again only when an input differs (the index keeps unchanged files' objects).
    const inputs: unknown[] = [state, this.statePresent, this.variableInputs, sources.manifest, ...this.files, ...sources.allFiles()];
    const memo = this.treeMemo;
    if (memo && memo.inputs.length === inputs.length && memo.inputs.every((v, i) => v === inputs[i])) return memo.instances;
    const instances = new ModuleTree(new ModuleScope(this.files, state, this.variableInputs), sources, state).instances();
    this.treeMemo = { inputs, instances };
    return instances;
  }

  /** The state-address prefixes (`module.app["blue"]`) of the child module instances whose code is in this folder. */
  moduleInstancePathsIn(dir: string): string[] {
    return this.moduleInstances().filter((m) => m.dir === dir).map((m) => m.path);
  }

  /** The last module tree's instances and what it was built from (one entry: bounded). */
  private treeMemo?: { inputs: unknown[]; instances: ModuleInstance[] };

  /** The clients an instance is read (and so written back) with: its provider's region and identity. */
  async clientsFor(instance: StateInstance | undefined): Promise<AwsClients | undefined> {
    if (!instance || !this.reader) return this.clients;
    return (await this.reader.clientsOf(instance).catch(() => undefined)) ?? this.clients;
  }

  /** The clients a drift's resource is read with (its provider's region and identity): where its CloudTrail events are. */
  clientsForDrift(drift: Drift): Promise<AwsClients | undefined> {
    return this.clientsFor(this.instances().find((i) => i.address === drift.address));
  }

  /** One client set per region the resources are read in, the default first: where CloudTrail is polled. */
  trailClients(): AwsClients[] {
    const regions = new Set<string>();
    return (this.pool?.all() ?? (this.clients ? [this.clients] : [])).filter((c) => !regions.has(c.region) && Boolean(regions.add(c.region)));
  }

  /** Throttled calls so far through every client set. */
  throttledCalls(): number {
    return (this.pool?.all() ?? (this.clients ? [this.clients] : [])).reduce((n, c) => n + c.gate.throttled, 0);
  }

  /** API calls made so far through every client set. */
  totalCalls(): number {
    return this.pool?.totalCalls() ?? this.clients?.gate.totalCalls() ?? 0;
  }

  private rootScope(): ModuleScope {
    return new ModuleScope(this.files, { present: false, instancesOf: () => [] }, this.variableInputs);
  }

  /** Which clients read each instance: its provider configuration's region and identity. */
  private route(instances: StateInstance[]): Routing {
    const scope = this.rootScope();
    const settings = this.options.aws ?? {};
    const regionOverride = settings.region ?? this.config.aws.region;
    const profileOverride = settings.profile ?? this.config.aws.profile;
    const baseProfile = this.clients?.target.profile;
    const settle = (config: ProviderConfig, t: ProviderTarget): ProviderTarget | { reason: string } => {
      // --region / tidemark.aws.region and --profile apply to the root's default configuration.
      const isDefault = config.module === '' && config.key === 'aws';
      const region = (isDefault ? regionOverride : undefined) ?? t.region ?? this.fallbackRegion;
      if (!region) return { reason: `${describeConfig(config, (f) => this.rel(f))}: no region: set region in the provider block, AWS_REGION, or the profile's region` };
      const profile = (isDefault && profileOverride) || t.profile === baseProfile ? undefined : t.profile;
      return { ...t, region, ...(profile ? { profile } : { profile: undefined }) };
    };
    const rootProviders = providerConfigs(scope.blocks, scope);
    const plan = planProviderTargets({
      rootProviders,
      rootBlocks: new Map(scope.blocks.filter((b) => b.kind === 'resource').map((b) => [b.address, b])),
      instances,
      moduleInstance: this.moduleFrames(rootProviders),
      settle,
      rel: (f) => this.rel(f),
    });
    return {
      targets: plan.targets.map((t) => ({ target: { ...t.target, region: t.target.region ?? this.clients?.region ?? '' }, label: t.configs.map((c) => describeConfig(c, (f) => this.rel(f))).join(', '), instances: t.instances })),
      unreadable: plan.unreadable,
    };
  }

  /**
   * For a child-module state instance: the module frames from the root to its module instance and
   * its resource block, so `providers = {}` on the calls decides its configuration. Undefined when the
   * module tree does not reach it (then the configuration state recorded is used).
   */
  private moduleFrames(rootProviders: ReadonlyMap<string, ProviderConfig>, known?: ModuleInstance[]): (instance: Pick<StateInstance, 'module' | 'resourceAddress'>) => { frames: ModuleFrame[]; block: TopBlock } | undefined {
    // Built on the first child-module instance asked about: the module tree is the costly part of routing.
    let byPathOnce: Map<string, ModuleInstance> | undefined;
    const byPath = { get: (p: string) => (byPathOnce ??= new Map((known ?? this.moduleInstances()).map((m) => [m.path, m]))).get(p) };
    const frames = new Map<string, ModuleFrame>();
    const frameOf = (m: ModuleInstance): ModuleFrame => {
      let f = frames.get(m.path);
      if (!f) frames.set(m.path, (f = { address: m.path, providers: providerConfigs(m.scope.blocks, m.scope, m.path), call: m.call }));
      return f;
    };
    const root: ModuleFrame = { address: '', providers: rootProviders };
    return (instance) => {
      const m = byPath.get(instance.module);
      const local = instance.resourceAddress.slice(instance.module.length + 1);
      const block = m?.scope.blocks.find((b) => b.kind === 'resource' && b.address === local);
      if (!m || !block) return undefined;
      const chain: ModuleInstance[] = [];
      for (let x: ModuleInstance | undefined = m; x; x = x.parent) chain.unshift(x);
      return { frames: [root, ...chain.map(frameOf)], block };
    };
  }

  /** `provider = aws.nowhere` and the like: one problem per reference that resolves nowhere. */
  private providerProblems(scope: ModuleScope): ConfigProblem[] {
    const frames: ModuleFrame[] = [{ address: '', providers: providerConfigs(scope.blocks, scope) }];
    const out: ConfigProblem[] = [];
    for (const b of scope.blocks) {
      if (b.kind !== 'resource') continue;
      const { ref, attribute } = resourceProviderRef(b);
      if (!attribute) continue;
      const file = attribute.file ?? b.file;
      if (!ref) {
        out.push({ file, line: attribute.range.start.line + 1, range: attribute.range, message: `${b.address}: provider = ${attribute.expression.trim()} is not a provider reference (expected NAME or NAME.ALIAS)` });
        continue;
      }
      const r = resolveProvider(frames, ref, (f) => this.rel(f));
      if (!r.ok) out.push({ file, line: attribute.range.start.line + 1, range: attribute.range, message: `${b.address}: ${r.reason}` });
    }
    return out;
  }

  /**
   * The same inside child modules, resolved through the calls' `providers` arguments: once per
   * reference and reason (every instance of a `for_each` call shares its block), at the child's line.
   */
  private childProviderProblems(rootProviders: ReadonlyMap<string, ProviderConfig>): ConfigProblem[] {
    // One module tree for both the loop and the frames (building it evaluates every module call).
    const instances = this.moduleInstances();
    const framesOf = this.moduleFrames(rootProviders, instances);
    const seen = new Set<string>();
    const out: ConfigProblem[] = [];
    for (const m of instances) {
      for (const b of m.scope.blocks) {
        if (b.kind !== 'resource') continue;
        const { ref, attribute } = resourceProviderRef(b);
        if (!attribute || !ref) continue;
        const chain = framesOf({ module: m.path, resourceAddress: `${m.path}.${b.address}` });
        if (!chain) continue;
        const r = resolveProvider(chain.frames, ref, (f) => this.rel(f));
        if (r.ok) continue;
        const file = attribute.file ?? b.file;
        const key = `${file}:${attribute.range.start.line}:${r.reason}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ file, line: attribute.range.start.line + 1, range: attribute.range, message: `${m.path}.${b.address}: ${r.reason}` });
      }
    }
    return out;
  }

  /** The declared files changed (an edit): later reads plan from them. */
  setFiles(files: ParsedHclFile[]): void {
    this.files = effectiveConfiguration(files).files as ParsedHclFile[];
  }

  /** The variable sources outside the HCL index: TF_VAR_*, *.tfvars.json in the root, -var and -var-file. */
  async loadVariableInputs(): Promise<void> {
    const problems: ConfigProblem[] = [];
    const names = await fs.readdir(this.root).catch(() => [] as string[]);
    const jsonFiles: Array<{ file: string; text: string }> = [];
    for (const name of names.filter((n) => n.endsWith('.tfvars.json') && isAutoloadedVarFile(n)).sort()) {
      const file = path.join(this.root, name);
      const text = await fs.readFile(file, 'utf8').catch(() => undefined);
      if (text !== undefined) jsonFiles.push({ file, text });
    }
    const cli: NonNullable<VariableInputs['cli']> = [];
    for (const v of this.options.cliVariables ?? []) {
      if (v.kind === 'var') {
        cli.push(v);
        continue;
      }
      const text = await fs.readFile(v.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new RootModuleError(`-var-file ${this.rel(v.file)}: cannot read it (${error.code ?? error.message})`);
      });
      if (v.file.endsWith('.json')) {
        cli.push({ kind: 'json-file', file: v.file, text });
        continue;
      }
      const parsed = await parseHclFile(v.file, text);
      for (const e of parsed.errors) problems.push({ file: v.file, line: e.range.start.line + 1, range: e.range, message: `${e.message}; its values are not used` });
      if (parsed.errors.length === 0) cli.push({ kind: 'hcl-file', file: v.file, attributes: parsed.attributes });
    }
    this.variableInputs = { env: tfVarsFromEnv(this.options.env), jsonFiles, cli };
    this.loadProblems = problems;
  }

  /** The child modules' provider problems and what they were found from (one entry: bounded). */
  private childProblemsMemo?: { inputs: unknown[]; problems: ConfigProblem[] };

  /** What Terraform would reject before planning: override blocks without a base, invalid variable values. */
  configProblems(allFiles: ParsedHclFile[]): ConfigProblem[] {
    const { files, problems } = effectiveConfiguration(allFiles);
    const scope = new ModuleScope(files, { present: false, instancesOf: () => [] }, this.variableInputs);
    // Walking every child module's resources is most of a refresh's config check at scale, and a live
    // read changes none of its inputs: kept until the module tree (its own memo) or the root's files differ.
    const inputs: unknown[] = [this.moduleInstances(), this.variableInputs, ...allFiles];
    const memo = this.childProblemsMemo;
    const childProblems = memo && memo.inputs.length === inputs.length && memo.inputs.every((v, i) => v === inputs[i])
      ? memo.problems
      : this.childProviderProblems(providerConfigs(scope.blocks, scope));
    this.childProblemsMemo = { inputs, problems: childProblems };
    return [
      ...this.loadProblems,
      ...this.providerProblems(scope),
      ...childProblems,
      ...problems.map((p) => ({ file: p.file, line: p.range.start.line + 1, range: p.range, message: p.message })),
      ...scope.variableProblems.map((p) => {
        // A value from outside the files (TF_VAR_, -var) is shown on the variable's declaration.
        const decl = p.file ? undefined : scope.blocks.find((x) => x.kind === 'variable' && x.labels[0] === p.variable);
        const file = p.file ?? decl?.file;
        const range = p.range ?? decl?.headerRange;
        return { file, line: range ? range.start.line + 1 : undefined, range, message: p.message };
      }),
    ];
  }

  private instances(): StateInstance[] {
    return this.statePresent ? this.state.instances : this.inferred;
  }

  private unmanagedTags(): Record<string, string> | undefined {
    if (this.config.unmanagedTags) return this.config.unmanagedTags;
    const scope = this.rootScope();
    return literalDefaultTags(providerConfigs(scope.blocks, scope).get('aws'));
  }

  /** A full live read. Without state, instances are first matched by name/tags. */
  async refreshAll(): Promise<ReadResult & { failures: string[] }> {
    if (!this.cache || !this.clients) throw new RootModuleError('not connected to AWS');
    const failures: string[] = [];
    this.installedModules = undefined;
    if (!this.statePresent) {
      const listing = await new LiveReader(this.clients, RESOURCE_TYPES).read([], { listTypes: [...TAG_MATCHED_TYPES] });
      failures.push(...listing.failures);
      this.inferred = inferInstances(this.files, RESOURCE_TYPES, listing.tagged, this.variableInputs);
    }
    const result = await this.cache.refreshAll();
    if (this.identity) this.cache.snapshot.account = this.identity.account;
    return { ...result, failures: [...failures, ...result.failures] };
  }

  async refreshResources(addresses: string[]): Promise<ReadResult> {
    if (!this.cache) throw new RootModuleError('not connected to AWS');
    return this.cache.refreshResources(addresses);
  }

  /** Pure diff of the given files against the cached snapshot: no network, safe per keystroke. */
  analyze(files: HclFile[], comments: ReadonlyMap<string, IgnoreComment[]>, now = new Date()): DriftReport {
    const snapshot = this.cache?.snapshot;
    if (!snapshot) return { drifts: [], unknown: [], notChecked: [], checked: 0 };
    const report = analyzeWorkspaceIncrementally(files, Object.assign(this.state, { present: this.statePresent }), snapshot, {
      types: RESOURCE_TYPES,
      config: this.config,
      comments,
      now,
      variables: this.variableInputs,
      inferred: this.inferred,
      modules: this.modules?.sources(),
    }, this.diffCache);
    const declared = new Set(files.flatMap((f) => f.blocks.filter((b) => b.kind === 'resource').map((b) => b.address)));
    const { notChecked, account } = accountForState({
      instances: this.instances(),
      checked: new Set(report.checkedAddresses ?? []),
      unknown: new Set(report.unknown.filter((u) => u.attributePath.length === 0).map((u) => u.address)),
      notChecked: report.notChecked,
      declared,
      moduleCalls: this.moduleCalls(files),
    });
    return { ...report, notChecked, account };
  }

  /** Keys of `.terraform/modules/modules.json` (what `terraform init` installed), read once per live read. */
  private installedModules?: Set<string>;

  private readInstalledModules(): Set<string> {
    const keys = new Set<string>();
    try {
      const doc: unknown = JSON.parse(readFileSync(path.join(this.root, '.terraform', 'modules', 'modules.json'), 'utf8'));
      const list = isObject(doc) && Array.isArray(doc.Modules) ? doc.Modules : [];
      for (const m of list) if (isObject(m) && typeof m.Key === 'string') keys.add(m.Key);
    } catch {
      // Not initialised (or unreadable): every non-local module counts as not installed.
    }
    return keys;
  }

  /** The root's module calls and whether their code is on disk. */
  private moduleCalls(files: HclFile[]): Map<string, ModuleCall> {
    this.installedModules ??= this.readInstalledModules();
    const calls = new Map<string, ModuleCall>();
    for (const f of files) {
      for (const b of f.blocks) {
        if (b.kind !== 'module' || !b.labels[0]) continue;
        const value = b.attributes.find((a) => a.name === 'source')?.value;
        const source = typeof value === 'string' ? value : undefined;
        const installed = source && isLocalSource(source) ? existsSync(path.resolve(this.root, source)) : this.installedModules.has(b.labels[0]);
        calls.set(b.labels[0], { name: b.labels[0], source, installed });
      }
    }
    return calls;
  }

  /** HCL (import block + resource block) for an unmanaged live object, or undefined when unknown. */
  importHcl(liveId: string | undefined): string | undefined {
    const live = this.cache?.snapshot.unmanaged.find((l) => l.id === liveId);
    const schema = live ? RESOURCE_TYPES.get(live.type) : undefined;
    return live && schema ? importBlock(live, schema, this.unmanagedTags() ?? {}) : undefined;
  }

  /** Writes the declared value back live through the type's writer, then re-reads that resource. */
  async revert(drift: Drift): Promise<RevertOutcome> {
    if (!this.cache || !this.clients) return { ok: false, message: 'not connected to AWS' };
    const instance = this.instances().find((i) => i.address === drift.address);
    // Written back in the region (and as the identity) the instance is read with.
    const clients = (await this.clientsFor(instance)) ?? this.clients;
    const outcome = await revertDrift(drift, this.cache.snapshot, instance, RESOURCE_TYPES, clients);
    if (outcome.ok) await this.cache.refreshResources([drift.address]);
    return outcome;
  }
}

/** `# tidemark:ignore` comments of each file, from the text the index parsed. */
export async function ignoreCommentsOf(files: HclFile[], textOf?: (file: string) => string | undefined): Promise<Map<string, IgnoreComment[]>> {
  const entries = await Promise.all(
    files.map(async (f) => [f.file, parseIgnoreComments(textOf?.(f.file) ?? (await fs.readFile(f.file, 'utf8').catch(() => '')))] as const),
  );
  return new Map(entries);
}
