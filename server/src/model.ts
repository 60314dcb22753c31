// The typed values that flow through Tidemark, declared once:
// parse (HclFile, Block) → resolve (StateInstance) → read live (LiveResource) → diff (Drift)
// → attribute (ChangeEvent, Grant) → present (LSP, CLI) → audit (AuditRecord).

/** LSP-style position: 0-based line, 0-based UTF-16 code unit column. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Top-level block kinds the index understands; anything else is kept as 'other'. */
export type BlockKind =
  | 'resource'
  | 'data'
  | 'module'
  | 'variable'
  | 'output'
  | 'locals'
  | 'provider'
  | 'terraform'
  | 'import'
  | 'moved'
  | 'check'
  | 'other';

/**
 * One `name = expression` attribute.
 * `value` is what @cdktf/hcl2json produced: literals as JSON values, anything else as a
 * `${...}` template string. `expression` is the exact source text of the right-hand side.
 */
export interface Attribute {
  name: string;
  range: Range;
  nameRange: Range;
  valueRange: Range;
  expression: string;
  value: unknown;
  /** Absolute path of the file it is written in, set only when that is not its block's file (merged from an override file). */
  file?: string;
}

/** A block at any depth, e.g. `resource "aws_instance" "web" { ... }` or a nested `ingress { ... }`. */
export interface Block {
  type: string;
  labels: string[];
  range: Range;
  /** From the start of the block type to the opening brace (inclusive). */
  headerRange: Range;
  attributes: Attribute[];
  blocks: Block[];
  /** Absolute path of the file it is written in, set only when that is not its top-level block's file (merged from an override file). */
  file?: string;
}

/** A top-level block with the address Terraform would give it. */
export interface TopBlock extends Block {
  kind: BlockKind;
  /** `aws_instance.web`, `data.aws_ami.x`, `module.net`, `var.region`, `output.id`, `provider.aws`, `locals`, `terraform`. */
  address: string;
  /** Absolute path of the file. */
  file: string;
}

export interface SyntaxProblem {
  message: string;
  range: Range;
}

/** Everything the index knows about one `.tf` file. */
export interface HclFile {
  /** Absolute path. */
  file: string;
  /** LSP document version when the content came from the editor; undefined when read from disk. */
  version?: number;
  blocks: TopBlock[];
  errors: SyntaxProblem[];
}

// ---------------------------------------------------------------------------------------------
// Drift (filled in by the drift issue; declared here so every layer shares one shape)

export type DriftKind = 'changed' | 'missing-live' | 'unmanaged';
export type Confidence = 'proven' | 'inferred';

export interface Drift {
  address: string;
  file: string;
  /** Path below the resource, e.g. ['tags', 'Env'] or ['ingress']. Empty for whole-resource drift. */
  attributePath: string[];
  declared: unknown;
  live: unknown;
  range: Range;
  kind: DriftKind;
  confidence: Confidence;
  /** Resource type, e.g. `aws_instance`. */
  resourceType?: string;
  severity?: Severity;
  basis?: DriftBasis;
  /** Present when an ignore rule matched: the drift is shown as a hint. */
  suppressed?: DriftSuppression;
  /** Human sentence for hovers and reports, e.g. why the match is inferred or an ignore expired. */
  note?: string;
  /** Live id (or ARN) of the object, for code actions (import, revert). */
  liveId?: string;
  /** Who changed it, under which grant (access-aware drift); absent until attribution ran. */
  attribution?: Attribution;
  /** For sets of rules (security group ingress/egress): each rule as a short phrase, by side. */
  difference?: SetDifference;
  /**
   * For a drift in a child module whose file is not edited by hand (under `.terraform/modules`) or
   * serves several module instances: where it also shows in the calling module.
   */
  callers?: DriftCaller[];
  /** Where the declared value is written when not on the attribute itself: what Adopt edits (see drift/value-origin.ts). */
  origin?: ValueOrigin;
  /**
   * The root module folder whose tree this drift comes from, set by the editor's drift service:
   * two roots (envs/prod, envs/staging) may share a child module's file and the same address.
   */
  root?: string;
  /** For a sensitive attribute (declared/live show keys only): the value Revert writes, serialized as "(sensitive)". */
  writeBack?: HeldValue;
}

