// Small helpers the IAM, S3, Route 53, Lambda, messaging and monitoring seeders share (next to
// seeder.ts's): HCL string literals and blocks, a unit's tags in the three places they appear,
// and names built from a unit suffix.
import { hclTags, tagsFor } from './seeder';

/** A Terraform string literal (JSON string escaping is valid HCL; `${` and `%{` are escaped). */
export const q = (s: string): string => JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');

/** `resource "type" "name" { ... }` from body lines (already indented by two spaces). */
export const block = (type: string, name: string, lines: string[]): string => `resource "${type}" "${name}" {\n${lines.join('\n')}\n}\n`;

/** What a tagged block declares (`tags`), what state holds (tags, tags_all) and what AWS holds (with the default tags). */
export function tagSet(name: string): { hcl: string; state: { tags: Record<string, string>; tags_all: Record<string, string> }; live: Record<string, string> } {
  const { tags, tagsAll } = tagsFor(name);
  return { hcl: hclTags(tags).trimEnd(), state: { tags, tags_all: tagsAll }, live: tagsAll };
}

/** A Terraform resource name from a unit suffix (letters, digits, underscores). */
export const label = (prefix: string, suffix: string): string => `${prefix}_${suffix.replace(/[^A-Za-z0-9_]/g, '_')}`;
/** An AWS object name from a unit suffix (letters, digits, dashes). */
export const awsName = (prefix: string, suffix: string): string => `${prefix}-${suffix.replace(/[^A-Za-z0-9-]/g, '-')}`.toLowerCase();
