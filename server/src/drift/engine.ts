// The drift engine: declared configuration vs the cached live snapshot → Drift[]. Pure and
// synchronous, so the language server can run it on every keystroke, one file at a time.
// Rule one: a drift is reported only when both sides are known; anything else is "unknown".
import type { Attribute, Block, Drift, DriftCaller, DriftSuppression, HclFile, Range, Severity, StateInstance, TopBlock } from '../model';
import { canonicalForm } from './compare';
import { setDifference } from './describe';
import { holdWriteBack, redactSensitive } from './sensitive';
import type { DriftConfig } from './config';
import type { Scope } from './expr-eval';
import { IgnoreComment, makeSuppressor, overlayIgnored, Suppressor } from './ignore';
import { attributeValue, blockValue, IndexedFile, ModuleScope, StateView } from './module-scope';
import { effectiveConfiguration, sourceFile } from './overrides';
import type { VariableInputs } from './variables';
import type { AttributeRule, NormalizeContext, TypeRegistry, TypeSchema } from './schema';
import { LiveEntry, LiveSnapshot, NotChecked } from './snapshot';
import type { InstanceAccount } from './accounting';
import { ModuleInstance, ModuleProblem, ModuleSources, ModuleTree } from './module-tree';
import { valueOrigin } from './value-origin';
import { fromJson, firstUnknown, isObject, Known, Unknown, Value } from './values';

export interface DiffContext {
  types: TypeRegistry;
  config: DriftConfig;
  /** `# tidemark:ignore` comments per absolute file path (see parseIgnoreComments). */
  comments: ReadonlyMap<string, IgnoreComment[]>;
  now: Date;
  /** TF_VAR_*, *.tfvars.json and -var / -var-file inputs (see variables.ts for their precedence). */
  variables?: VariableInputs;
  /** Instances matched without state (inferInstances); their drift has confidence 'inferred'. */
  inferred?: StateInstance[];
  /** Child modules' files and `terraform init`'s manifest; without it, module calls are not evaluated. */
  modules?: ModuleSources;
}

/** A comparison that could not be made, and why: shown as "unknown" in hovers, never as drift. */
export interface UnknownCheck {
  address: string;
  file: string;
  attributePath: string[];
  range: Range;
  reason: string;
}

export interface DriftReport {
  drifts: Drift[];
  unknown: UnknownCheck[];
  notChecked: NotChecked[];
  /** Resource instances compared against a live read. */
  checked: number;
  /** Their addresses (found live, or found deleted), for the accounting of state instances. */
  checkedAddresses?: string[];
  /** Set by accountForState: how the state's managed instances were handled. */
  account?: InstanceAccount;
  /** Module calls that could not be evaluated (not installed, source missing, cycle, count/for_each unknown). */
  moduleProblems?: ModuleProblem[];
  /** The module instances that were evaluated (for placing a child's drift on its caller). */
  moduleInstances?: ModuleInstance[];
}

const TAGS_RULE: AttributeRule = { name: 'tags', compare: 'scalar', severity: 'info' };

export function buildScope(files: IndexedFile[], state: StateView, ctx: Pick<DiffContext, 'variables' | 'inferred'>): ModuleScope {
  return new ModuleScope(files, state, ctx.variables ?? {}, ctx.inferred ?? []);
}

/** Every drift in a root module's files. */
export function diffWorkspace(files: IndexedFile[], state: StateView, snapshot: LiveSnapshot, ctx: DiffContext): Drift[] {
  return analyzeWorkspace(files, state, snapshot, ctx).drifts;
}

export function analyzeWorkspace(allFiles: IndexedFile[], state: StateView, snapshot: LiveSnapshot, ctx: DiffContext): DriftReport {
  const files = effectiveConfiguration(allFiles).files;
  const scope = buildScope(files, state, ctx);
  const report: DriftReport = { drifts: [], unknown: [], notChecked: [], checked: 0 };
  const tree = ctx.modules ? new ModuleTree(scope, ctx.modules, state) : undefined;
  for (const file of files) merge(report, diffFile(file, scope, snapshot, ctx));
  if (tree) diffModules(tree, snapshot, ctx, report);
  attachOrigins(report, files, scope, ctx, tree);
  merge(report, unmanagedDrifts(files, snapshot, ctx));
  pushReaderNotChecked(report, snapshot);
  return report;
}

