// The `watch:` section of `.tidemark/config.yaml`: what a team broker follows by itself. Every
// broker process on the same database reads the same section; one of them leads the watch.
//
//   watch:
//     root: infra/prod            # Terraform root module (default: the broker's workspace folder)
//     region: eu-west-1           # default: the root's provider / AWS environment
//     queues: [https://sqs.eu-west-1.amazonaws.com/123456789012/tidemark-events]
//     interval: 30s               # LookupEvents polls when there is no queue
//     sweep: 15m                  # the slow LookupEvents sweep (behind the queues)
//     budget: 20                  # API calls one poll may make
//     webhooks:
//       - { url: https://hooks.example.com/tidemark, format: json, secretEnv: TIDEMARK_WEBHOOK_SECRET }
//
// Several roots (instead of root/region): each queue event goes to the roots whose account and
// regions it comes from; account and regions default to what the root's credentials and providers
// say (found when the watch starts).
//     roots:
//       - { root: infra/prod, account: "123456789012", regions: [eu-west-1, us-east-1] }
//       - { root: infra/staging }
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { parseDuration } from '../access/duration';
import { WEBHOOK_FORMATS, type WebhookFormat } from '../alerts/format';
import { parseYamlWithPositions } from '../yaml-positions';
import { parseQueueUrl } from './queue-events';

export interface TeamWebhook {
  url: string;
  format: WebhookFormat;
  /** Environment variable holding the HMAC key (unsigned when unset). */
  secretEnv?: string;
}

/** One root module a team watch follows, and where its changes come from. */
export interface WatchRootConfig {
  /** Absolute path of the Terraform root module. */
  root: string;
  /** Default read region (the single-root form's `region`). */
  region?: string;
  /** AWS account whose events belong to this root; undefined: the account its credentials are for. */
  account?: string;
  /** Regions whose events belong to this root; undefined: the regions its providers read. */
  regions?: string[];
}

export interface TeamWatchConfig {
  /** Absolute path of the (first) Terraform root module. */
  root: string;
  region?: string;
  /** Every root followed: one for the single-root form (root/region), else the `roots:` list. */
  roots: WatchRootConfig[];
  /** Written as `roots:`: events are routed by account and region, the rest counted and ignored. */
  routed: boolean;
  queues: string[];
  intervalMs: number;
  sweepMs: number;
  budget: number;
  webhooks: TeamWebhook[];
}

export class TeamWatchConfigError extends Error {}

