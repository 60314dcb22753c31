// Function aliases: a name pointing at a published version, optionally shifting a share of traffic
// to a second version (RoutingConfig.AdditionalVersionWeights).
import type { CallContext } from '../../context';
import type { RestJsonRequest, RestJsonResult } from '../../protocol/rest-json';
import { body, checkRevision, conflict, constraint, findFunction, invalidParameter, lambdaNotFound, revisionId, type LambdaAlias, type LambdaFunction } from './model';

const ALIAS_NAME = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;

function checkVersion(fn: LambdaFunction, version: string | undefined): string {
  if (!version) throw constraint('functionVersion', version, 'Member must not be null');
  if (version !== '$LATEST' && !fn.versions.some((v) => v.version === version)) {
    throw lambdaNotFound(`Function not found: ${fn.name}:${version}`);
  }
  return version;
}

function routingOf(fn: LambdaFunction, primary: string, input: Record<string, unknown>): Record<string, number> | undefined {
  const config = body.obj(input, 'RoutingConfig');
  if (!config) return undefined;
  const weights = body.obj(config, 'AdditionalVersionWeights') ?? {};
  const entries = Object.entries(weights);
  if (entries.length > 1) throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  for (const [version, weight] of entries) {
    if (typeof weight !== 'number' || weight < 0 || weight > 1) throw constraint('routingConfig.additionalVersionWeights', weight, 'Member must have value between 0.0 and 1.0');
    checkVersion(fn, version);
    if (version === primary) throw invalidParameter('Routing to the alias\'s own version is not allowed in AdditionalVersionWeights.');
    if (version === '$LATEST') throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
  }
  return entries.length ? Object.fromEntries(entries) as Record<string, number> : undefined;
}

export function aliasView(arn: string, a: LambdaAlias): Record<string, unknown> {
  return {
    AliasArn: `${arn}:${a.name}`, Name: a.name, FunctionVersion: a.functionVersion, Description: a.description, RevisionId: a.revisionId,
    ...(a.routing ? { RoutingConfig: { AdditionalVersionWeights: a.routing } } : {}),
  };
}

function createAlias(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = findFunction(ctx, req.path.FunctionName);
  const name = body.str(req.body, 'Name');
  if (!name) throw constraint('name', name, 'Member must not be null');
  if (!ALIAS_NAME.test(name) || name.length > 128) throw constraint('name', name, 'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)');
  ctx.authorize('lambda:CreateAlias', `${arn}:${name}`);
  if (fn.aliases[name]) throw conflict(`Alias already exists: ${arn}:${name}`);
  const version = checkVersion(fn, body.str(req.body, 'FunctionVersion'));
  const alias: LambdaAlias = { name, functionVersion: version, description: body.str(req.body, 'Description') ?? '', routing: routingOf(fn, version, req.body), revisionId: revisionId() };
  fn.aliases[name] = alias;
  ctx.trail.resources.push({ type: 'AWS::Lambda::Function', name: fn.name, arn });
  return { body: aliasView(arn, alias) };
}

function aliasOf(ctx: CallContext, req: RestJsonRequest, action: string): { fn: LambdaFunction; arn: string; alias: LambdaAlias } {
  const { fn, arn } = findFunction(ctx, req.path.FunctionName);
  const name = req.path.Name!;
  ctx.authorize(action, `${arn}:${name}`);
  const alias = fn.aliases[name];
  if (!alias) throw lambdaNotFound(`Alias not found: ${arn}:${name}`);
  return { fn, arn, alias };
}

function getAlias(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { arn, alias } = aliasOf(ctx, req, 'lambda:GetAlias');
  return { body: aliasView(arn, alias) };
}

function updateAlias(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn, alias } = aliasOf(ctx, req, 'lambda:UpdateAlias');
  checkRevision(body.str(req.body, 'RevisionId'), alias.revisionId);
  const version = req.body.FunctionVersion === undefined ? alias.functionVersion : checkVersion(fn, body.str(req.body, 'FunctionVersion'));
  const description = body.str(req.body, 'Description');
  const routing = req.body.RoutingConfig === undefined ? alias.routing : routingOf(fn, version, req.body);
  Object.assign(alias, { functionVersion: version, description: description ?? alias.description, routing, revisionId: revisionId() });
  ctx.trail.resources.push({ type: 'AWS::Lambda::Function', name: fn.name, arn });
  return { body: aliasView(arn, alias) };
}

function deleteAlias(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = findFunction(ctx, req.path.FunctionName);
  const name = req.path.Name!;
  ctx.authorize('lambda:DeleteAlias', `${arn}:${name}`);
  // Deleting an alias that does not exist succeeds, as on AWS.
  delete fn.aliases[name];
  delete fn.policies[name];
  delete fn.urls[name];
  delete fn.invokeConfigs[name];
  ctx.trail.resources.push({ type: 'AWS::Lambda::Function', name: fn.name, arn });
  return {};
}

function listAliases(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = findFunction(ctx, req.path.FunctionName);
  ctx.authorize('lambda:ListAliases', arn);
  const version = req.query.get('FunctionVersion');
  const all = Object.values(fn.aliases).filter((a) => !version || a.functionVersion === version).sort((a, b) => a.name.localeCompare(b.name));
  return { body: { Aliases: all.map((a) => aliasView(arn, a)) } };
}

export const aliasHandlers = { createAlias, getAlias, updateAlias, deleteAlias, listAliases };