/**
 * What a re-diff may reuse: each resource block's report, keyed by the block's attribute list. The
 * HCL index keeps that list (same object) for blocks an edit did not touch or move, so a keystroke
 * re-diffs only the block it changed. A report also holds the snapshot entries it was diffed
 * against: a live refresh replaces the entries of the addresses it read, so only their blocks are
 * diffed again. Everything else a block's drift depends on is in `inputs`; when any of it differs,
 * nothing is reused.
 */
export interface DiffCache {
  inputs: unknown[];
  blocks: WeakMap<object, CachedBlock>;
  /** Built from the same inputs, so it holds as long as they do. */
  scope?: ModuleScope;
  tree?: ModuleTree;
  /** Reports of child module blocks, per module instance (one block serves every instance). */
  moduleBlocks: Map<string, WeakMap<object, CachedBlock>>;
}

/** What diffBlock read from the snapshot for one instance address. */
interface LiveRead {
  address: string;
  entry: LiveEntry | undefined;
  notChecked: NotChecked | undefined;
}

interface CachedBlock {
  report: DriftReport;
  reads: LiveRead[];
}

/** The snapshot's entry for an instance, or (when it has none) why the reader skipped it. */
function liveRead(snapshot: LiveSnapshot, address: string): LiveRead {
  const entry = snapshot.get(address);
  return { address, entry, notChecked: entry ? undefined : snapshot.notCheckedEntry(address) };
}

/** A block's cached report, if every snapshot entry it was diffed against is still the same object; else a new diff. */
function diffBlockCached(cache: WeakMap<object, CachedBlock> | undefined, block: TopBlock, scope: ModuleScope, snapshot: LiveSnapshot, ctx: DiffContext): DriftReport {
  const hit = cache?.get(block.attributes);
  if (hit && hit.reads.every((r) => { const now = liveRead(snapshot, r.address); return now.entry === r.entry && now.notChecked === r.notChecked; })) return hit.report;
  const reads: LiveRead[] = [];
  const report = diffBlock(block, scope, snapshot, ctx, reads);
  cache?.set(block.attributes, { report, reads });
  return report;
}

export function newDiffCache(): DiffCache {
  return { inputs: [], blocks: new WeakMap(), moduleBlocks: new Map() };
}

/** Identities and values a resource block's drift depends on besides the block itself. */
function cacheInputs(files: IndexedFile[], state: StateView, snapshot: LiveSnapshot, ctx: DiffContext): unknown[] {
  // The snapshot's entries are checked per block (diffBlockCached); its identity is an input.
  const inputs: unknown[] = [state, snapshot, ctx.types, ctx.config, ctx.inferred, JSON.stringify(ctx.variables ?? {}), ctx.now.toISOString().slice(0, 10)];
  inputs.push(JSON.stringify([...ctx.comments.entries()]));
  inputs.push(ctx.modules?.manifest);
  for (const file of [...files, ...(ctx.modules?.allFiles() ?? [])]) {
    // File-level attributes (.tfvars entries) by content: every parse builds a new list, even an empty one.
    inputs.push(file.file, file.attributes?.length ? JSON.stringify(file.attributes) : '');
    // Other resources matter only through their addresses (references resolve from state).
    for (const b of file.blocks) inputs.push(...(b.kind === 'resource' ? [b.address] : [b.address, b.attributes, b.blocks]));
  }
  return inputs;
}

