// aws_apigatewayv2_integration ↔ API Gateway v2 GetIntegrations: one paged listing per API serves
// every declared integration of it. Unset arguments are the provider's defaults (INTERNET
// connections, payload format 1.0); `timeout_milliseconds` and `passthrough_behavior` are Optional
// and computed (AWS picks them per protocol), so they are compared only when declared. Revert
// writes the integration back with UpdateIntegration; its type and subtype force a new one.
import { GetIntegrationsCommand, Integration, UpdateIntegrationCommand, UpdateIntegrationRequest } from '@aws-sdk/client-apigatewayv2';
import type { Known } from '../../drift/values';
import { mapRule, readApiChildren, shapeAtom } from './apigatewayv2-common';
import { blocksOf, firstBlock } from './blocks';
import { cannotRevert, num, str } from './common';
import type { ResourceType } from './resource-type';

const SCALARS: Array<[string, keyof UpdateIntegrationRequest, string]> = [
  ['integration_uri', 'IntegrationUri', ''], ['integration_method', 'IntegrationMethod', ''], ['connection_type', 'ConnectionType', 'INTERNET'],
  ['connection_id', 'ConnectionId', ''], ['credentials_arn', 'CredentialsArn', ''], ['description', 'Description', ''],
  ['payload_format_version', 'PayloadFormatVersion', '1.0'], ['passthrough_behavior', 'PassthroughBehavior', ''],
  ['content_handling_strategy', 'ContentHandlingStrategy', ''], ['template_selection_expression', 'TemplateSelectionExpression', ''],
];

const strings = (v: Known): Record<string, string> => Object.fromEntries(Object.entries((v ?? {}) as Record<string, Known>).map(([k, x]) => [k, String(x)]));

export const awsApigatewayv2Integration: ResourceType = {
  type: 'aws_apigatewayv2_integration',
  tags: false,
  attributes: [
    { name: 'api_id', compare: 'scalar', forceNew: true },
    { name: 'integration_type', compare: 'scalar', forceNew: true },
    { name: 'integration_subtype', compare: 'scalar', forceNew: true, default: '' },
    { name: 'integration_uri', compare: 'scalar', default: '', severity: 'error' },
    { name: 'integration_method', compare: 'scalar', default: '' },
    { name: 'connection_type', compare: 'scalar', default: 'INTERNET' },
    { name: 'connection_id', compare: 'scalar', default: '' },
    { name: 'credentials_arn', compare: 'scalar', default: '' },
    { name: 'description', compare: 'scalar', default: '' },
    { name: 'payload_format_version', compare: 'scalar', default: '1.0' },
    { name: 'content_handling_strategy', compare: 'scalar', default: '' },
    { name: 'template_selection_expression', compare: 'scalar', default: '' },
    // Optional and computed: AWS picks them per protocol, so only a declared value is compared.
    { name: 'timeout_milliseconds', compare: 'scalar' },
    { name: 'passthrough_behavior', compare: 'scalar' },
    mapRule('request_parameters'),
    mapRule('request_templates'),
    { name: 'response_parameters', compare: 'blocks', normalize: (v) => blocksOf(v).map((b) => (shapeAtom(b as Known) as string[])[0] ?? '{}'), default: [] },
    { name: 'tls_config', compare: 'blocks', normalize: shapeAtom, default: [] },
  ],
  notCompared: { integration_response_selection_expression: 'computed by AWS' },
  idFromState: (a) => str(a.id),
  importId: (live) => `${String(live.attributes.api_id ?? '')}/${live.id}`,
  suggestName: (live) => `integration_${live.id}`,

  read(targets, ctx) {
    return readApiChildren<Integration>('aws_apigatewayv2_integration', 'apigateway:GetIntegrations', targets, ctx, {
      page: async (apiId, token) => {
        const out = await ctx.clients.apigatewayv2.send(new GetIntegrationsCommand({ ApiId: apiId, MaxResults: '500', NextToken: token }));
        return { items: out.Items ?? [], next: out.NextToken };
      },
      idOf: (i) => i.IntegrationId,
      attributes: (i, _t, apiId) => ({
        api_id: apiId, integration_type: i.IntegrationType ?? '', integration_subtype: i.IntegrationSubtype ?? '', integration_uri: i.IntegrationUri ?? '',
        integration_method: i.IntegrationMethod ?? '', connection_type: i.ConnectionType ?? 'INTERNET', connection_id: i.ConnectionId ?? '',
        credentials_arn: i.CredentialsArn ?? '', description: i.Description ?? '', payload_format_version: i.PayloadFormatVersion ?? '1.0',
        content_handling_strategy: i.ContentHandlingStrategy ?? '', template_selection_expression: i.TemplateSelectionExpression ?? '',
        timeout_milliseconds: i.TimeoutInMillis ?? 0, passthrough_behavior: i.PassthroughBehavior ?? '',
        request_parameters: { ...(i.RequestParameters ?? {}) }, request_templates: { ...(i.RequestTemplates ?? {}) },
        response_parameters: Object.entries(i.ResponseParameters ?? {}).map(([status, mappings]) => ({ status_code: status, mappings: { ...mappings } })),
        tls_config: i.TlsConfig ? [{ server_name_to_verify: i.TlsConfig.ServerNameToVerify ?? '' }] : [],
        integration_response_selection_expression: i.IntegrationResponseSelectionExpression ?? '',
      }),
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id, state } = request;
    const input: UpdateIntegrationRequest = { ApiId: str(state.attributes.api_id) ?? String(request.live.attributes.api_id ?? ''), IntegrationId: id };
    const scalar = SCALARS.find(([name]) => name === attribute);
    if (scalar) (input as unknown as Record<string, unknown>)[scalar[1]] = typeof declared === 'string' && declared !== '' ? declared : scalar[2] || undefined;
    else if (attribute === 'timeout_milliseconds') input.TimeoutInMillis = num(declared);
    else if (attribute === 'request_parameters') input.RequestParameters = strings(declared);
    else if (attribute === 'request_templates') input.RequestTemplates = strings(declared);
    else if (attribute === 'response_parameters') input.ResponseParameters = Object.fromEntries(blocksOf(declared).map((b) => [String(b.status_code ?? ''), strings(b.mappings ?? {})]));
    else if (attribute === 'tls_config') {
      const b = firstBlock(declared);
      input.TlsConfig = b ? { ServerNameToVerify: str(b.server_name_to_verify) } : undefined;
    } else return cannotRevert(attribute);
    await clients.gate.call('apigateway:UpdateIntegration', () => clients.apigatewayv2.send(new UpdateIntegrationCommand(input)));
    return { ok: true, message: `${attribute} written back to integration ${id}` };
  },
};
