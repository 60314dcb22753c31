// API Gateway v2: one unit is an HTTP API with CORS, two proxy integrations with their routes and
// an auto-deployed $default stage with throttling.
import { ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { clientFor, tagsFor, type SeededBlock, type Seeder } from './seeder';
import { pages, pick, ref, resourceBlock, slug, TEAMS } from './block-text';

const RESOURCES = ['items', 'orders', 'users', 'carts', 'search'];

export const apigatewayv2Seeder: Seeder = {
  family: 'apigatewayv2',
  types: ['aws_apigatewayv2_api', 'aws_apigatewayv2_integration', 'aws_apigatewayv2_route', 'aws_apigatewayv2_stage'],
  readActions: ['apigateway:GET'],

  async seedUnit(target, suffix, random) {
    const gw = clientFor(ApiGatewayV2Client, target);
    const s = slug(suffix);
    const team = pick(TEAMS, random);
    const apiName = `bench-${team}-${s}`;
    const origin = `https://${team}.bench.example.com`;
    const tags = tagsFor(apiName, { Team: team });
    const apiId = (await gw.send(new CreateApiCommand({
      Name: apiName, ProtocolType: 'HTTP', Description: `${team} API`, Tags: tags.tagsAll,
      CorsConfiguration: { AllowMethods: ['GET', 'POST'], AllowOrigins: [origin], MaxAge: 300 },
    }))).ApiId!;
    const apiArn = `arn:aws:apigateway:${target.region}::/apis/${apiId}`;
    const n = { api: `http_api_${suffix}`, stage: `http_api_default_${suffix}` };
    const blocks: SeededBlock[] = [{
      type: 'aws_apigatewayv2_api', name: n.api,
      hcl: resourceBlock('aws_apigatewayv2_api', n.api, [
        ['name', apiName], ['protocol_type', 'HTTP'], ['description', `${team} API`],
        { block: 'cors_configuration', body: [['allow_methods', ['GET', 'POST']], ['allow_origins', [origin]], ['max_age', 300]] }, ['tags', tags.tags],
      ]),
      attributes: {
        id: apiId, arn: apiArn, name: apiName, protocol_type: 'HTTP', description: `${team} API`, version: '', api_key_selection_expression: '$request.header.x-api-key',
        route_selection_expression: '$request.method $request.path', disable_execute_api_endpoint: false, ip_address_type: 'ipv4',
        cors_configuration: [{ allow_credentials: false, allow_headers: [], allow_methods: ['GET', 'POST'], allow_origins: [origin], expose_headers: [], max_age: 300 }],
        api_endpoint: `https://${apiId}.execute-api.${target.region}.amazonaws.com`, execution_arn: `arn:aws:execute-api:${target.region}:${target.account}:${apiId}`,
        body: null, fail_on_warnings: null, credentials_arn: null, route_key: null, target: null, tags: tags.tags, tags_all: tags.tagsAll,
      },
    }];
    const first = Math.floor(random() * RESOURCES.length);
    for (const resource of [RESOURCES[first]!, RESOURCES[(first + 1) % RESOURCES.length]!]) {
      const uri = `https://${team}-backend.bench.example.com/${resource}`;
      const integrationId = (await gw.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: uri }))).IntegrationId!;
      const routeKey = `ANY /${resource}/{proxy+}`;
      const routeId = (await gw.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: routeKey, Target: `integrations/${integrationId}` }))).RouteId!;
      const integration = `${resource}_integration_${suffix}`;
      const route = `${resource}_route_${suffix}`;
      blocks.push({
        type: 'aws_apigatewayv2_integration', name: integration,
        hcl: resourceBlock('aws_apigatewayv2_integration', integration, [
          ['api_id', ref(`aws_apigatewayv2_api.${n.api}.id`)], ['integration_type', 'HTTP_PROXY'], ['integration_method', 'ANY'], ['integration_uri', uri],
        ]),
        attributes: {
          id: integrationId, api_id: apiId, integration_type: 'HTTP_PROXY', integration_method: 'ANY', integration_uri: uri, integration_subtype: '',
          connection_type: 'INTERNET', connection_id: '', credentials_arn: '', description: '', payload_format_version: '1.0', passthrough_behavior: '',
          content_handling_strategy: '', template_selection_expression: '', timeout_milliseconds: 30000, request_parameters: {}, request_templates: {}, response_parameters: [],
          tls_config: [], integration_response_selection_expression: '',
        },
        dependencies: [`aws_apigatewayv2_api.${n.api}`],
      }, {
        type: 'aws_apigatewayv2_route', name: route,
        hcl: resourceBlock('aws_apigatewayv2_route', route, [
          ['api_id', ref(`aws_apigatewayv2_api.${n.api}.id`)], ['route_key', routeKey], ['target', ref(`"integrations/\${aws_apigatewayv2_integration.${integration}.id}"`)],
        ]),
        attributes: {
          id: routeId, api_id: apiId, route_key: routeKey, target: `integrations/${integrationId}`, authorization_type: 'NONE', authorizer_id: '', authorization_scopes: [],
          api_key_required: false, model_selection_expression: '', operation_name: '', route_response_selection_expression: '', request_models: {}, request_parameter: [],
        },
        dependencies: [`aws_apigatewayv2_api.${n.api}`, `aws_apigatewayv2_integration.${integration}`],
      });
    }
    const burst = pick([100, 500, 1000], random);
    const rate = burst / 2;
    const stageTags = tagsFor(`${apiName}-default`, { Team: team });
    const stage = await gw.send(new CreateStageCommand({
      ApiId: apiId, StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { ThrottlingBurstLimit: burst, ThrottlingRateLimit: rate }, Tags: stageTags.tagsAll,
    }));
    blocks.push({
      type: 'aws_apigatewayv2_stage', name: n.stage,
      hcl: resourceBlock('aws_apigatewayv2_stage', n.stage, [
        ['api_id', ref(`aws_apigatewayv2_api.${n.api}.id`)], ['name', '$default'], ['auto_deploy', true],
        { block: 'default_route_settings', body: [['throttling_burst_limit', burst], ['throttling_rate_limit', rate]] }, ['tags', stageTags.tags],
      ]),
      attributes: {
        id: '$default', api_id: apiId, name: '$default', description: '', auto_deploy: true, client_certificate_id: '', deployment_id: stage.DeploymentId ?? '',
        access_log_settings: [], default_route_settings: [{ data_trace_enabled: false, detailed_metrics_enabled: false, logging_level: '', throttling_burst_limit: burst, throttling_rate_limit: rate }],
        route_settings: [], stage_variables: {}, arn: `${apiArn}/stages/$default`, invoke_url: `https://${apiId}.execute-api.${target.region}.amazonaws.com/`,
        execution_arn: `arn:aws:execute-api:${target.region}:${target.account}:${apiId}/$default`, tags: stageTags.tags, tags_all: stageTags.tagsAll,
      },
      dependencies: [`aws_apigatewayv2_api.${n.api}`],
    });
    return blocks;
  },

  lowerBound(byType) {
    const apis = byType.aws_apigatewayv2_api ?? 0;
    // GetApis pages the region's APIs (500 a page); integrations, routes and stages are listed per
    // API only, one page each (every seeded API has fewer than 500 of them).
    const perApi = (type: string) => Math.min(apis || Infinity, byType[type] ?? 0);
    return {
      'apigateway:GetApis': pages(apis, 500),
      'apigateway:GetIntegrations': perApi('aws_apigatewayv2_integration'),
      'apigateway:GetRoutes': perApi('aws_apigatewayv2_route'),
      'apigateway:GetStages': perApi('aws_apigatewayv2_stage'),
    };
  },
};