/** analyzeWorkspace, reusing the reports of resource blocks nothing relevant changed for. */
export function analyzeWorkspaceIncrementally(allFiles: IndexedFile[], state: StateView, snapshot: LiveSnapshot, ctx: DiffContext, cache: DiffCache): DriftReport {
  const files = effectiveConfiguration(allFiles).files;
  const inputs = cacheInputs(files, state, snapshot, ctx);
  const same = inputs.length === cache.inputs.length && inputs.every((v, i) => v === cache.inputs[i]);
  if (!same || !cache.scope) {
    cache.inputs = inputs;
    cache.blocks = new WeakMap();
    cache.moduleBlocks = new Map();
    cache.scope = buildScope(files, state, ctx);
    cache.tree = ctx.modules ? new ModuleTree(cache.scope, ctx.modules, state) : undefined;
  }
  const scope = cache.scope;
  const report: DriftReport = { drifts: [], unknown: [], notChecked: [], checked: 0 };
  for (const file of files) {
    if (!file.file.endsWith('.tf')) continue;
    for (const block of file.blocks) {
      if (block.kind !== 'resource') continue;
      merge(report, diffBlockCached(cache.blocks, block, scope, snapshot, ctx));
    }
  }
  if (cache.tree) diffModules(cache.tree, snapshot, ctx, report, cache.moduleBlocks);
  attachOrigins(report, files, scope, ctx, cache.tree);
  merge(report, unmanagedDrifts(files, snapshot, ctx));
  pushReaderNotChecked(report, snapshot);
  return report;
}

/** The reader's not-checked entries for addresses the diff did not list already. */
function pushReaderNotChecked(report: DriftReport, snapshot: LiveSnapshot): void {
  const listed = new Set(report.notChecked.map((n) => n.address));
  report.notChecked.push(...snapshot.notChecked.filter((n) => !listed.has(n.address)));
}

/** Every resource block of every child module instance, at its full address (`module.app["blue"].aws_instance.this`). */
function diffModules(tree: ModuleTree, snapshot: LiveSnapshot, ctx: DiffContext, report: DriftReport, cache?: Map<string, WeakMap<object, CachedBlock>>): void {
  const instances = tree.instances();
  const sharing = new Map<string, number>();
  for (const inst of instances) sharing.set(inst.dir, (sharing.get(inst.dir) ?? 0) + 1);
  for (const inst of instances) {
    let blocks = cache?.get(inst.path);
    if (cache && !blocks) cache.set(inst.path, (blocks = new WeakMap()));
    for (const file of inst.files) {
      if (!file.file.endsWith('.tf')) continue;
      for (const block of file.blocks) {
        if (block.kind !== 'resource') continue;
        const blockReport = diffBlockCached(blocks, block, inst.scope, snapshot, ctx);
        if (inst.installed || (sharing.get(inst.dir) ?? 0) > 1) for (const d of blockReport.drifts) d.callers = [callerSite(inst, block, d)];
        merge(report, blockReport);
      }
    }
  }
  report.notChecked.push(...tree.notChecked);
  report.moduleProblems = tree.problems;
  report.moduleInstances = instances;
}

/** Where each drifted value is written (what Adopt edits): set on every drift, after any reuse of cached reports. */
function attachOrigins(report: DriftReport, files: IndexedFile[], rootScope: ModuleScope, ctx: DiffContext, tree?: ModuleTree): void {
  const instances = report.moduleInstances ?? [];
  const root = { files, inputs: ctx.variables ?? {} };
  for (const d of report.drifts) {
    const resource = d.address.replace(/\[[^\]]*\]$/, '');
    const inst = tree ? instances.filter((i) => resource.startsWith(`${i.path}.`)).sort((a, b) => b.path.length - a.path.length)[0] : undefined;
    const scope = inst?.scope ?? rootScope;
    const local = inst ? resource.slice(inst.path.length + 1) : resource;
    const block = scope.blocks.find((b) => b.kind === 'resource' && b.address === local);
    const origin = block ? valueOrigin(d, block, scope, inst, root, instances, rootScope) : undefined;
    if (origin) d.origin = origin;
    else delete d.origin;
  }
}

const BARE_VARIABLE = /^var\.([A-Za-z_][\w-]*)$/;

/**
 * Where a child's drift shows in the code someone edits: the call's argument the attribute's value
 * flows from (`instance_type = var.size` → the call's `size = …`), else the call's header; through
 * installed modules, up to the first caller outside `.terraform/`.
 */
