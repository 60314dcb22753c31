// Where the sandbox keeps CloudFront's objects: one global set per account (CloudFront has no
// regions), created on first use so older saved worlds load unchanged.
import type { CallContext } from '../../context';
import type { WorldData } from '../../world';
import type { CfDistribution } from './distributions';
import type { CfFunction } from './functions';
import type { CfOriginAccessControl } from './origin-access-controls';

export interface CloudFrontState {
  /** Distributions by id. */
  distributions: Record<string, CfDistribution>;
  /** Origin access controls by id. */
  originAccessControls: Record<string, CfOriginAccessControl>;
  /** Functions by name. */
  functions: Record<string, CfFunction>;
}

export function cloudFrontState(world: WorldData): CloudFrontState {
  return (world.cloudFront ??= { distributions: {}, originAccessControls: {}, functions: {} });
}

export const cloudFrontOf = (ctx: CallContext): CloudFrontState => cloudFrontState(ctx.world);
