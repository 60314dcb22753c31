// Rebuilds hcl2json's JSON shape from the index, to check the index against HashiCorp's parser.
import { parse as hcl2json } from '@cdktf/hcl2json';
import { isDeepStrictEqual } from 'node:util';
import type { Block } from '../../server/src/model';
import type { ParsedHclFile } from '../../server/src/hcl/parse-file';

type Json = Record<string, unknown>;

function insert(target: Json, path: string[], body: Json): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Json;
  const last = path[path.length - 1];
  ((node[last] ??= []) as unknown[]).push(body);
}

function bodyOf(block: Block): Json {
  const body: Json = {};
  for (const attr of block.attributes) body[attr.name] = attr.value;
  for (const nested of block.blocks) insert(body, [nested.type, ...nested.labels], bodyOf(nested));
  return body;
}

export function indexAsHclJson(file: ParsedHclFile): Json {
  const json: Json = {};
  for (const block of file.blocks) insert(json, [block.type, ...block.labels], bodyOf(block));
  for (const attr of file.attributes) json[attr.name] = attr.value;
  return json;
}

/** Returns the top-level keys where the index and HashiCorp's parser disagree (empty = agreement). */
export async function disagreements(file: ParsedHclFile, text: string): Promise<string[]> {
  const reference = (await hcl2json(file.file, text)) as Json;
  const ours = indexAsHclJson(file);
  const keys = new Set([...Object.keys(reference), ...Object.keys(ours)]);
  const differing: string[] = [];
  for (const key of keys) {
    const a = reference[key];
    const b = ours[key];
    if (isDeepStrictEqual(a, b)) continue;
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a)) {
      for (const sub of new Set([...Object.keys(a), ...Object.keys(b as Json)])) {
        if (!isDeepStrictEqual((a as Json)[sub], (b as Json)[sub])) differing.push(`${key}.${sub}`);
      }
    } else differing.push(key);
  }
  return differing;
}