export function callerSite(inst: ModuleInstance, block: TopBlock, drift: Drift): DriftCaller {
  const attr = block.attributes.find((a) => a.name === drift.attributePath[0]);
  let variable = attr ? BARE_VARIABLE.exec(attr.expression.trim())?.[1] : undefined;
  let current = inst;
  for (;;) {
    const arg = variable ? current.call.attributes.find((a) => a.name === variable) : undefined;
    const site: DriftCaller = { module: inst.path, file: arg ? sourceFile(arg, current.call.file) : current.call.file, range: arg?.range ?? current.call.headerRange, ...(arg ? { argument: arg.name } : {}) };
    if (!current.parent?.installed) return site;
    variable = arg ? BARE_VARIABLE.exec(arg.expression.trim())?.[1] : undefined;
    current = current.parent;
  }
}

function merge(into: DriftReport, from: DriftReport): void {
  into.drifts.push(...from.drifts);
  into.unknown.push(...from.unknown);
  into.notChecked.push(...from.notChecked);
  into.checked += from.checked;
  if (from.checkedAddresses?.length) (into.checkedAddresses ??= []).push(...from.checkedAddresses);
}

/** The drift of one file, given a scope built from all files of its module (for incremental re-diffs). */
export function diffFile(file: HclFile, scope: ModuleScope, snapshot: LiveSnapshot, ctx: DiffContext): DriftReport {
  const report: DriftReport = { drifts: [], unknown: [], notChecked: [], checked: 0 };
  if (!file.file.endsWith('.tf')) return report;
  for (const block of file.blocks) if (block.kind === 'resource') merge(report, diffBlock(block, scope, snapshot, ctx));
  return report;
}

function instancesFor(block: TopBlock, scope: ModuleScope, ctx: DiffContext): { instances: StateInstance[]; skipped: NotChecked[] } {
  const fromState = scope.state.instancesOf(scope.addressOf(block));
  // Matching without state is done for the root module's blocks only.
  const inferred = scope.prefix ? [] : (ctx.inferred ?? []).filter((i) => i.resourceAddress === block.address);
  const all = fromState.length ? fromState : inferred;
  const declared = scope.declaredKeys(block);
  if (!declared) return { instances: all, skipped: [] };
  const keys = new Set(declared.map((k) => JSON.stringify(k ?? null)));
  const instances: StateInstance[] = [];
  const skipped: NotChecked[] = [];
  for (const inst of all) {
    if (keys.has(JSON.stringify(inst.indexKey ?? null))) instances.push(inst);
    else skipped.push({ address: inst.address, type: inst.type, reason: 'in state but no longer declared by count/for_each (terraform apply would destroy it)' });
  }
  return { instances, skipped };
}

/** `reads`: filled with the snapshot entries the diff looked at (what a cached report depends on). */
export function diffBlock(block: TopBlock, scope: ModuleScope, snapshot: LiveSnapshot, ctx: DiffContext, reads?: LiveRead[]): DriftReport {
  const report: DriftReport = { drifts: [], unknown: [], notChecked: [], checked: 0 };
  const type = block.labels[0] ?? '';
  const schema = ctx.types.get(type);
  const address = scope.addressOf(block);
  if (!schema) {
    report.notChecked.push({ address, type, reason: `resource type ${type} is not supported by Tidemark` });
    return report;
  }
  const { instances, skipped } = instancesFor(block, scope, ctx);
  report.notChecked.push(...skipped);
  if (instances.length === 0) {
    const reason = scope.state.present ? 'not in Terraform state (not applied yet?)' : 'no Terraform state, and no unambiguous live match by name or tags';
    report.notChecked.push({ address, type, reason });
    return report;
  }
  for (const instance of instances) {
    // Not read because its provider cannot be (undefined alias, unknown region, refused role): listed with why.
    const read = liveRead(snapshot, instance.address);
    reads?.push(read);
    const skippedByReader = read.notChecked;
    if (skippedByReader) report.notChecked.push(skippedByReader);
    else diffInstance(block, schema, instance, scope, snapshot, ctx, report);
  }
  return report;
}