/** A value held for one purpose (Revert) whose serialized forms never show it. */
export interface HeldValue {
  reveal(): unknown;
  toJSON(): string;
}

/** Where a declared value is written: a tfvars entry, a variable default, a module call argument, a local. */
export interface ValueOrigin {
  kind: 'tfvars' | 'default' | 'argument' | 'local';
  file: string;
  /** The value text to replace. */
  range: Range;
  /** Column the entry starts at (a multi-line value is indented from it). */
  indent: number;
  /** In words, for titles: `terraform.tfvars:2`, `the default of var.size (variables.tf:4)`. */
  where: string;
  /** Other resources or module instances the same source feeds (`module.app["green"]`). */
  alsoChanges: string[];
}

/** A child module's drift, placed on its caller: the call's argument that feeds the attribute, else the call's header. */
export interface DriftCaller {
  /** The module instance that drifted, e.g. `module.app["blue"]`. */
  module: string;
  file: string;
  range: Range;
  /** The call's argument the drifted value flows from (`var.x` in the child traced to `x = …`), when there is one. */
  argument?: string;
}

/** A set compared element by element, each element as people read it (`tcp 22 from 0.0.0.0/0`). */
export interface SetDifference {
  /** Live only: not in the code. */
  added: string[];
  /** In the code only: not live. */
  removed: string[];
  /** On both sides. */
  kept: string[];
}

// ---------------------------------------------------------------------------------------------
// Access-aware drift: which access session explains a drift, what a grant changed, and reverts.

/**
 * `active-grant`: changed under a grant that is still active (information).
 * `ended-grant`: changed under a grant that has ended, not yet reverted or adopted (warning).
 * `no-grant`: changed by a principal outside any Tidemark grant (error: unauthorized).
 * `unknown`: no change event found yet (CloudTrail delivers events minutes late).
 */
export type AttributionClass = 'active-grant' | 'ended-grant' | 'no-grant' | 'unknown';

export interface Attribution {
  class: AttributionClass;
  grantId?: string;
  /** Requester name for grants; otherwise the principal's name (last ARN segment). */
  actor?: string;
  principalArn?: string;
  /** Time of the change event that explains the drift. */
  at?: string;
  /** API call, e.g. `ec2:AuthorizeSecurityGroupIngress`. */
  eventName?: string;
  eventId?: string;
  /** The session-log command that issued the call, when one matches in time. */
  command?: string;
  /** The grant's role and state when it was classified (for links to its timeline). */
  role?: string;
  grantState?: GrantState;
  /** One sentence for hovers and alerts. */
  summary: string;
}

/** What became of one change made under a grant. */
export type ChangeStatus = 'drifted' | 'adopted' | 'reverted' | 'ignored' | 'revert-failed' | 'kept';

/** One attribute changed under a grant: the grant timeline's "changes made". */
/** A revert done by Tidemark (the revert journal): marks a change as reverted instead of adopted. */
export interface RevertRecord {
  address: string;
  attributePath: string[];
  at: string;
  ok: boolean;
  message?: string;
}

export interface GrantChange {
  grantId: string;
  address: string;
  attributePath: string[];
  file?: string;
  /** Declared value (what the code says, i.e. the value before the change). */
  before: unknown;
  /** Live value after the change. */
  after: unknown;
  at?: string;
  eventName?: string;
  command?: string;
  status: ChangeStatus;
  /** Why, for kept / revert-failed / ignored. */
  note?: string;
}

// ---------------------------------------------------------------------------------------------
// Temporary production access (broker, ledger, session log, audit). Times are ISO-8601 strings so
// the same values travel unchanged over HTTP, LSP and `--json` output.

/**
 * pending → approved | denied | expired (request timed out) | revoked;
 * approved → active | revoked; active → expired | revoked | ended-early.
 */
export type GrantState = 'pending' | 'approved' | 'denied' | 'active' | 'expired' | 'revoked' | 'ended-early';

export interface GrantDecision {
  /** ARN of the approver (never self-asserted: taken from their identity proof). */
  by: string;
  byName: string;
  decision: 'approve' | 'deny';
  at: string;
  comment?: string;
}

