// The Lambda read families. Functions: one ListFunctions listing of the region (50 configurations
// a page, environment included) serves every aws_lambda_function; tags come from the Tagging API's
// by-ARN read (ListTags only for functions it did not return), reserved concurrency from one
// GetFunctionConcurrency and the image URI from one GetFunction per function that declares them
// (Lambda has no batch read of either).
// Per function, one call serves every sub-resource of it: GetPolicy (all permissions),
// ListAliases, ListFunctionUrlConfigs, ListFunctionEventInvokeConfigs. Event source mappings: one
// ListEventSourceMappings listing of the region (100 a page).
import {
  FunctionConfiguration, GetFunctionCommand, GetFunctionConcurrencyCommand, GetPolicyCommand, ListAliasesCommand, ListEventSourceMappingsCommand, ListFunctionEventInvokeConfigsCommand,
  ListFunctionsCommand, ListFunctionUrlConfigsCommand, ListTagsCommand, type AliasConfiguration, type EventSourceMappingConfiguration,
  type FunctionEventInvokeConfig, type FunctionUrlConfig,
} from '@aws-sdk/client-lambda';
import { AwsCallError, describeError } from '../errors';
import { failureText, listAllPages } from '../types/common';
import type { ReadContext } from '../types/resource-type';
import type { FamilyKey, FamilyLookup, FamilyRows, ReadFamily } from './family';

/** Lambda answers a function (or policy, alias, URL) that does not exist with ResourceNotFoundException. */
export function isLambdaNotFound(error: unknown): boolean {
  const f = error instanceof AwsCallError ? error.failure : describeError(error);
  return f.code === 'ResourceNotFoundException';
}

/** `name`, `name:qualifier` or an ARN (qualified or not) → the function's name and qualifier. */
export function functionRef(given: string): { name: string; qualifier?: string } {
  const m = /^(?:arn:[^:]+:lambda:[^:]+:\d{12}:function:|\d{12}:function:)?([^:]+)(?::([^:]+))?$/.exec(given);
  return m ? { name: m[1]!, ...(m[2] ? { qualifier: m[2] } : {}) } : { name: given };
}

export interface FunctionRead {
  config: FunctionConfiguration;
  /** Only read for `tags` keys. */
  tags?: Record<string, string>;
  /** Only read for `concurrency` keys: undefined = unreserved. */
  reservedConcurrency?: number | null;
  /** Only read for `code` keys (GetFunction): the container image, null for a zip package. */
  imageUri?: string | null;
}

/** Key kinds of the function family; the value is the function name. */
export const FUNCTION_KEY = 'function';
export const FUNCTION_TAGS_KEY = 'tags';
export const FUNCTION_CONCURRENCY_KEY = 'concurrency';
export const FUNCTION_CODE_KEY = 'code';

export const lambdaFunctionFamily: ReadFamily<FunctionRead> = {
  name: 'lambda:ListFunctions',
  async load(keys, ctx) {
    const lambda = ctx.clients.lambda;
    const byName = new Map<string, FunctionConfiguration>();
    const failure = await listAllPages(
      ctx, 'lambda:ListFunctions',
      (Marker) => lambda.send(new ListFunctionsCommand({ Marker, MaxItems: 50 })),
      (page) => {
        for (const f of page.Functions ?? []) if (f.FunctionName) byName.set(f.FunctionName, f);
        return page.NextMarker;
      },
    );
    const extras = new Map<string, FamilyLookup<FunctionRead>>();
    if (!failure) {
      const names = [...new Set(keys.map((k) => k.value))];
      const wants = (filter: string, name: string) => keys.some((k) => k.filter === filter && k.value === name);
      await Promise.all(names.map(async (name) => {
        const config = byName.get(name);
        if (!config) return;
        try {
          const read: FunctionRead = { config };
          if (wants(FUNCTION_TAGS_KEY, name)) read.tags = await tagsOf(config, ctx);
          if (wants(FUNCTION_CONCURRENCY_KEY, name)) {
            const out = await ctx.clients.gate.call('lambda:GetFunctionConcurrency', () => lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name })));
            read.reservedConcurrency = out.ReservedConcurrentExecutions ?? null;
          }
          if (wants(FUNCTION_CODE_KEY, name)) {
            const out = await ctx.clients.gate.call('lambda:GetFunction', () => lambda.send(new GetFunctionCommand({ FunctionName: name })));
            read.imageUri = out.Code?.ImageUri ?? null;
          }
          extras.set(name, { items: [read] });
        } catch (error) {
          extras.set(name, isLambdaNotFound(error) ? { items: [] } : { failure: failureText(error) });
        }
      }));
    }
    return {
      lookup(key: FamilyKey) {
        if (failure) return { failure };
        return extras.get(key.value) ?? { items: [] };
      },
    };
  },
};

