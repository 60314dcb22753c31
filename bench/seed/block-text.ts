// Resource block text for the seeders whose blocks nest other blocks (`parameter { ... }`,
// `default_action { ... }`) or refer to other seeded resources, on top of seeder.ts's hclValue.
import { DEFAULT_TAGS, hclValue } from './seeder';

/** A nested block (`name { ... }`) among a resource's arguments. */
export interface NestedBlock { block: string; body: Body }
/** A reference (or other expression) written as is, e.g. `aws_lb.web_1.arn`. */
export interface Expression { expr: string }
export type Body = Array<[string, unknown] | NestedBlock>;

export const ref = (expr: string): Expression => ({ expr });

const isExpression = (v: unknown): v is Expression => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Expression).expr === 'string' && Object.keys(v).length === 1;

function bodyText(body: Body, indent: string): string {
  return body.map((x) => Array.isArray(x)
    ? `${indent}${x[0]} = ${isExpression(x[1]) ? x[1].expr : hclValue(x[1], indent)}\n`
    : `${indent}${x.block} {\n${bodyText(x.body, `${indent}  `)}${indent}}\n`).join('');
}

export function resourceBlock(type: string, name: string, body: Body): string {
  return `resource "${type}" "${name}" {\n${bodyText(body, '  ')}}\n`;
}

/** A taggable resource that declares no tags still gets the provider's default tags. */
export const defaultTagsOnly = (): { tags: Record<string, string>; tagsAll: Record<string, string> } => ({ tags: {}, tagsAll: { ...DEFAULT_TAGS } });

/** Tags as most AWS APIs take them. */
export const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** A name part AWS accepts almost everywhere (lower-case letters, digits and hyphens). */
export const slug = (suffix: string) => suffix.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export const TEAMS = ['web', 'app', 'data', 'platform', 'payments'] as const;
export const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)]!;

/** ⌈n/page⌉, 0 for none. */
export const pages = (n: number | undefined, page: number) => Math.ceil((n ?? 0) / page);