/** Post-review a break-glass grant needs; stays open (and alerts) until someone other than the requester reviews it. */
export interface GrantReview {
  state: 'open' | 'done';
  reviewer?: string;
  reviewedAt?: string;
  note?: string;
}

/** Where a scoped resource came from: named on the command line, a changed block of a git diff, a plan's resource change. */
export type ScopeOrigin =
  | { kind: 'address' }
  | { kind: 'diff'; file: string; startLine: number; endLine: number; ref: string }
  | { kind: 'plan'; actions: string[] };

/** One resource of a grant's scope (see access/scope.ts). */
export interface GrantScope {
  address: string;
  type: string;
  arn: string;
  /** The change touches only tags: the credentials get only the type's tag actions on it. */
  tagsOnly?: boolean;
  /** Absent = named as an address. */
  origin?: ScopeOrigin;
}

export interface Grant {
  /** Short id, e.g. `g-7kq2m9xa`; also the STS session name suffix (`tidemark-<id>`). */
  id: string;
  /** ARN of the requester as proven to the broker. */
  requester: string;
  /** Name from `.tidemark/config.yaml` (or the ARN's last segment); also the STS SourceIdentity. */
  requesterName: string;
  /** Role name as in `.tidemark/config.yaml`. */
  role: string;
  roleArn: string;
  /** Requested length; counts from activation, not from the request. */
  durationSeconds: number;
  reason: string;
  ticket?: string;
  state: GrantState;
  breakGlass: boolean;
  review?: GrantReview;
  decisions: GrantDecision[];
  requestedAt: string;
  /** When a still-pending request times out. */
  pendingExpiresAt?: string;
  activatedAt?: string;
  endsAt?: string;
  endedAt?: string;
  /** ARN of whoever denied, revoked or released; 'tidemark' for expiry. */
  endedBy?: string;
  endReason?: string;
  /** The grant this one extends (an extension is a new request needing approval). */
  extends?: string;
  /** The resources the credentials may change; absent = the whole role. */
  scope?: GrantScope[];
  /** The exact inline session policy passed on AssumeRole for `scope`. */
  sessionPolicy?: string;
  /** Increments on every stored change; lets clients drop stale notifications. */
  version: number;
}

/** One command run under a grant (`tidemark shell`, `tidemark exec`, or the editor's grant terminal). Command text is redacted. */
export interface SessionCommand {
  grantId: string;
  at: string;
  /** Requester name. */
  user: string;
  cwd: string;
  command: string;
  exitCode: number | null;
  source: 'shell' | 'exec' | 'terminal';
}

/** One API call recorded by the cloud (CloudTrail) and attributed to a grant or principal. */
export interface ChangeEvent {
  eventId: string;
  at: string;
  eventSource: string;
  eventName: string;
  principalArn?: string;
  sourceIdentity?: string;
  sessionName?: string;
  grantId?: string;
  readOnly?: boolean;
  errorCode?: string;
  resources: string[];
  /** keyFingerprint() of the access key that signed the call (never the key itself): matches events to a grant's credentials. */
  keyFingerprint?: string;
  /** Top-level names in the event's requestParameters: which attribute a many-attribute call (ModifyInstanceAttribute) changed. */
  parameterNames?: string[];
  /** CloudTrail's userAgent: the aws CLI v2 names the command that made the call (`command/ec2.modify-instance-attribute`). */
  userAgent?: string;
}

export type AuditKind =
  | 'request'
  | 'decision'
  | 'activate'
  | 'credentials'
  | 'end'
  | 'review'
  | 'command'
  | 'api-event'
  | 'revoke-policy'
  | 'revert'
  | 'auth-failure'
  | 'policy';