async function tagsOf(config: FunctionConfiguration, ctx: ReadContext): Promise<Record<string, string>> {
  const arn = config.FunctionArn!;
  const fromTagging = ctx.tagsByArn.get(arn);
  if (fromTagging) return fromTagging;
  const out = await ctx.clients.gate.call('lambda:ListTags', () => ctx.clients.lambda.send(new ListTagsCommand({ Resource: arn })));
  return Object.fromEntries(Object.entries(out.Tags ?? {}).filter(([k]) => !k.startsWith('aws:')));
}

/**
 * A family of one call per function serving every sub-resource of it; the key value is
 * `function` (the listing covers all qualifiers) or `function:qualifier` where the call is per
 * qualifier (GetPolicy).
 */
function perFunctionFamily<Item>(name: string, read: (value: string, ctx: ReadContext) => Promise<Item[]>): ReadFamily<Item> {
  return {
    name,
    async load(keys, ctx) {
      const values = [...new Set(keys.map((k) => k.value))];
      const results = new Map<string, FamilyLookup<Item>>(await Promise.all(values.map(async (value) => {
        try {
          return [value, { items: await read(value, ctx) }] as const;
        } catch (error) {
          return [value, isLambdaNotFound(error) ? { items: [] } : { failure: failureText(error) }] as const;
        }
      })));
      return { lookup: (key: FamilyKey) => results.get(key.value) ?? { failure: `${name} was not planned for ${key.value}` } } satisfies FamilyRows<Item>;
    },
  };
}

/** One statement of a function's resource-based policy. */
export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: string | Record<string, string | string[]>;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Key value `function` or `function:qualifier`: the statements of that policy (none when it has no policy). */
export const lambdaPolicyFamily = perFunctionFamily<PolicyStatement>('lambda:GetPolicy', async (value, ctx) => {
  const { name, qualifier } = functionRef(value);
  const out = await ctx.clients.gate.call('lambda:GetPolicy', () => ctx.clients.lambda.send(new GetPolicyCommand({ FunctionName: name, Qualifier: qualifier })));
  const doc = JSON.parse(out.Policy ?? '{}') as { Statement?: PolicyStatement[] | PolicyStatement };
  return Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
});

/** Every page of a per-function listing; a failure (e.g. the function is gone) propagates to the family. */
async function allPages<P, T>(ctx: ReadContext, operation: string, call: (marker: string | undefined) => Promise<P>, items: (page: P) => T[] | undefined, next: (page: P) => string | undefined): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.clients.gate.call(operation, () => call(marker));
    out.push(...(items(page) ?? []));
    marker = next(page);
  } while (marker);
  return out;
}

export const lambdaAliasFamily = perFunctionFamily<AliasConfiguration>('lambda:ListAliases', (name, ctx) =>
  allPages(ctx, 'lambda:ListAliases', (Marker) => ctx.clients.lambda.send(new ListAliasesCommand({ FunctionName: name, Marker })), (p) => p.Aliases, (p) => p.NextMarker));

export const lambdaUrlFamily = perFunctionFamily<FunctionUrlConfig>('lambda:ListFunctionUrlConfigs', (name, ctx) =>
  allPages(ctx, 'lambda:ListFunctionUrlConfigs', (Marker) => ctx.clients.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name, Marker })), (p) => p.FunctionUrlConfigs, (p) => p.NextMarker));

export const lambdaInvokeConfigFamily = perFunctionFamily<FunctionEventInvokeConfig>('lambda:ListFunctionEventInvokeConfigs', (name, ctx) =>
  allPages(ctx, 'lambda:ListFunctionEventInvokeConfigs', (Marker) => ctx.clients.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name, Marker })), (p) => p.FunctionEventInvokeConfigs, (p) => p.NextMarker));

/** Key value: the mapping's UUID; one listing of the region serves them all. */
export const lambdaMappingFamily: ReadFamily<EventSourceMappingConfiguration> = {
  name: 'lambda:ListEventSourceMappings',
  async load(_keys, ctx) {
    const byId = new Map<string, EventSourceMappingConfiguration>();
    const failure = await listAllPages(
      ctx, 'lambda:ListEventSourceMappings',
      (Marker) => ctx.clients.lambda.send(new ListEventSourceMappingsCommand({ Marker, MaxItems: 100 })),
      (page) => {
        for (const m of page.EventSourceMappings ?? []) if (m.UUID) byId.set(m.UUID, m);
        return page.NextMarker;
      },
    );
    return {
      lookup(key: FamilyKey) {
        if (failure) return { failure };
        const m = byId.get(key.value);
        return { items: m ? [m] : [] };
      },
    };
  },
};
