// aws_cloudwatch_dashboard ↔ CloudWatch GetDashboard, one call per declared dashboard: the body is
// only in GetDashboard (ListDashboards returns names and sizes), and a dashboard that is gone
// answers DashboardNotFoundError, so a listing first would add a call without saving one.
// dashboard_body compares as JSON (key order and whitespace do not matter, widget order does), as
// the provider's JSON normalisation does; written back with PutDashboard.
import { GetDashboardCommand, PutDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { AwsCallError, describeError } from '../errors';
import { cannotRevert, foundEntry, missingEntry, perTarget, str } from './common';
import { canonicalDocument } from './events-common';
import type { ResourceType } from './resource-type';

function isDashboardNotFound(error: unknown): boolean {
  const f = error instanceof AwsCallError ? error.failure : describeError(error);
  return f.code === 'ResourceNotFound' || f.code === 'DashboardNotFoundError' || f.status === 404;
}

export const awsCloudwatchDashboard: ResourceType = {
  type: 'aws_cloudwatch_dashboard',
  tags: false,
  attributes: [
    { name: 'dashboard_name', compare: 'scalar', forceNew: true },
    { name: 'dashboard_body', compare: 'scalar', normalize: canonicalDocument },
  ],
  notCompared: { dashboard_arn: 'computed by AWS from the account and name' },
  idFromState: (a) => str(a.dashboard_name) ?? str(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:cloudwatch::\d{12}:dashboard\/(.+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'dashboard',

  read(targets, ctx) {
    return perTarget(targets, ctx, async (t) => {
      try {
        const out = await ctx.clients.gate.call('cloudwatch:GetDashboard', () => ctx.clients.cloudwatch.send(new GetDashboardCommand({ DashboardName: t.id })));
        return foundEntry(t, 'aws_cloudwatch_dashboard', ctx, { dashboard_name: out.DashboardName ?? t.id, dashboard_body: out.DashboardBody ?? '' }, { arn: out.DashboardArn });
      } catch (error) {
        // The gate wraps failures; a dashboard that is gone is proven missing, anything else stays unknown (perTarget).
        if (isDashboardNotFound(error)) return missingEntry(ctx, t.id, `dashboard ${t.id} does not exist`);
        throw error;
      }
    });
  },

  async revert(request, clients) {
    if (request.attribute !== 'dashboard_body') return cannotRevert(request.attribute);
    const d = request.declared;
    const body = typeof d === 'string' ? d : d && typeof d === 'object' ? JSON.stringify(d) : undefined;
    if (body === undefined) return { ok: false, message: 'declared dashboard_body is not a JSON document' };
    await clients.gate.call('cloudwatch:PutDashboard', () => clients.cloudwatch.send(new PutDashboardCommand({ DashboardName: request.id, DashboardBody: body })));
    return { ok: true, message: 'dashboard body restored' };
  },
};
