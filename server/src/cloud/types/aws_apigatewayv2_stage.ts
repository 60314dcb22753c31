// aws_apigatewayv2_stage ↔ API Gateway v2 GetStages: one paged listing per API serves every
// declared stage of it, settings and tags included. Changes AWS makes on its own are not drift:
// with auto_deploy on, AWS deploys the stage itself whenever routes or integrations change, so
// `deployment_id` (Optional+Computed in the provider) is not compared then; the default route
// settings AWS reports for a stage nobody configured (detailed metrics off) equal an undeclared
// block. Revert writes settings back with UpdateStage, tags through TagResource/UntagResource.
import { RouteSettings, Stage, GetStagesCommand, TagResourceCommand, UntagResourceCommand, UpdateStageCommand, UpdateStageRequest } from '@aws-sdk/client-apigatewayv2';
import type { NormalizeContext } from '../../drift/schema';
import type { Known } from '../../drift/values';
import { mapRule, readApiChildren, shapeAtom, stageArn } from './apigatewayv2-common';
import { blocksOf, firstBlock } from './blocks';
import { bool, cannotRevert, num, revertTagMap, str, untagThenTag } from './common';
import type { ResourceType } from './resource-type';

function routeSettingsBlock(s: RouteSettings | undefined, routeKey?: string): Record<string, Known> {
  return {
    ...(routeKey !== undefined ? { route_key: routeKey } : {}),
    data_trace_enabled: s?.DataTraceEnabled ?? false, detailed_metrics_enabled: s?.DetailedMetricsEnabled ?? false, logging_level: s?.LoggingLevel ?? '',
    throttling_burst_limit: s?.ThrottlingBurstLimit ?? 0, throttling_rate_limit: s?.ThrottlingRateLimit ?? 0,
  };
}

function routeSettingsToApi(b: Record<string, Known> | undefined): RouteSettings | undefined {
  if (!b) return undefined;
  return {
    DataTraceEnabled: bool(b.data_trace_enabled ?? false) ?? false, DetailedMetricsEnabled: bool(b.detailed_metrics_enabled ?? false) ?? false,
    ...(str(b.logging_level) ? { LoggingLevel: str(b.logging_level) as RouteSettings['LoggingLevel'] } : {}),
    ...(num(b.throttling_burst_limit ?? null) ? { ThrottlingBurstLimit: num(b.throttling_burst_limit ?? null) } : {}),
    ...(num(b.throttling_rate_limit ?? null) ? { ThrottlingRateLimit: num(b.throttling_rate_limit ?? null) } : {}),
  };
}

/** With auto_deploy on, AWS moves the deployment itself: both sides read the same then. */
function deploymentId(value: Known, ctx: NormalizeContext): Known {
  return ctx.live?.auto_deploy === true ? 'deployed by AWS (auto_deploy)' : value;
}

