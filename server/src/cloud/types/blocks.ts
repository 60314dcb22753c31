// Reading Terraform-shaped nested blocks (lists of objects) out of declared, state or live values.
import { isObject, Known } from '../../drift/values';

export type Block = { [key: string]: Known };

/** The objects of a block list (anything else is dropped). */
export function blocksOf(v: unknown): Block[] {
  return (Array.isArray(v) ? v : []).filter((b): b is Block => isObject(b as Known));
}

/** The single block of a MaxItems=1 block list, or the object itself. */
export function firstBlock(v: unknown): Block | undefined {
  const b = Array.isArray(v) ? v[0] : v;
  return isObject(b as Known) ? (b as Block) : undefined;
}

/** A list of strings (nulls dropped). */
export function stringsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x) => x !== null && x !== undefined).map(String) : [];
}
