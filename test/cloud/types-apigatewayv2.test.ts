// The four API Gateway v2 types against the sandbox with the real SDK (REST-JSON): the per-type
// contract (an API's description, CORS and tags, a stage's variables and throttling, a route's
// authorization, an integration's URI changed by hand, written back through UpdateApi/UpdateStage/
// UpdateRoute/UpdateIntegration and TagResource); a stage under auto_deploy whose deployment AWS
// moved is not drift, the same stale deployment without auto_deploy is; one listing per API
// serves all its children; a deleted route or API is missing; the sandbox's error codes,
// CloudTrail records and the attribution of the writes.
import { after, before, test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, DeleteApiCommand, DeleteRouteCommand, GetStageCommand,
  TagResourceCommand, UpdateApiCommand, UpdateIntegrationCommand, UpdateRouteCommand, UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { eventExplains } from '../../server/src/attribution/event-attributes';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { driftsOf } from './type-check-helpers';
import { runCheck, writeStateFile } from '../support/check-cli';
import { assertClean, contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let gw: ApiGatewayV2Client;
const ids = { api: '', integration: '', route: '', deployment: '' };
const LOGS = 'arn:aws:logs:us-east-1:123456789012:log-group:orders-access';

const arn = (): string => `arn:aws:apigateway:${env.sandbox.region}::/apis/${ids.api}`;

/** As the AWS provider v5 records them after apply. */
const state = (): StateInstance[] => [
  inst('aws_apigatewayv2_api', 'orders', {
    id: ids.api, arn: arn(), name: 'orders', protocol_type: 'HTTP', description: 'orders API', version: '', api_key_selection_expression: '$request.header.x-api-key',
    route_selection_expression: '$request.method $request.path', disable_execute_api_endpoint: false, ip_address_type: 'ipv4',
    cors_configuration: [{ allow_credentials: false, allow_headers: [], allow_methods: ['POST', 'GET'], allow_origins: ['https://example.com'], expose_headers: [], max_age: 300 }],
    api_endpoint: `https://${ids.api}.execute-api.us-east-1.amazonaws.com`, execution_arn: '', body: null, fail_on_warnings: null, credentials_arn: null, route_key: null, target: null,
    tags: { Team: 'orders' }, tags_all: { Team: 'orders' },
  }),
  inst('aws_apigatewayv2_integration', 'items', {
    id: ids.integration, api_id: ids.api, integration_type: 'HTTP_PROXY', integration_method: 'GET', integration_uri: 'https://example.com/items', integration_subtype: '',
    connection_type: 'INTERNET', connection_id: '', credentials_arn: '', description: '', payload_format_version: '1.0', passthrough_behavior: '',
    content_handling_strategy: '', template_selection_expression: '', timeout_milliseconds: 30000, request_parameters: {}, request_templates: {}, response_parameters: [],
    tls_config: [], integration_response_selection_expression: '',
  }),
  inst('aws_apigatewayv2_route', 'items', {
    id: ids.route, api_id: ids.api, route_key: 'GET /items', target: `integrations/${ids.integration}`, authorization_type: 'NONE', authorizer_id: '', authorization_scopes: [],
    api_key_required: false, model_selection_expression: '', operation_name: '', route_response_selection_expression: '', request_models: {}, request_parameter: [],
  }),
  inst('aws_apigatewayv2_stage', 'prod', {
    id: 'prod', api_id: ids.api, name: 'prod', description: '', auto_deploy: false, client_certificate_id: '', deployment_id: '',
    access_log_settings: [{ destination_arn: LOGS, format: '$context.requestId' }],
    default_route_settings: [{ data_trace_enabled: false, detailed_metrics_enabled: false, logging_level: '', throttling_burst_limit: 100, throttling_rate_limit: 50 }],
    route_settings: [], stage_variables: { env: 'prod' }, tags: { Team: 'orders' }, tags_all: { Team: 'orders' }, arn: `${arn()}/stages/prod`, invoke_url: '',
  }),
  inst('aws_apigatewayv2_stage', 'default', {
    id: '$default', api_id: ids.api, name: '$default', description: '', auto_deploy: true, client_certificate_id: '', deployment_id: ids.deployment,
    access_log_settings: [], default_route_settings: [{ data_trace_enabled: false, detailed_metrics_enabled: false, logging_level: '', throttling_burst_limit: 0, throttling_rate_limit: 0 }],
    route_settings: [], stage_variables: {}, tags: {}, tags_all: {},
  }),
];

before(async () => {
  env = await startTypeSandbox(['apigateway:*']);
  gw = new ApiGatewayV2Client({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  ids.api = (await gw.send(new CreateApiCommand({
    Name: 'orders', ProtocolType: 'HTTP', Description: 'orders API', Tags: { Team: 'orders' },
    CorsConfiguration: { AllowMethods: ['GET', 'POST'], AllowOrigins: ['https://example.com'], MaxAge: 300 },
  }))).ApiId!;
  ids.integration = (await gw.send(new CreateIntegrationCommand({ ApiId: ids.api, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: 'https://example.com/items' }))).IntegrationId!;
  ids.route = (await gw.send(new CreateRouteCommand({ ApiId: ids.api, RouteKey: 'GET /items', Target: `integrations/${ids.integration}` }))).RouteId!;
  await gw.send(new CreateStageCommand({
    ApiId: ids.api, StageName: 'prod', StageVariables: { env: 'prod' }, Tags: { Team: 'orders' }, AccessLogSettings: { DestinationArn: LOGS, Format: '$context.requestId' },
    DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
  }));
  ids.deployment = (await gw.send(new CreateStageCommand({ ApiId: ids.api, StageName: '$default', AutoDeploy: true }))).DeploymentId!;
});

after(async () => {
  gw?.destroy();
  await env?.sandbox.stop();
});

contractTests({
  title: 'the API Gateway v2 types',
  env: () => env,
  state,
  changes: [
    { drift: ['aws_apigatewayv2_api.orders description', 'aws_apigatewayv2_api.orders cors_configuration'], change: () => gw.send(new UpdateApiCommand({
      ApiId: ids.api, Description: 'edited', CorsConfiguration: { AllowMethods: ['*'], AllowOrigins: ['*'] },
    })) },
    { drift: 'aws_apigatewayv2_api.orders tags', change: () => gw.send(new TagResourceCommand({ ResourceArn: arn(), Tags: { Team: 'hotfix' } })) },
    { drift: ['aws_apigatewayv2_stage.prod stage_variables', 'aws_apigatewayv2_stage.prod default_route_settings'], change: () => gw.send(new UpdateStageCommand({
      ApiId: ids.api, StageName: 'prod', StageVariables: { env: 'debug' }, DefaultRouteSettings: { ThrottlingBurstLimit: 5000, ThrottlingRateLimit: 5000 },
    })) },
    { drift: 'aws_apigatewayv2_stage.prod tags', change: () => gw.send(new TagResourceCommand({ ResourceArn: `${arn()}/stages/prod`, Tags: { Extra: 'x' } })) },
    { drift: 'aws_apigatewayv2_route.items authorization_type', change: () => gw.send(new UpdateRouteCommand({ ApiId: ids.api, RouteId: ids.route, AuthorizationType: 'AWS_IAM' })) },
    { drift: 'aws_apigatewayv2_integration.items integration_uri', change: () => gw.send(new UpdateIntegrationCommand({
      ApiId: ids.api, IntegrationId: ids.integration, IntegrationUri: 'https://attacker.example/items',
    })) },
  ],
});

test('a stage under auto_deploy whose deployment AWS moved is not drift, nor the all-default route settings AWS reports for an undeclared block; the same stale deployment without auto_deploy is drift', async () => {
  await gw.send(new UpdateRouteCommand({ ApiId: ids.api, RouteId: ids.route, OperationName: 'listItems' }));
  await gw.send(new UpdateRouteCommand({ ApiId: ids.api, RouteId: ids.route, OperationName: '' }));
  const moved = (await gw.send(new GetStageCommand({ ApiId: ids.api, StageName: '$default' }))).DeploymentId;
  assert.notEqual(moved, ids.deployment, 'AWS redeployed the auto_deploy stage');
  const stages = state().slice(3);
  await assertClean(env.clients, [stages[1]!]);
  // A stage declared without default_route_settings: the all-default block AWS reports is no block.
  await assertClean(env.clients, [inst('aws_apigatewayv2_stage', 'default', { ...stages[1]!.attributes, default_route_settings: [] })]);
  const stale = [inst('aws_apigatewayv2_stage', 'prod', { ...stages[0]!.attributes, deployment_id: 'abc123' })];
  const snapshot = await readLive(env.clients, stale);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, stale, snapshot), ['aws_apigatewayv2_stage.prod deployment_id']);
});

test('one listing per API serves all its children; a deleted route and every child of a deleted API read as missing', async () => {
  env.sandbox.resetStats();
  await assertClean(env.clients, state(), { declared: false });
  const stats = env.sandbox.stats();
  assert.deepEqual(['GetApis', 'GetStages', 'GetRoutes', 'GetIntegrations'].map((op) => stats[`apigateway:${op}`]), [1, 1, 1, 1], JSON.stringify(stats));

  const other = (await gw.send(new CreateApiCommand({ Name: 'gone', ProtocolType: 'HTTP' }))).ApiId!;
  const route = (await gw.send(new CreateRouteCommand({ ApiId: ids.api, RouteKey: 'GET /old' }))).RouteId!;
  await gw.send(new CreateStageCommand({ ApiId: other, StageName: 'dev' }));
  await gw.send(new DeleteRouteCommand({ ApiId: ids.api, RouteId: route }));
  await gw.send(new DeleteApiCommand({ ApiId: other }));
  const snapshot = await readLive(env.clients, [
    inst('aws_apigatewayv2_route', 'old', { id: route, api_id: ids.api, route_key: 'GET /old' }),
    inst('aws_apigatewayv2_stage', 'dev', { id: 'dev', api_id: other, name: 'dev' }),
    inst('aws_apigatewayv2_api', 'gone', { id: other, name: 'gone', protocol_type: 'HTTP' }),
  ], { declared: false });
  assert.deepEqual(['route.old', 'stage.dev', 'api.gone'].map((a) => snapshot.get(`aws_apigatewayv2_${a}`)?.status), ['missing', 'missing', 'missing']);
});

test('the sandbox answers API Gateway v2 with its error codes and records writes in CloudTrail; attribution knows the writes', async () => {
  await assert.rejects(gw.send(new GetStageCommand({ ApiId: ids.api, StageName: 'nope' })), { name: 'NotFoundException' });
  const unsigned = await fetch(`${env.sandbox.endpoint}/v2/apis/${ids.api}`);
  assert.equal(unsigned.status, 403);
  assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException', 'an unsigned call is refused in API Gateway\'s own shape');
  assert.deepEqual(Object.keys(await unsigned.json() as object), ['message']);
  await assert.rejects(gw.send(new CreateRouteCommand({ ApiId: ids.api, RouteKey: 'GET /items' })), { name: 'ConflictException' });
  await assert.rejects(gw.send(new CreateRouteCommand({ ApiId: ids.api, RouteKey: 'GET /x', Target: 'integrations/none' })), { name: 'BadRequestException' });
  await assert.rejects(gw.send(new CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET' })), { name: 'BadRequestException' });
  await assert.rejects(gw.send(new CreateIntegrationCommand({ ApiId: ids.api, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com' })), { name: 'BadRequestException' });

  const events = env.sandbox.world.events.filter((e) => e.eventSource === 'apigateway.amazonaws.com' && e.eventName === 'UpdateIntegration');
  assert.ok(events.length > 0 && events.every((e) => e.resources.some((r) => r.name === ids.api)), 'UpdateIntegration names the API');
  assert.ok(eventExplains({ eventName: 'UpdateStage' }, ['stage_variables']) && !eventExplains({ eventName: 'UpdateStage' }, ['tags']));
  assert.ok(eventExplains({ eventName: 'UpdateIntegration' }, ['integration_uri']) && eventExplains({ eventName: 'DeleteApi' }, []));
});

test('tidemark check reads the four types from .tf and state (blocks, maps, references between them): clean, then a stage variable changed by hand is drift on it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-apigw-'));
  try {
    writeFileSync(path.join(dir, 'main.tf'), `provider "aws" {
  region = "${env.sandbox.region}"
}

resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
  description   = "orders API"

  cors_configuration {
    allow_methods = ["GET", "POST"]
    allow_origins = ["https://example.com"]
    max_age       = 300
  }

  tags = {
    Team = "orders"
  }
}

resource "aws_apigatewayv2_integration" "items" {
  api_id             = aws_apigatewayv2_api.orders.id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://example.com/items"
}

resource "aws_apigatewayv2_route" "items" {
  api_id    = aws_apigatewayv2_api.orders.id
  route_key = "GET /items"
  target    = "integrations/\${aws_apigatewayv2_integration.items.id}"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.orders.id
  name   = "prod"

  access_log_settings {
    destination_arn = "${LOGS}"
    format          = "$context.requestId"
  }

  default_route_settings {
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }

  stage_variables = {
    env = "prod"
  }

  tags = {
    Team = "orders"
  }
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.orders.id
  name        = "$default"
  auto_deploy = true
}
`);
    writeStateFile(dir, state());
    const clean = await runCheck(env.sandbox, env.credentials, dir, ['--no-attribution']);
    assert.equal(clean.code, 0, clean.out + clean.err);
    await gw.send(new UpdateStageCommand({ ApiId: ids.api, StageName: 'prod', StageVariables: { env: 'debug' } }));
    const drifted = await runCheck(env.sandbox, env.credentials, dir, ['--no-attribution', '--json']);
    assert.equal(drifted.code, 2, drifted.out + drifted.err);
    const report = JSON.parse(drifted.out) as { drifts: Array<{ address: string; attributePath: string[] }> };
    assert.deepEqual(report.drifts.map((d) => `${d.address} ${d.attributePath.join('.')}`), ['aws_apigatewayv2_stage.prod stage_variables'], drifted.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await gw.send(new UpdateStageCommand({ ApiId: ids.api, StageName: 'prod', StageVariables: { env: 'prod' } }));
  }
});
