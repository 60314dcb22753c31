// Matching declared blocks to live objects when there is no Terraform state: by a name that is
// unique by construction (bucket, role), or by a Name tag that exactly one live object carries.
// Every match is marked inferred, and the hover says so.
import type { Block, LiveResource, StateInstance, TopBlock } from '../model';
import { attributeValue, IndexedFile, ModuleScope } from './module-scope';
import type { VariableInputs } from './variables';
import type { TypeRegistry } from './schema';
import { isObject } from './values';

type Rule = (block: TopBlock, scope: ModuleScope, tagged: LiveResource[]) => Record<string, unknown> | undefined;

function literal(block: Block, name: string, scope: ModuleScope): string | undefined {
  const attr = block.attributes.find((a) => a.name === name);
  if (!attr) return undefined;
  const v = attributeValue(attr, scope);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

const byName = (attr: string, extra: (v: string) => Record<string, unknown> = () => ({})): Rule => (block, scope) => {
  const v = literal(block, attr, scope);
  return v ? { id: v, [attr]: v, ...extra(v) } : undefined;
};

const byNameTag: Rule = (block, scope, tagged) => {
  const tags = block.attributes.find((a) => a.name === 'tags');
  const own = tags ? attributeValue(tags, scope) : {};
  const defaults = scope.providerFor(block).defaultTags;
  const name = isObject(own) && typeof own.Name === 'string' ? own.Name : isObject(defaults) && typeof defaults.Name === 'string' ? defaults.Name : undefined;
  if (!name) return undefined;
  const type = block.labels[0];
  const candidates = tagged.filter((l) => l.type === type && (l.attributes.tags as Record<string, string> | undefined)?.Name === name);
  if (candidates.length !== 1) return undefined;
  return { id: candidates[0].id, arn: candidates[0].arn, tags: candidates[0].attributes.tags };
};

const RULES: Record<string, Rule> = {
  aws_s3_bucket: byName('bucket', (b) => ({ arn: `arn:aws:s3:::${b}` })),
  aws_s3_bucket_versioning: byName('bucket'),
  aws_s3_bucket_server_side_encryption_configuration: byName('bucket'),
  aws_s3_bucket_policy: byName('bucket'),
  aws_s3_bucket_public_access_block: byName('bucket'),
  aws_iam_role: byName('name'),
  aws_iam_role_policy: (block, scope) => {
    const role = literal(block, 'role', scope);
    const name = literal(block, 'name', scope);
    return role && name ? { id: `${role}:${name}`, role, name } : undefined;
  },
  aws_instance: byNameTag,
  aws_security_group: byNameTag,
  aws_vpc: byNameTag,
  aws_subnet: byNameTag,
};

/** Types whose matches need a listing of tagged live objects (Tagging API, by type). */
export const TAG_MATCHED_TYPES = new Set(['aws_instance', 'aws_security_group', 'aws_vpc', 'aws_subnet']);

/**
 * Infers instances for blocks without count/for_each. Runs twice so that references to inferred
 * resources (`bucket = aws_s3_bucket.logs.id`) resolve in the second pass.
 */
export function inferInstances(files: IndexedFile[], types: TypeRegistry, tagged: LiveResource[], variables: VariableInputs = {}): StateInstance[] {
  const noState = { present: false, instancesOf: () => [] };
  let found: StateInstance[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const scope = new ModuleScope(files, noState, variables, found);
    const next: StateInstance[] = [];
    for (const block of scope.blocks) {
      if (block.kind !== 'resource' || !types.has(block.labels[0] ?? '')) continue;
      if (block.attributes.some((a) => a.name === 'count' || a.name === 'for_each')) continue;
      const rule = RULES[block.labels[0]];
      const attributes = rule?.(block, scope, tagged);
      if (!attributes) continue;
      next.push({ address: block.address, resourceAddress: block.address, type: block.labels[0], name: block.labels[1] ?? '', module: '', attributes, inferred: true });
    }
    found = next;
  }
  return found;
}
