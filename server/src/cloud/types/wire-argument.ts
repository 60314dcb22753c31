// A declared argument as the AWS API takes it, by the few value kinds the RDS and ElastiCache
// writers send (numbers, booleans, strings, string lists): undefined when the declared value is
// not of that kind, so the writer can refuse with the argument's name instead of sending a guess.
import type { Known } from '../../drift/values';
import { stringsOf } from './blocks';
import { bool, num } from './common';

export type ArgumentKind = 'int' | 'bool' | 'string' | 'strings';

export function wireArgument(kind: ArgumentKind, declared: Known): string | number | boolean | string[] | undefined {
  switch (kind) {
    case 'int': return num(declared);
    case 'bool': return bool(declared);
    case 'strings': return Array.isArray(declared) ? stringsOf(declared) : undefined;
    default: return typeof declared === 'string' ? declared : undefined;
  }
}