export const awsApigatewayv2Stage: ResourceType = {
  type: 'aws_apigatewayv2_stage',
  tags: true,
  attributes: [
    { name: 'api_id', compare: 'scalar', forceNew: true },
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'description', compare: 'scalar', default: '' },
    { name: 'auto_deploy', compare: 'scalar', default: false, severity: 'warning' },
    { name: 'client_certificate_id', compare: 'scalar', default: '' },
    // Optional and computed: compared only when declared, and not while auto_deploy moves it.
    { name: 'deployment_id', compare: 'scalar', normalize: deploymentId },
    { name: 'access_log_settings', compare: 'blocks', normalize: shapeAtom, default: [], severity: 'warning' },
    { name: 'default_route_settings', compare: 'blocks', normalize: shapeAtom, default: [] },
    { name: 'route_settings', compare: 'blocks', normalize: (v) => blocksOf(v).map((b) => (shapeAtom(b as Known) as string[])[0] ?? '{}'), default: [] },
    mapRule('stage_variables'),
  ],
  notCompared: { arn: 'computed', execution_arn: 'computed', invoke_url: 'computed by AWS' },
  idFromState: (a) => str(a.id) ?? str(a.name),
  importId: (live) => `${String(live.attributes.api_id ?? '')}/${live.id}`,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'stage',

  read(targets, ctx) {
    return readApiChildren<Stage>('aws_apigatewayv2_stage', 'apigateway:GetStages', targets, ctx, {
      page: async (apiId, token) => {
        const out = await ctx.clients.apigatewayv2.send(new GetStagesCommand({ ApiId: apiId, MaxResults: '500', NextToken: token }));
        return { items: out.Items ?? [], next: out.NextToken };
      },
      idOf: (s) => s.StageName,
      arn: (apiId, s) => stageArn(ctx.clients.region, apiId, s.StageName ?? ''),
      attributes: (s, _t, apiId) => ({
        api_id: apiId, name: s.StageName ?? '', description: s.Description ?? '', auto_deploy: s.AutoDeploy ?? false, client_certificate_id: s.ClientCertificateId ?? '',
        deployment_id: s.DeploymentId ?? '',
        access_log_settings: s.AccessLogSettings ? [{ destination_arn: s.AccessLogSettings.DestinationArn ?? '', format: s.AccessLogSettings.Format ?? '' }] : [],
        // AWS reports default route settings on every stage; all-default ones equal an undeclared block.
        default_route_settings: s.DefaultRouteSettings ? [routeSettingsBlock(s.DefaultRouteSettings)] : [],
        route_settings: Object.entries(s.RouteSettings ?? {}).map(([key, r]) => routeSettingsBlock(r, key)),
        stage_variables: { ...(s.StageVariables ?? {}) }, tags: { ...(s.Tags ?? {}) },
      }),
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id, state } = request;
    const apiId = str(state.attributes.api_id) ?? String(request.live.attributes.api_id ?? '');
    const client = clients.apigatewayv2;
    if (attribute === 'tags') {
      const arn = stageArn(clients.region, apiId, id);
      return revertTagMap(request, untagThenTag(
        (keys) => clients.gate.call('apigateway:UntagResource', () => client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: keys }))),
        (tags) => clients.gate.call('apigateway:TagResource', () => client.send(new TagResourceCommand({ ResourceArn: arn, Tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])) }))),
      ));
    }
    const input: UpdateStageRequest = { ApiId: apiId, StageName: id };
    switch (attribute) {
      case 'description': input.Description = typeof declared === 'string' ? declared : ''; break;
      case 'auto_deploy': input.AutoDeploy = bool(declared) ?? false; break;
      case 'client_certificate_id': input.ClientCertificateId = typeof declared === 'string' ? declared : ''; break;
      case 'deployment_id': input.DeploymentId = str(declared); break;
      case 'access_log_settings': {
        const b = firstBlock(declared);
        if (!b) return cannotRevert(attribute, 'removing access logging needs DeleteAccessLogSettings, which Tidemark does not call');
        input.AccessLogSettings = { DestinationArn: str(b.destination_arn), Format: str(b.format) };
        break;
      }
      case 'default_route_settings': input.DefaultRouteSettings = routeSettingsToApi(firstBlock(declared) ?? {}); break;
      case 'route_settings': {
        const declaredKeys = new Set(blocksOf(declared).map((b) => String(b.route_key ?? '')));
        const extra = ((request.live.attributes.route_settings ?? []) as Array<Record<string, Known>>).filter((r) => !declaredKeys.has(String(r.route_key)));
        if (extra.length) return cannotRevert(attribute, 'removing a route\'s settings needs DeleteRouteSettings, which Tidemark does not call');
        input.RouteSettings = Object.fromEntries(blocksOf(declared).map((b) => [String(b.route_key ?? ''), routeSettingsToApi(b)!]));
        break;
      }
      case 'stage_variables': input.StageVariables = Object.fromEntries(Object.entries((declared ?? {}) as Record<string, Known>).map(([k, v]) => [k, String(v)])); break;
      default:
        return cannotRevert(attribute);
    }
    await clients.gate.call('apigateway:UpdateStage', () => client.send(new UpdateStageCommand(input)));
    return { ok: true, message: `${attribute} written back to stage ${id}` };
  },
};