/** Append-only record; `hash` = SHA-256 over `prevHash` and the canonical JSON of every other field. */
export interface AuditRecord {
  seq: number;
  at: string;
  kind: AuditKind;
  /** ARN, or 'tidemark' for the broker's own actions, or 'anonymous' for refused requests. */
  actor: string;
  grantId?: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** How loudly a drift is reported. `hint` is kept for ignored drift, which stays visible. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Where the declared side of a comparison came from. */
export type DriftBasis =
  /** The value written in the configuration (literal or resolved variable/local/reference). */
  | 'declared'
  /** The declared value was not knowable, so the value recorded in Terraform state was compared instead. */
  | 'state';

/** Why a drift is shown as a hint instead of a problem. */
export interface DriftSuppression {
  /** `aws`: the read found that another AWS mechanism owns the value (a scaling policy sets the capacity). */
  source: 'lifecycle' | 'config' | 'comment' | 'aws';
  reason?: string;
  /** ISO date (YYYY-MM-DD) after which the suppression no longer applies. */
  until?: string;
}

/** One Terraform resource instance as recorded in state (v4), or inferred without state. */
export interface StateInstance {
  /** Full instance address: `aws_instance.web`, `aws_instance.web[0]`, `module.net.aws_vpc.main["a"]`. */
  address: string;
  /** Address without the instance key: `aws_instance.web`. */
  resourceAddress: string;
  type: string;
  name: string;
  /** `module.net` or '' for the root module. */
  module: string;
  indexKey?: number | string;
  /** The provider attribute values recorded by the last apply. */
  attributes: Record<string, unknown>;
  /** True when matched by tags/name instead of read from state. */
  inferred?: boolean;
  /** The provider configuration state records for the resource: `provider["registry.terraform.io/hashicorp/aws"].west`. */
  provider?: string;
}

/** A live cloud object, already mapped to Terraform attribute names and shapes. */
export interface LiveResource {
  type: string;
  /** Instance address when known (state or inferred); for unmanaged objects a suggested address. */
  address: string;
  id: string;
  arn?: string;
  /** Terraform-shaped attribute values that were read. Attributes not read are absent. */
  attributes: Record<string, unknown>;
  /** Attributes whose read failed, with the reason: never compared. */
  unknownAttributes?: Record<string, string>;
  /**
   * Attributes AWS itself moves while something else owns them (an ASG's desired capacity under a
   * scaling policy or schedule), with the reason: a difference there is shown as a hint, never as drift.
   */
  ownedAttributes?: Record<string, string>;
  /** ISO timestamp of the read. */
  readAt: string;
  /** Set on an unmanaged member of a managed container (a rule nothing declares in a managed group). */
  container?: LiveContainer;
}

/** The managed container an unmanaged member belongs to: its drift is reported on that block. */
export interface LiveContainer {
  /** The container's resource address, e.g. `aws_security_group.db` (module path included). */
  resourceAddress: string;
  /** What the member is, as people read it, e.g. `unmanaged rule tcp 22 from 0.0.0.0/0 on aws_security_group.db`. */
  note: string;
  severity: Severity;
}

// ---- Alerts: what Tidemark tells people when production changes under it, on every channel.

export type AlertSeverity = 'info' | 'warning' | 'error' | 'critical';

/**
 * `drift-appeared`: live changed away from the code (attribution may still be unknown).
 * `drift-attributed`: a drift already reported is now tied to a change event and grant (or none).
 * `drift-resolved`: the drift is gone (adopted into code, or changed back by someone).
 * `drift-reverted` / `revert-failed`: Tidemark wrote the declared value back, or could not.
 * `guardrail`: a change broke a guardrail rule (`.tidemark/guardrails.cedar`).
 * `watch-error`: the follower itself could not read CloudTrail or the cloud.
 */
export type AlertKind = 'drift-appeared' | 'drift-attributed' | 'drift-resolved' | 'drift-reverted' | 'revert-failed' | 'guardrail' | 'watch-error';

export interface Alert {
  /** Stable per event (kind + resource + attribute + time): receivers can deduplicate retries. */
  id: string;
  at: string;
  severity: AlertSeverity;
  kind: AlertKind;
  /** Terraform address, e.g. `aws_security_group.web`. */
  resource?: string;
  /** Dotted attribute path, e.g. `ingress` or `tags.Env`. */
  attribute?: string;
  /** Workspace-relative file and 1-based line of the declaration, when known. */
  file?: string;
  line?: number;
  attribution?: Attribution;
  /** Guardrail rule id, for `guardrail` alerts. */
  rule?: string;
  /** The root module (relative to the broker's workspace) when a team broker watches several. */
  root?: string;
  /** One sentence a person can act on. Redacted before it leaves the process. */
  message: string;
}
