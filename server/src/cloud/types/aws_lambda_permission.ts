// aws_lambda_permission ↔ one statement of a function's resource-based policy, read through one
// GetPolicy per function (and qualifier) however many permissions it has. The provider reads the
// statement back into its arguments: the principal (an account root ARN as the account id), and
// the conditions AddPermission derived from source_arn, source_account, event_source_token,
// principal_org_id and function_url_auth_type. Every argument forces a new permission (Lambda
// has no call that edits a statement), so a drift is reported and left to terraform apply; a
// statement removed by hand reads as missing.
//
// The read id is `function[:qualifier]:statement_id` (a statement id has no colon), so CloudTrail
// lookups name the function; the import id is Terraform's `function[:qualifier]/statement_id`.
import { member } from '../families/family';
import { functionRef, lambdaPolicyFamily, type PolicyStatement } from '../families/lambda';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import { functionNameOf } from './lambda-common';
import type { ResourceType } from './resource-type';

interface PermissionId {
  fn: string;
  qualifier?: string;
  sid: string;
}

function parseId(id: string): PermissionId | undefined {
  const parts = id.split(':');
  if (parts.length < 2 || parts.length > 3) return undefined;
  return parts.length === 3 ? { fn: parts[0]!, qualifier: parts[1]!, sid: parts[2]! } : { fn: parts[0]!, sid: parts[1]! };
}

const policyKey = (p: PermissionId): string => (p.qualifier ? `${p.fn}:${p.qualifier}` : p.fn);

/** The principal as the provider records it: a service, `*`, an account id for an account root, or an ARN. */
function principalOf(p: PolicyStatement['Principal']): string | null {
  if (typeof p === 'string') return p;
  const v = p?.Service ?? p?.AWS;
  const one = Array.isArray(v) ? v[0] : v;
  if (!one) return null;
  return /^arn:aws[a-zA-Z-]*:iam::(\d{12}):root$/.exec(one)?.[1] ?? one;
}

function condition(s: PolicyStatement, op: string, key: string): string | null {
  const block = s.Condition?.[op];
  if (!block) return null;
  const found = Object.entries(block).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  return (Array.isArray(found) ? found[0] : found) ?? null;
}

/** A function given by name or ARN in the configuration equals its name live. */
const functionName = (v: unknown): unknown => (typeof v === 'string' ? functionRef(v).name : v);

export const awsLambdaPermission: ResourceType = {
  type: 'aws_lambda_permission',
  tags: false,
  attributes: [
    { name: 'statement_id', compare: 'scalar', forceNew: true },
    { name: 'function_name', compare: 'scalar', forceNew: true, normalize: (v) => functionName(v) as typeof v },
    { name: 'qualifier', compare: 'scalar', forceNew: true },
    { name: 'action', compare: 'scalar', forceNew: true, severity: 'warning' },
    { name: 'principal', compare: 'scalar', forceNew: true, severity: 'warning' },
    { name: 'source_arn', compare: 'scalar', forceNew: true, severity: 'warning' },
    { name: 'source_account', compare: 'scalar', forceNew: true, severity: 'warning' },
    { name: 'event_source_token', compare: 'scalar', forceNew: true },
    { name: 'principal_org_id', compare: 'scalar', forceNew: true, severity: 'warning' },
    { name: 'function_url_auth_type', compare: 'scalar', forceNew: true },
  ],
  notCompared: {
    statement_id_prefix: 'a Terraform-side naming input; the statement id it produced is compared',
  },
  revertUnsupported: 'Lambda cannot edit a policy statement: every argument forces a new permission (terraform apply)',
  idFromState: (a) => {
    const fn = functionNameOf(a);
    const sid = str(a.statement_id) ?? str(a.id);
    if (!fn || !sid) return undefined;
    const qualifier = str(a.qualifier) ?? functionRef(str(a.function_name) ?? '').qualifier;
    return qualifier ? `${fn}:${qualifier}:${sid}` : `${fn}:${sid}`;
  },
  importId: (live) => {
    const p = parseId(live.id);
    return p ? `${policyKey(p)}/${p.sid}` : live.id;
  },
  suggestName: (live) => (parseId(live.id)?.sid ?? 'permission').replace(/[^A-Za-z0-9_]/g, '_'),

  family: member<PolicyStatement>(lambdaPolicyFamily, {
    keys(t) {
      const p = parseId(t.id);
      return p ? [{ filter: 'policy', value: policyKey(p) }] : 'the state records no function_name and statement_id';
    },
    pick(t, rows, ctx) {
      const p = parseId(t.id)!;
      const found = rows.lookup({ filter: 'policy', value: policyKey(p) });
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const s = found.items.find((x) => x.Sid === p.sid);
      if (!s) return missingEntry(ctx, t.id, `statement ${p.sid} is not in the resource policy of ${policyKey(p)}`);
      return foundEntry(t, 'aws_lambda_permission', ctx, {
        statement_id: p.sid,
        function_name: p.fn,
        qualifier: p.qualifier ?? '',
        action: Array.isArray(s.Action) ? s.Action[0] ?? null : s.Action ?? null,
        principal: principalOf(s.Principal),
        source_arn: condition(s, 'ArnLike', 'AWS:SourceArn'),
        source_account: condition(s, 'StringEquals', 'AWS:SourceAccount'),
        event_source_token: condition(s, 'StringEquals', 'lambda:EventSourceToken'),
        principal_org_id: condition(s, 'StringEquals', 'aws:PrincipalOrgID'),
        function_url_auth_type: condition(s, 'StringEquals', 'lambda:FunctionUrlAuthType'),
      });
    },
  }),

  async revert(request) {
    return cannotRevert(request.attribute, 'Lambda cannot edit a policy statement, so Terraform replaces the permission');
  },
};
