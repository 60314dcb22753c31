// The contract every file under cloud/types/ fulfils: the pure schema the engine uses, the read
// family that reads its live objects (or, for a type without one yet, its own bulk read) and how
// to write a declared value back.
import type { LiveResource, StateInstance } from '../../model';
import type { LiveEntry } from '../../drift/snapshot';
import type { TypeSchema } from '../../drift/schema';
import type { Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import type { AwsFailure } from '../errors';
import type { FamilyKey, FamilyMember, FamilyRows, ReadFamily } from '../families/family';

export interface ReadTarget {
  /** Instance address, e.g. `aws_instance.web[0]`. */
  address: string;
  /** The id the type reads by (instance id, bucket name, role name, `role:policy`). */
  id: string;
  arn?: string;
  state: StateInstance;
  /** Arguments the declared block sets; types skip per-object calls for attributes nobody declared. */
  needs?: ReadonlySet<string>;
}

export interface ReadContext {
  clients: AwsClients;
  /** Tags by ARN from the Resource Groups Tagging API (only for ARNs it returned). */
  tagsByArn: ReadonlyMap<string, Record<string, string>>;
  now: string;
}

export interface RevertRequest {
  id: string;
  state: StateInstance;
  live: LiveResource;
  /** Terraform argument to write back, e.g. `instance_type`, `tags`, `ingress`. */
  attribute: string;
  /** The declared value in Terraform shape (for tags: the full desired map incl. default_tags). */
  declared: Known;
}

export interface RevertOutcome {
  ok: boolean;
  /** What was done, or why nothing could be done (e.g. the argument forces replacement). */
  message: string;
  /** The AWS failure when a call failed (lets a caller retry throttling later, or report AccessDenied). */
  failure?: AwsFailure;
}

export interface ResourceType extends TypeSchema {
  /** Resource Groups Tagging API resource type filter (e.g. `ec2:instance`), when listed there. */
  taggingType?: string;
  /** The read id from a state instance's attributes. */
  idFromState(attributes: Record<string, unknown>): string | undefined;
  /** The id from an ARN the Tagging API returned (for unmanaged objects). */
  idFromArn?(arn: string): string | undefined;
  /** The family that reads this type's live objects, planned once per check with its other members. */
  family?: FamilyMember;
  /** A type without a family reads its own objects, with as few calls as the API allows; every target gets an entry. */
  read?(targets: ReadTarget[], ctx: ReadContext): Promise<Map<string, LiveEntry>>;
  /** A container type (a security group, route table, network ACL): how to find its live members nothing declares. */
  members?: ContainerMembers;
  /** Removes a live object (an unmanaged member of a managed container: Revert). */
  removeLive?(live: LiveResource, clients: AwsClients): Promise<RevertOutcome>;
  /** Set when no attribute can be written back in place, with the reason (shown by `tidemark types`). */
  revertUnsupported?: string;
  /** Why some attributes are deliberately not compared (shown by `tidemark types`): attribute → reason. */
  notCompared?: Record<string, string>;
  revert(request: RevertRequest, clients: AwsClients): Promise<RevertOutcome>;
}

/** Every state instance of the check, by type: what declares the members of a container. */
export type InstancesByType = ReadonlyMap<string, readonly StateInstance[]>;

/**
 * The members of a managed container, read through a family in the same planned load as the
 * member types; `unmanaged` returns the live members no state instance declares (each with its
 * `container` set), or nothing when it cannot tell.
 */
export interface ContainerMembers {
  family: ReadFamily<unknown>;
  /** Whether the container's members are managed as separate resources at all (only then are they read; default yes). */
  managesMembers?(target: ReadTarget, declared: InstancesByType): boolean;
  keys(target: ReadTarget): FamilyKey[];
  unmanaged(target: ReadTarget, container: LiveResource, rows: FamilyRows<unknown>, declared: InstancesByType, ctx: ReadContext): LiveResource[];
}
