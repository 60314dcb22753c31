// EKS access entries: an IAM principal's entry into a cluster whose authentication mode includes
// the EKS API (API or API_AND_CONFIG_MAP); create, describe, list, delete and UpdateAccessEntry
// (Kubernetes groups and user name). EC2/Fargate entries carry neither groups nor a user name.
import type { CallContext } from '../../context';
import { uuid } from '../../ids';
import type { RestJsonRequest, RestJsonResult } from '../../protocol/rest-json';
import { body, checkTags, eksNotFound, epochSeconds, findCluster, inUse, invalidParameter, invalidRequest, page, type EksAccessEntry, type EksCluster } from './model';

const TYPES = new Set(['STANDARD', 'FARGATE_LINUX', 'EC2_LINUX', 'EC2_WINDOWS']);
const PRINCIPAL = /^arn:aws[\w-]*:iam::(\d{12}):(role|user)\/(?:.+\/)?([^/]+)$/;

function requireApiMode(c: EksCluster): void {
  if (c.authenticationMode === 'CONFIG_MAP') {
    throw invalidRequest("The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.");
  }
}

function checkGroups(groups: string[] | undefined): string[] | undefined {
  for (const g of groups ?? []) if (g.startsWith('system:')) throw invalidParameter(`The kubernetes group name ${g} is invalid, it cannot start with system:`);
  return groups;
}

function checkUsername(name: string | undefined): string | undefined {
  if (name !== undefined && (name === '' || name.startsWith('system:'))) throw invalidParameter(`The username ${name} is invalid: it must not be empty or start with system:`);
  return name;
}

export function accessEntryView(c: EksCluster, e: EksAccessEntry): Record<string, unknown> {
  return {
    clusterName: c.name, principalArn: e.principalArn, kubernetesGroups: e.kubernetesGroups, accessEntryArn: e.arn, createdAt: e.createdAt, modifiedAt: e.modifiedAt,
    tags: e.tags, username: e.username, type: e.type,
  };
}

function entryOf(ctx: CallContext, req: RestJsonRequest, action: string): { c: EksCluster; e: EksAccessEntry } {
  const c = findCluster(ctx, req.path.clusterName, action);
  requireApiMode(c);
  const principal = req.path.principalArn!;
  const e = c.accessEntries[principal];
  if (!e) throw eksNotFound(`The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.`);
  ctx.trail.resources.push({ type: 'AWS::EKS::AccessEntry', name: `${c.name}:${principal}`, arn: e.arn });
  return { c, e };
}

function createAccessEntry(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const c = findCluster(ctx, req.path.clusterName, 'eks:CreateAccessEntry');
  requireApiMode(c);
  const principal = body.str(req.body, 'principalArn') ?? '';
  const m = PRINCIPAL.exec(principal);
  // EKS checks the principal exists in IAM (the provider retries this error while IAM propagates).
  const known = Object.values(ctx.world.roles).some((r) => r.arn === principal) || Object.values(ctx.world.users).some((u) => u.arn === principal);
  if (!m || (m[1] === ctx.world.accountId && !known)) throw invalidParameter('The specified principalArn is invalid: invalid principal');
  if (c.accessEntries[principal]) throw inUse(`The specified access entry resource is already in use on this cluster.`);
  const type = body.str(req.body, 'type') ?? 'STANDARD';
  if (!TYPES.has(type)) throw invalidParameter(`The access entry type ${type} is invalid`);
  const groups = checkGroups(body.strings(req.body, 'kubernetesGroups'));
  const given = checkUsername(body.str(req.body, 'username'));
  if (type !== 'STANDARD' && (groups?.length || given !== undefined)) throw invalidParameter(`Kubernetes groups and username are not allowed for access entries of type ${type}`);
  const [, account, kind, name] = m as unknown as [string, string, string, string];
  // EKS's default user names: an assumed-role session of a role, the user ARN itself, or the node names EC2/Fargate entries get.
  const username = given ?? (type === 'STANDARD'
    ? (kind === 'role' ? `arn:aws:sts::${account}:assumed-role/${name}/{{SessionName}}` : principal)
    : type === 'FARGATE_LINUX' ? 'system:node:{{SessionName}}' : 'system:node:{{EC2PrivateDNSName}}');
  const now = epochSeconds(ctx.now);
  const e: EksAccessEntry = {
    principalArn: principal, arn: `arn:aws:eks:${ctx.region}:${ctx.world.accountId}:access-entry/${c.name}/${kind}/${account}/${name}/${uuid()}`,
    kubernetesGroups: groups ?? [], username, type, createdAt: now, modifiedAt: now, tags: checkTags(body.map(req.body, 'tags') ?? {}),
  };
  c.accessEntries[principal] = e;
  ctx.trail.resources.push({ type: 'AWS::EKS::AccessEntry', name: `${c.name}:${principal}`, arn: e.arn });
  return { body: { accessEntry: accessEntryView(c, e) } };
}

function describeAccessEntry(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { c, e } = entryOf(ctx, req, 'eks:DescribeAccessEntry');
  return { body: { accessEntry: accessEntryView(c, e) } };
}

function listAccessEntries(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const c = findCluster(ctx, req.path.clusterName, 'eks:ListAccessEntries');
  requireApiMode(c);
  const p = page(Object.keys(c.accessEntries).sort(), req.query.int('maxResults', invalidParameter), req.query.get('nextToken'));
  return { body: { accessEntries: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) } };
}

function deleteAccessEntry(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { c, e } = entryOf(ctx, req, 'eks:DeleteAccessEntry');
  delete c.accessEntries[e.principalArn];
  return { body: {} };
}

function updateAccessEntry(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { c, e } = entryOf(ctx, req, 'eks:UpdateAccessEntry');
  const groups = checkGroups(body.strings(req.body, 'kubernetesGroups'));
  const username = checkUsername(body.str(req.body, 'username'));
  if (e.type !== 'STANDARD' && (groups?.length || username !== undefined)) throw invalidParameter(`Kubernetes groups and username are not allowed for access entries of type ${e.type}`);
  if (groups !== undefined) e.kubernetesGroups = groups;
  if (username !== undefined) e.username = username;
  e.modifiedAt = epochSeconds(ctx.now);
  return { body: { accessEntry: accessEntryView(c, e) } };
}

export const accessEntryHandlers = { createAccessEntry, describeAccessEntry, listAccessEntries, deleteAccessEntry, updateAccessEntry };