function diffInstance(block: TopBlock, schema: TypeSchema, instance: StateInstance, moduleScope: ModuleScope, snapshot: LiveSnapshot, ctx: DiffContext, report: DriftReport): void {
  const address = instance.address;
  const entry = snapshot.get(address);
  // An argument merged from an override file is reported where it is written.
  const fileOf = (attributePath: string[]): string => {
    const name = attributePath[0];
    const item = name === undefined ? undefined : block.attributes.find((a) => a.name === name) ?? block.blocks.find((b) => (b.type === 'dynamic' ? b.labels[0] : b.type) === name);
    return item ? sourceFile(item, block.file) : block.file;
  };
  const base = { address, file: block.file, resourceType: schema.type, confidence: instance.inferred ? 'inferred' as const : 'proven' as const };
  const inferredNote = instance.inferred ? 'matched to the live object without Terraform state (by name or tags): inferred' : undefined;
  const normCtx: NormalizeContext = entry?.status === 'found' ? { selfId: entry.resource.id, live: entry.resource.attributes } : { selfId: '' };
  const suppressor = makeSuppressor({ block, address, type: schema.type, comments: ctx.comments.get(block.file) ?? [], rules: ctx.config.ignore, now: ctx.now });
  const emit = (d: Omit<Drift, 'file' | 'address' | 'resourceType' | 'confidence'> & { rule?: AttributeRule; ignoredWithin?: boolean }): void => {
    const { rule, ignoredWithin, ...rest } = d;
    // Only paths inside the attribute that ignore_changes names differ: ignored like the whole attribute.
    const looked = ignoredWithin ? { suppressed: { source: 'lifecycle' as const, reason: 'lifecycle ignore_changes' }, note: undefined } : suppressor.lookup(d.attributePath, d.range);
    const { note } = looked;
    // A value another AWS mechanism owns (a scaling policy's capacity) is a hint, like an ignore rule.
    const owned = entry?.status === 'found' && d.attributePath[0] !== undefined ? entry.resource.ownedAttributes?.[d.attributePath[0]] : undefined;
    const suppressed = looked.suppressed ?? (owned ? { source: 'aws' as const, reason: owned } : undefined);
    const notes = [rest.note, note, inferredNote].filter(Boolean).join('; ');
    const drift: Drift = { ...base, file: fileOf(d.attributePath), ...rest, ...(notes ? { note: notes } : {}) };
    // Sets of rules say which rules differ, in words, instead of two JSON lists.
    if (rule?.phrases && rest.kind === 'changed') drift.difference = setDifference(rule.phrases(rest.declared as Known, normCtx), rule.phrases(rest.live as Known, normCtx));
    // Secret values: keys only in every view of the drift; Revert still gets the declared value.
    if (rule?.sensitive && rest.kind === 'changed') {
      Object.assign(drift, redactSensitive(rule.sensitive, rest.declared as Known, rest.live as Known));
      holdWriteBack(drift, rest.declared);
    }
    drift.severity = severityOf(drift, rule, ctx.config, suppressed);
    if (suppressed) drift.suppressed = suppressed;
    report.drifts.push(drift);
  };
  const unknown = (attributePath: string[], range: Range, reason: string): void => {
    report.unknown.push({ address, file: fileOf(attributePath), attributePath, range, reason });
  };

  if (!entry) return unknown([], block.headerRange, 'not read from the cloud yet');
  if (entry.status === 'unknown') return unknown([], block.headerRange, entry.reason);
  if (entry.status === 'missing') {
    // Compared: the live object is gone, which is itself the drift.
    (report.checkedAddresses ??= []).push(address);
    emit({ attributePath: [], declared: entry.id, live: null, range: block.headerRange, kind: 'missing-live', liveId: entry.id, note: entry.reason });
    return;
  }
  report.checked++;
  (report.checkedAddresses ??= []).push(address);
  const live = entry.resource;
  const scope = moduleScope.forInstance(block, instance.indexKey);

  for (const rule of schema.attributes) {
    const liveRaw = live.attributes[rule.name];
    const liveUnknown = live.unknownAttributes?.[rule.name];
    const attr = block.attributes.find((a) => a.name === rule.name);
    const nested = block.blocks.filter((b) => b.type === rule.name);
    const dynamic = block.blocks.some((b) => b.type === 'dynamic' && b.labels[0] === rule.name);
    const range = attr?.range ?? nested[0]?.range ?? block.headerRange;
    if (liveUnknown) {
      unknown([rule.name], range, liveUnknown);
      continue;
    }
    if (liveRaw === undefined) continue; // not read: nobody asked for it
    if (rule.stateOnly) {
      compareStateOnly(rule, instance.inferred ? undefined : instance.attributes[rule.name], fromJson(liveRaw) as Known, range, normCtx, live.id, emit);
      continue;
    }
    let declared: Value;
    let fromDefault = false;
    if (dynamic) declared = new Unknown(`dynamic "${rule.name}" blocks are not evaluated`);
    else if (attr) declared = attributeValue(attr, scope);
    else if (nested.length) declared = nested.map((b) => blockValue(b, scope));
    else if (rule.default !== undefined) {
      declared = rule.default;
      fromDefault = true;
    } else continue; // optional and computed: whatever AWS chose is not drift

    const liveValue = fromJson(liveRaw) as Known;
    const stateRaw = instance.inferred ? undefined : instance.attributes[rule.name];
    if (fromDefault && stateRaw !== undefined && stateRaw !== null) {
      // The provider may compute a value other than the documented default: only a state equal to the default proves it applies.
      const same = canonicalForm(rule, fromJson(stateRaw) as Known, normCtx) === canonicalForm(rule, declared as Known, normCtx);
      if (!same) continue;
    }
    const u = firstUnknown(declared);
    if (u) {
      compareWithState(rule, u, stateRaw, liveValue, range, normCtx, emit, unknown);
      continue;
    }
    const cd = canonicalForm(rule, declared as Known, normCtx);
    const cl = canonicalForm(rule, liveValue, normCtx);
    if (cd === undefined || cl === undefined) {
      unknown([rule.name], range, `${rule.name} could not be interpreted (not valid JSON?)`);
      continue;
    }
    if (cd === cl) continue;
    const inner = suppressor.ignoredWithin(rule.name);
    const ignoredWithin = inner.length > 0 && canonicalForm(rule, overlayIgnored(declared as Known, liveValue, inner), normCtx) === cl;
    // Blocks merged from an override file are reported there: its first block stands in for the header.
    const header = nested[0] && sourceFile(nested[0], block.file) !== block.file ? nested[0].range : block.headerRange;
    const blockRange = rule.compare === 'blocks' ? blockSetRange(rule, nested, scope, liveValue, normCtx, header) ?? range : range;
    emit({
      attributePath: [rule.name], declared, live: liveValue, range: blockRange, kind: 'changed', basis: 'declared', rule, ignoredWithin,
      liveId: live.id, note: fromDefault ? `${rule.name} is not set, so the provider default ${JSON.stringify(declared)} applies` : undefined,
    });
  }

  if (schema.tags) diffTags(block, instance, moduleScope, scope, live.attributes.tags, live.unknownAttributes?.tags, live.id, emit, unknown);
}

