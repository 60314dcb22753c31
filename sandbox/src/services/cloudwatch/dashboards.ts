// CloudWatch dashboards (JSON 1.0): PutDashboard stores the body as sent (after checking it is a
// JSON object with a `widgets` list), GetDashboard returns it verbatim, ListDashboards pages
// names without bodies, DeleteDashboards deletes all named or, when one is missing, none.
import type { CallContext } from '../../context';
import { json } from '../../protocol/json11';
import { cloudwatchError } from './errors';

export interface Dashboard {
  name: string;
  region: string;
  body: string;
  lastModified: number;
}

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const PAGE = 1000;

const dashboardsOf = (ctx: CallContext): Record<string, Dashboard> => (ctx.world.dashboards ??= {});
const keyOf = (region: string, name: string): string => `${region}/${name}`;
/** Dashboards are global in their ARN: no region. */
const dashboardArn = (ctx: CallContext, name: string): string => `arn:aws:cloudwatch::${ctx.world.accountId}:dashboard/${name}`;

function nameOf(input: Record<string, unknown>): string {
  const name = json.str(input, 'DashboardName');
  if (name === undefined) throw cloudwatchError('InvalidParameterInput', 'The value for field DashboardName must not be null.');
  if (!NAME.test(name)) throw cloudwatchError('InvalidParameterInput', 'The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).');
  return name;
}

function notFound(name: string) {
  return cloudwatchError('ResourceNotFound', `Dashboard ${name} does not exist`, 404, 'DashboardNotFoundError');
}

/** What AWS refuses in a body: text that is not a JSON object, or one without a widgets list. */
function checkBody(body: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw cloudwatchError('InvalidParameterInput', 'The field DashboardBody must be a valid JSON object');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw cloudwatchError('InvalidParameterInput', 'The field DashboardBody must be a valid JSON object');
  const widgets = (doc as Record<string, unknown>).widgets;
  if (!Array.isArray(widgets)) throw cloudwatchError('InvalidParameterInput', 'The dashboard body is invalid, there are 1 validation errors: [ { "dataPath": "", "message": "Should have required property \'widgets\'" } ]');
  for (const [i, w] of widgets.entries()) {
    if (!w || typeof w !== 'object' || typeof (w as Record<string, unknown>).type !== 'string') {
      throw cloudwatchError('InvalidParameterInput', `The dashboard body is invalid, there are 1 validation errors: [ { "dataPath": "/widgets/${i}", "message": "Should have required property 'type'" } ]`);
    }
  }
}

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

export const dashboardOperations: Record<string, Handler> = {
  PutDashboard(ctx, input) {
    const name = nameOf(input);
    const arn = dashboardArn(ctx, name);
    ctx.trail.resources.push({ type: 'AWS::CloudWatch::Dashboard', name, arn });
    ctx.authorize('cloudwatch:PutDashboard', arn);
    const body = json.str(input, 'DashboardBody');
    if (body === undefined) throw cloudwatchError('InvalidParameterInput', 'The value for field DashboardBody must not be null.');
    checkBody(body);
    dashboardsOf(ctx)[keyOf(ctx.region, name)] = { name, region: ctx.region, body, lastModified: ctx.now.getTime() };
    return { DashboardValidationMessages: [] };
  },
  GetDashboard(ctx, input) {
    const name = nameOf(input);
    const arn = dashboardArn(ctx, name);
    ctx.authorize('cloudwatch:GetDashboard', arn);
    const d = dashboardsOf(ctx)[keyOf(ctx.region, name)];
    if (!d) throw notFound(name);
    return { DashboardArn: arn, DashboardBody: d.body, DashboardName: d.name };
  },
  ListDashboards(ctx, input) {
    ctx.authorize('cloudwatch:ListDashboards', '*');
    const prefix = json.str(input, 'DashboardNamePrefix');
    const list = Object.values(dashboardsOf(ctx))
      .filter((d) => d.region === ctx.region && (prefix === undefined || d.name.startsWith(prefix)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const token = json.str(input, 'NextToken');
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > list.length) throw cloudwatchError('InvalidNextToken', 'The service returned an invalid next token.');
    const slice = list.slice(start, start + PAGE);
    const next = start + PAGE < list.length ? Buffer.from(String(start + PAGE)).toString('base64url') : undefined;
    return {
      DashboardEntries: slice.map((d) => ({ DashboardName: d.name, DashboardArn: dashboardArn(ctx, d.name), LastModified: d.lastModified / 1000, Size: Buffer.byteLength(d.body) })),
      ...(next ? { NextToken: next } : {}),
    };
  },
  DeleteDashboards(ctx, input) {
    const names = json.strings(input, 'DashboardNames');
    if (!names || names.length === 0) throw cloudwatchError('InvalidParameterInput', 'The value for field DashboardNames must not be null.');
    for (const n of names) ctx.trail.resources.push({ type: 'AWS::CloudWatch::Dashboard', name: n, arn: dashboardArn(ctx, n) });
    ctx.authorize('cloudwatch:DeleteDashboards', names.map((n) => dashboardArn(ctx, n)));
    const all = dashboardsOf(ctx);
    const missing = names.find((n) => !all[keyOf(ctx.region, n)]);
    if (missing !== undefined) throw notFound(missing);
    for (const n of names) delete all[keyOf(ctx.region, n)];
    return {};
  },
};
