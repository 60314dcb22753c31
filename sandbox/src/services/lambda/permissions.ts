// A function's resource-based policy: AddPermission writes one statement (principal, action and
// the conditions AWS derives from SourceArn, SourceAccount, EventSourceToken, PrincipalOrgID and
// FunctionUrlAuthType), RemovePermission deletes one, GetPolicy returns the whole document of the
// function or of one qualifier.
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import type { RestJsonRequest, RestJsonResult } from '../../protocol/rest-json';
import {
  body, checkQualifier, checkRevision, conflict, constraint, findFunction, invalidParameter, lambdaNotFound, qualifiedArn, revisionId, type PolicyStatement,
} from './model';

const MAX_POLICY_BYTES = 20_480;
const SID = /^([a-zA-Z0-9-_.]+)$/;

/** `123456789012` → the account root; a service name stays a service; `*` stays `*`. */
function principalOf(given: string): PolicyStatement['Principal'] {
  if (given === '*') return '*';
  if (/^\d{12}$/.test(given)) return { AWS: `arn:aws:iam::${given}:root` };
  if (given.startsWith('arn:')) return { AWS: given };
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(given)) return { Service: given };
  throw invalidParameter(`The provided principal was invalid. Please check the principal and try again.`);
}

function addPermission(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, qualifier, arn } = findFunction(ctx, req.path.FunctionName, req.query.get('Qualifier'));
  checkQualifier(fn, arn, qualifier);
  const resource = qualifiedArn(arn, qualifier);
  ctx.authorize('lambda:AddPermission', resource);
  checkRevision(body.str(req.body, 'RevisionId'), fn.revisionId);
  const sid = body.str(req.body, 'StatementId');
  const action = body.str(req.body, 'Action');
  const principal = body.str(req.body, 'Principal');
  if (!sid) throw constraint('statementId', sid, 'Member must not be null');
  if (!SID.test(sid) || sid.length > 100) throw constraint('statementId', sid, 'Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)');
  if (!action) throw constraint('action', action, 'Member must not be null');
  if (!/^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/.test(action)) throw constraint('action', action, 'Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])');
  if (!principal) throw constraint('principal', principal, 'Member must not be null');
  const key = qualifier ?? '';
  const statements = (fn.policies[key] ??= []);
  if (statements.some((s) => s.Sid === sid)) throw conflict(`The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
  const condition: Record<string, Record<string, string>> = {};
  const add = (op: string, k: string, v: string | undefined): void => {
    if (v !== undefined) (condition[op] ??= {})[k] = v;
  };
  add('ArnLike', 'AWS:SourceArn', body.str(req.body, 'SourceArn'));
  add('StringEquals', 'AWS:SourceAccount', body.str(req.body, 'SourceAccount'));
  add('StringEquals', 'lambda:EventSourceToken', body.str(req.body, 'EventSourceToken'));
  add('StringEquals', 'aws:PrincipalOrgID', body.str(req.body, 'PrincipalOrgID'));
  const urlAuth = body.str(req.body, 'FunctionUrlAuthType');
  if (urlAuth !== undefined && urlAuth !== 'NONE' && urlAuth !== 'AWS_IAM') throw constraint('functionUrlAuthType', urlAuth, 'Member must satisfy enum value set: [NONE, AWS_IAM]');
  add('StringEquals', 'lambda:FunctionUrlAuthType', urlAuth);
  const statement: PolicyStatement = {
    Sid: sid, Effect: 'Allow', Principal: principalOf(principal), Action: action, Resource: resource,
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
  if (JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: [...statements, statement] }).length > MAX_POLICY_BYTES) {
    throw new ApiError('PolicyLengthExceededException', 'The final policy size (bigger than the limit of 20480 bytes) is bigger than the limit.', 400);
  }
  statements.push(statement);
  fn.revisionId = revisionId();
  ctx.trail.resources.push({ type: 'AWS::Lambda::Function', name: fn.name, arn });
  return { body: { Statement: JSON.stringify(statement) } };
}

function removePermission(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, qualifier, arn } = findFunction(ctx, req.path.FunctionName, req.query.get('Qualifier'));
  checkQualifier(fn, arn, qualifier);
  ctx.authorize('lambda:RemovePermission', qualifiedArn(arn, qualifier));
  checkRevision(req.query.get('RevisionId'), fn.revisionId);
  const key = qualifier ?? '';
  const statements = fn.policies[key] ?? [];
  const sid = req.path.StatementId!;
  if (!statements.some((s) => s.Sid === sid)) throw lambdaNotFound(`Statement ${sid} is not found in resource policy.`);
  fn.policies[key] = statements.filter((s) => s.Sid !== sid);
  if (fn.policies[key]!.length === 0) delete fn.policies[key];
  fn.revisionId = revisionId();
  ctx.trail.resources.push({ type: 'AWS::Lambda::Function', name: fn.name, arn });
  return {};
}

function getPolicy(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, qualifier, arn } = findFunction(ctx, req.path.FunctionName, req.query.get('Qualifier'));
  checkQualifier(fn, arn, qualifier);
  ctx.authorize('lambda:GetPolicy', qualifiedArn(arn, qualifier));
  const statements = fn.policies[qualifier ?? ''];
  if (!statements?.length) throw lambdaNotFound('The resource you requested does not exist.');
  return { body: { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements }), RevisionId: fn.revisionId } };
}

export const permissionHandlers = { addPermission, removePermission, getPolicy };
