// Small helpers seedB's seeders share (next to seeder.ts's): HCL string literals and blocks, the tags a block
// declares next to what AWS holds under the provider's default_tags, and a resource name safe
// for Terraform built from a unit suffix.
import { DEFAULT_TAGS } from './seeder';

/** A Terraform string literal (JSON string escaping is valid HCL; `${` and `%{` are escaped). */
export const q = (s: string): string => JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');

/** `resource "type" "name" { ... }` from body lines (already indented by two spaces). */
export const block = (type: string, name: string, lines: string[]): string => `resource "${type}" "${name}" {\n${lines.join('\n')}\n}\n`;

/** What a tagged block declares (`tags`), what state holds (tags, tags_all) and what AWS holds (with the default tags). */
export function tagSet(name: string): { hcl: string; state: { tags: Record<string, string>; tags_all: Record<string, string> }; live: Record<string, string> } {
  const tags = { Name: name };
  const all = { ...tags, ...DEFAULT_TAGS };
  return { hcl: `  tags = {\n    Name = ${q(name)}\n  }`, state: { tags, tags_all: all }, live: all };
}

/** A Terraform resource name from a unit suffix (letters, digits, underscores). */
export const label = (prefix: string, suffix: string): string => `${prefix}_${suffix.replace(/[^A-Za-z0-9_]/g, '_')}`;
/** An AWS object name from a unit suffix (letters, digits, dashes). */
export const awsName = (prefix: string, suffix: string): string => `${prefix}-${suffix.replace(/[^A-Za-z0-9-]/g, '-')}`.toLowerCase();

/** Tags as a list of Key/Value pairs (IAM, SNS, EventBridge, CloudWatch). */
export const tagList = (tags: Record<string, string>): Array<{ Key: string; Value: string }> => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
