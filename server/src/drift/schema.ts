// What the engine needs to know about a resource type, declared by each file under cloud/types/.
// Pure data and pure functions only: the engine never sees an SDK client.
import type { LiveResource, Severity } from '../model';
import type { Known } from './values';

/**
 * How declared and live values of one attribute compare:
 * - scalar: string/number/bool, numeric and boolean strings equal their typed value;
 * - set: a list compared as a set of normalised elements;
 * - policy: a JSON policy document compared semantically (statement and value order, single vs list);
 * - blocks: nested blocks (or a list of objects) normalised by the type into a set of atoms.
 */
export type Comparison = 'scalar' | 'set' | 'policy' | 'blocks';

export interface NormalizeContext {
  /** Live id of the resource itself (e.g. a security group's own id, for `self` rules). */
  selfId: string;
  /**
   * The live object's attributes, for a comparison that depends on another of them (ACM lists the
   * certificate's domain_name among its subject_alternative_names); absent where no live object is at hand.
   */
  live?: Readonly<Record<string, unknown>>;
}

export interface AttributeRule {
  /** Terraform argument name, e.g. `instance_type`, `ingress`, `versioning_configuration`. */
  name: string;
  compare: Comparison;
  /**
   * Maps a value to its canonical form before comparing (both sides). For `set`, each element;
   * for `blocks`, the whole list of block objects → list of atoms (each atom one canonical value).
   */
  normalize?: (value: Known, ctx: NormalizeContext) => Known;
  /**
   * For `blocks`: each element of the set as a short phrase people read (`tcp 22 from 0.0.0.0/0`),
   * equal for equal elements; the drift then says which elements differ instead of dumping JSON.
   */
  phrases?: (value: Known, ctx: NormalizeContext) => string[];
  /** The provider default applied when the argument is absent. Without it, an absent argument is not compared. */
  default?: Known;
  severity?: Severity;
  /** True when Terraform must replace the resource to change it: revert cannot write it back. */
  forceNew?: boolean;
  /**
   * Values are secrets: a drift shows only which keys differ (each side's key → comparable value,
   * e.g. a digest), never a value. See drift/sensitive.ts.
   */
  sensitive?: (value: Known) => Record<string, string>;
  /**
   * Compared with the value Terraform recorded in state, never with the configuration: a change
   * trigger or computed value whose configured form is not what AWS reports (source_code_hash).
   */
  stateOnly?: boolean;
}

export interface TypeSchema {
  /** Terraform resource type, e.g. `aws_security_group`. */
  type: string;
  attributes: AttributeRule[];
  /** Supports `tags` (and provider `default_tags`). */
  tags: boolean;
  /** The id `terraform import` expects for this live object. */
  importId(live: LiveResource): string;
  /** A resource label suggested for an unmanaged object (`import { to = type.<label> }`). */
  suggestName(live: LiveResource): string;
}

export type TypeRegistry = ReadonlyMap<string, TypeSchema>;