type Emit = (d: Omit<Drift, 'file' | 'address' | 'resourceType' | 'confidence'> & { rule?: AttributeRule }) => void;
type Unknowns = (path: string[], range: Range, reason: string) => void;

/** A state-only attribute: what Terraform recorded at the last apply against live; nothing recorded, nothing compared. */
function compareStateOnly(rule: AttributeRule, stateRaw: unknown, live: Known, range: Range, normCtx: { selfId: string }, liveId: string, emit: Emit): void {
  if (stateRaw === undefined || stateRaw === null || stateRaw === '') return;
  const state = fromJson(stateRaw) as Known;
  const cs = canonicalForm(rule, state, normCtx);
  const cl = canonicalForm(rule, live, normCtx);
  if (cs === undefined || cl === undefined || cs === cl) return;
  emit({
    attributePath: [rule.name], declared: state, live, range, kind: 'changed', basis: 'state', rule, liveId,
    note: `${rule.name} is compared with the value Terraform recorded at the last apply, not with the configuration`,
  });
}

/** The declared value is unknown: compare what Terraform recorded at the last apply with live instead. */
function compareWithState(rule: AttributeRule, why: Unknown, stateRaw: unknown, live: Known, range: Range, normCtx: NormalizeContext, emit: Emit, unknown: Unknowns): void {
  if (stateRaw === undefined) {
    unknown([rule.name], range, `declared value is not known: ${why.reason}`);
    return;
  }
  const state = fromJson(stateRaw) as Known;
  const cs = canonicalForm(rule, state, normCtx);
  const cl = canonicalForm(rule, live, normCtx);
  if (cs === undefined || cl === undefined || cs === cl) {
    unknown([rule.name], range, `declared value is not known (${why.reason}); state and live agree`);
    return;
  }
  emit({
    attributePath: [rule.name], declared: state, live, range, kind: 'changed', basis: 'state', rule,
    note: `declared value is not known (${why.reason}); compared the value recorded in Terraform state instead`,
  });
}