const KEYS = ['root', 'region', 'roots', 'queues', 'interval', 'sweep', 'budget', 'webhooks'];
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The section, or undefined when the file has none (the broker then watches nothing). */
export function parseTeamWatchConfig(text: string, file: string, workspace: string): TeamWatchConfig | undefined {
  const { doc, at } = parseYamlWithPositions(text, file, (message) => new TeamWatchConfigError(message));
  const top = doc.contents;
  if (!isMap(top)) return undefined;
  const section = top.get('watch', true);
  if (section === undefined || (isScalar(section) && section.value === null)) return undefined;
  const fail = (node: unknown, message: string) => new TeamWatchConfigError(`${at(node)}: ${message}`);
  if (!isMap(section)) throw fail(section, 'watch must be a mapping (root, region, roots, queues, interval, sweep, budget, webhooks)');
  for (const pair of section.items) {
    const key = String((pair.key as { value?: unknown }).value);
    if (!KEYS.includes(key)) throw fail(pair.key, `watch.${key} is not a setting (expected ${KEYS.join(', ')})`);
  }
  const scalar = (map: YAMLMap, key: string, field: string): { value: string; node: Node } | undefined => {
    const node = map.get(key, true) as Node | undefined;
    if (node === undefined) return undefined;
    const value = isScalar(node) ? node.value : undefined;
    if ((typeof value !== 'string' && typeof value !== 'number') || String(value) === '') throw fail(node, `${field} must be a non-empty string`);
    return { value: String(value), node };
  };
  const duration = (key: string, fallback: number): number => {
    const raw = scalar(section, key, `watch.${key}`);
    if (!raw) return fallback;
    const seconds = parseDuration(raw.value);
    if (seconds === undefined || seconds < 1) throw fail(raw.node, `watch.${key} '${raw.value}' is not a duration like 30s or 15m`);
    return seconds * 1000;
  };

  const queuesNode = section.get('queues', true);
  if (queuesNode !== undefined && !isSeq(queuesNode)) throw fail(queuesNode, 'watch.queues must be a list of SQS queue URLs');
  const queues = (isSeq(queuesNode) ? queuesNode.items : []).map((item, i) => {
    const url = isScalar(item) && typeof item.value === 'string' ? item.value : undefined;
    const parsed = url === undefined ? 'expected a string' : parseQueueUrl(url);
    if (typeof parsed === 'string') throw fail(item, `watch.queues[${i}]: ${parsed}`);
    return url!;
  });

  const budgetRaw = scalar(section, 'budget', 'watch.budget');
  if (budgetRaw && (!/^\d+$/.test(budgetRaw.value) || Number(budgetRaw.value) < 1)) throw fail(budgetRaw.node, `watch.budget must be a whole number of at least 1, not '${budgetRaw.value}'`);

  const hooksNode = section.get('webhooks', true);
  if (hooksNode !== undefined && !isSeq(hooksNode)) throw fail(hooksNode, 'watch.webhooks must be a list of {url, format, secretEnv}');
  const webhooks = (isSeq(hooksNode) ? hooksNode.items : []).map((item, i): TeamWebhook => {
    const field = `watch.webhooks[${i}]`;
    if (!isMap(item)) throw fail(item, `${field} must be a mapping with url (and format, secretEnv)`);
    for (const pair of item.items) {
      const key = String((pair.key as { value?: unknown }).value);
      if (!['url', 'format', 'secretEnv'].includes(key)) throw fail(pair.key, `${field}.${key} is not a webhook field (expected url, format, secretEnv)`);
    }
    const url = scalar(item, 'url', `${field}.url`);
    if (!url) throw fail(item, `${field} is missing 'url'`);
    if (!/^https?:\/\//.test(url.value)) throw fail(url.node, `${field}.url must be an http(s) URL, not '${url.value}'`);
    const format = scalar(item, 'format', `${field}.format`);
    if (format && !WEBHOOK_FORMATS.includes(format.value as WebhookFormat)) throw fail(format.node, `${field}.format must be one of ${WEBHOOK_FORMATS.join(', ')}`);
    return { url: url.value, format: (format?.value ?? 'json') as WebhookFormat, secretEnv: scalar(item, 'secretEnv', `${field}.secretEnv`)?.value };
  });

  const rootsNode = section.get('roots', true);
  let roots: WatchRootConfig[] | undefined;
  if (rootsNode !== undefined) {
    for (const key of ['root', 'region']) {
      const node = section.get(key, true);
      if (node !== undefined) throw fail(node, `watch.${key} and watch.roots exclude each other: name every root under roots`);
    }
    if (!isSeq(rootsNode) || !rootsNode.items.length) throw fail(rootsNode, 'watch.roots must be a list of {root, account, regions}');
    const seen = new Set<string>();
    roots = rootsNode.items.map((item, i): WatchRootConfig => {
      const field = `watch.roots[${i}]`;
      if (!isMap(item)) throw fail(item, `${field} must be a mapping with root (and account, regions)`);
      for (const pair of item.items) {
        const key = String((pair.key as { value?: unknown }).value);
        if (!['root', 'account', 'regions'].includes(key)) throw fail(pair.key, `${field}.${key} is not a root field (expected root, account, regions)`);
      }
      const root = scalar(item, 'root', `${field}.root`);
      if (!root) throw fail(item, `${field} is missing 'root'`);
      const absolute = path.resolve(workspace, root.value);
      if (seen.has(absolute)) throw fail(root.node, `${field}.root '${root.value}' is listed twice`);
      seen.add(absolute);
      const account = scalar(item, 'account', `${field}.account`);
      // YAML reads 012345678901 as a number and drops the zero: account ids are quoted.
      if (account && !ACCOUNT.test(account.value)) throw fail(account.node, `${field}.account must be a 12-digit AWS account id in quotes, not '${account.value}'`);
      const regionsNode = item.get('regions', true);
      let regions: string[] | undefined;
      if (regionsNode !== undefined) {
        if (!isSeq(regionsNode) || !regionsNode.items.length) throw fail(regionsNode, `${field}.regions must be a list of AWS regions, like [eu-west-1]`);
        regions = regionsNode.items.map((r, j) => {
          const value = isScalar(r) && typeof r.value === 'string' ? r.value : undefined;
          if (!value || !REGION.test(value)) throw fail(r, `${field}.regions[${j}] must be an AWS region like eu-west-1`);
          return value;
        });
      }
      return { root: absolute, account: account?.value, regions, region: regions?.[0] };
    });
  }
  const root = scalar(section, 'root', 'watch.root');
  const single: WatchRootConfig = { root: path.resolve(workspace, root?.value ?? '.'), region: scalar(section, 'region', 'watch.region')?.value };
  return {
    root: roots ? roots[0]!.root : single.root,
    region: roots ? roots[0]!.region : single.region,
    roots: roots ?? [single],
    routed: roots !== undefined,
    queues,
    intervalMs: duration('interval', 30_000),
    sweepMs: duration('sweep', 15 * 60_000),
    budget: budgetRaw ? Number(budgetRaw.value) : 20,
    webhooks,
  };
}

/** Reads the config file; a missing file means no watch. */
export function loadTeamWatchConfig(file: string, workspace: string): TeamWatchConfig | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TeamWatchConfigError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseTeamWatchConfig(text, file, workspace);
}
