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
}