/**
 * Where a block-set drift is squiggled: the one declared block whose rules are missing live, when
 * exactly one is; otherwise the resource's header, since what differs is live rules the code does
 * not declare (or several blocks), and squiggling an unrelated declared rule would blame it.
 * Undefined for the attribute syntax (`ingress = [...]`), which keeps the attribute's range.
 */
function blockSetRange(rule: AttributeRule, nested: Block[], scope: Scope, live: Known, ctx: NormalizeContext, header: Range): Range | undefined {
  if (nested.length === 0) return undefined;
  const liveAtoms = new Set(JSON.parse(canonicalForm(rule, live, ctx) ?? '[]') as string[]);
  const changed = nested.filter((b) => {
    const v = blockValue(b, scope);
    if (firstUnknown(v)) return false;
    const atoms = JSON.parse(canonicalForm(rule, [v as Known], ctx) ?? '[]') as string[];
    return atoms.some((a) => !liveAtoms.has(a));
  });
  return changed.length === 1 ? changed[0].range : header;
}

/** Where a tag key is written inside a `tags = { ... }` expression, for a precise squiggle. */
export function tagKeyRange(attr: Attribute, key: string): Range {
  const text = attr.expression;
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[\\s{,])("${escaped}"|${escaped})\\s*[=:]`).exec(text);
  if (!m) return attr.range;
  const offset = m.index + m[1].length;
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  const line = attr.valueRange.start.line + lines.length - 1;
  const character = (lines.length === 1 ? attr.valueRange.start.character : 0) + lines[lines.length - 1].length;
  return { start: { line, character }, end: { line, character: character + m[2].length } };
}

function diffTags(block: TopBlock, instance: StateInstance, moduleScope: ModuleScope, scope: Scope, liveRaw: unknown, liveUnknown: string | undefined, liveId: string, emit: Emit, unknown: Unknowns): void {
  const attr = block.attributes.find((a) => a.name === 'tags');
  const range = attr?.range ?? block.headerRange;
  if (liveUnknown) return unknown(['tags'], range, liveUnknown);
  if (!isObject(liveRaw)) return;
  const live = liveRaw as Record<string, string>;
  const defaults = moduleScope.providerFor(block).defaultTags;
  const own: Value = attr ? attributeValue(attr, scope) : {};
  let declared: Record<string, Value> | undefined;
  let why: Unknown | undefined;
  if (own instanceof Unknown) why = own;
  else if (defaults instanceof Unknown) why = defaults;
  else if ((own !== null && !isObject(own)) || (defaults !== null && !isObject(defaults))) why = new Unknown('tags is not a map');
  else declared = { ...((defaults ?? {}) as Record<string, Value>), ...((own ?? {}) as Record<string, Value>) };

  if (!declared) {
    const stateTags = instance.inferred ? undefined : instance.attributes.tags_all ?? instance.attributes.tags;
    if (!isObject(stateTags)) return unknown(['tags'], range, `declared tags are not known: ${why?.reason ?? ''}`);
    for (const key of new Set([...Object.keys(stateTags), ...Object.keys(live)])) {
      const s = (stateTags as Record<string, unknown>)[key];
      if (s === live[key] || (s === undefined && live[key] === undefined)) continue;
      emit({
        attributePath: ['tags', key], declared: s === undefined ? null : (s as Known), live: live[key] ?? null, range, kind: 'changed', basis: 'state', rule: TAGS_RULE, liveId,
        note: `declared tags are not known (${why?.reason ?? ''}); compared the tags recorded in Terraform state instead`,
      });
    }
    return;
  }
  for (const key of new Set([...Object.keys(declared), ...Object.keys(live)])) {
    const d = declared[key];
    const l = live[key];
    const keyRange = attr && key in ((own ?? {}) as object) ? tagKeyRange(attr, key) : range;
    if (d instanceof Unknown || firstUnknown(d ?? null)) {
      unknown(['tags', key], keyRange, `tag value is not known: ${(firstUnknown(d ?? null) as Unknown).reason}`);
      continue;
    }
    const dv = d === undefined || d === null ? undefined : String(d);
    if (dv === l) continue;
    const fromDefaults = !(key in ((own ?? {}) as object)) && key in ((defaults ?? {}) as object);
    emit({
      attributePath: ['tags', key], declared: dv ?? null, live: l ?? null, range: keyRange, kind: 'changed', basis: 'declared', rule: TAGS_RULE, liveId,
      note: fromDefaults ? 'declared by the provider\'s default_tags' : undefined,
    });
  }
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

export function severityRank(s: Severity): number {
  return RANK[s];
}

function severityOf(drift: Drift, rule: AttributeRule | undefined, config: DriftConfig, suppressed: DriftSuppression | undefined, unmanagedSeverity: Severity = 'warning'): Severity {
  if (suppressed) return 'hint';
  const path = drift.attributePath.join('.');
  const override = config.severity.find(
    (r) =>
      (!r.type || r.type === drift.resourceType) &&
      (!r.address || drift.address === r.address || drift.address.startsWith(`${r.address}[`)) &&
      (!r.attribute || path === r.attribute || path.startsWith(`${r.attribute}.`)),
  );
  if (override) return override.level;
  if (drift.kind === 'missing-live') return 'error';
  if (drift.kind === 'unmanaged') return unmanagedSeverity;
  return rule?.severity ?? 'warning';
}

/** Unmanaged live objects: placed on the file that declares other resources of the same type. */
function unmanagedDrifts(files: HclFile[], snapshot: LiveSnapshot, ctx: DiffContext): DriftReport {
  const report: DriftReport = { drifts: [], unknown: [], notChecked: [], checked: 0 };
  const tfFiles = files.filter((f) => f.file.endsWith('.tf'));
  const resources = snapshot.unmanaged.length ? tfFiles.flatMap((f) => f.blocks).filter((b) => b.kind === 'resource') : [];
  for (const live of snapshot.unmanaged) {
    const schema = ctx.types.get(live.type);
    // A member of a managed container (a rule of a managed group) is reported on the container's block.
    const containerLabels = live.container?.resourceAddress.replace(/\[[^\]]*\]$/, '').split('.').slice(-2);
    const container = containerLabels && resources.find((b) => b.labels[0] === containerLabels[0] && b.labels[1] === containerLabels[1]);
    const sameType = resources.find((b) => b.labels[0] === live.type);
    const anyResource = resources[0];
    const anchor = container || sameType || anyResource;
    const file = anchor?.file ?? tfFiles[0]?.file;
    if (!file) continue;
    const label = schema ? schema.suggestName(live) : live.id;
    const drift: Drift = {
      address: `${live.type}.${label}`, file, attributePath: [], declared: null, live: live.attributes, range: anchor?.headerRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      kind: 'unmanaged', confidence: 'proven', resourceType: live.type, liveId: live.id,
      note: live.container?.note ?? `${live.type} ${live.id} carries this workspace's tags but is not in Terraform state`,
    };
    drift.severity = severityOf(drift, undefined, ctx.config, undefined, live.container?.severity);
    report.drifts.push(drift);
  }
  return report;
}
