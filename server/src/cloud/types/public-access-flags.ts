// The four public access block flags S3 keeps per bucket and per account (S3 Control): the same names,
// the same defaults, and a Put that replaces all four at once.
import type { AttributeRule } from '../../drift/schema';
import type { Known } from '../../drift/values';
import { bool } from './common';

const FLAGS = [
  ['block_public_acls', 'BlockPublicAcls'],
  ['block_public_policy', 'BlockPublicPolicy'],
  ['ignore_public_acls', 'IgnorePublicAcls'],
  ['restrict_public_buckets', 'RestrictPublicBuckets'],
] as const;

export type FlagName = (typeof FLAGS)[number][0];
/** The API's shape of the flags (S3's and S3 Control's PublicAccessBlockConfiguration). */
export type FlagConfig = { [K in (typeof FLAGS)[number][1]]?: boolean };

/** The flags as compared: each false unless AWS says true (the provider's default). */
export const flagAttributes: AttributeRule[] = FLAGS.map(([name]) => ({ name, compare: 'scalar', default: false, severity: 'error' }));

/** The live attributes of a configuration (none: every flag false). */
export function flagsOf(config: FlagConfig | undefined): Record<FlagName, boolean> {
  return Object.fromEntries(FLAGS.map(([name, field]) => [name, config?.[field] ?? false])) as Record<FlagName, boolean>;
}

/**
 * The configuration to Put to revert one flag: the others as they are now (read afresh, so reverting two
 * flags one after the other does not undo the first with a snapshot's value). Undefined: not a flag.
 */
export function withFlagReverted(now: FlagConfig | undefined, attribute: string, declared: Known): FlagConfig | undefined {
  if (!FLAGS.some(([name]) => name === attribute)) return undefined;
  return Object.fromEntries(FLAGS.map(([name, field]) => [field, name === attribute ? bool(declared) ?? false : now?.[field] ?? false])) as FlagConfig;
}
