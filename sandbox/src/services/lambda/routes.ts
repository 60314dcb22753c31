// Lambda's REST-JSON route table: method + path template → operation, with the success status the
// service model declares and the name CloudTrail records (Lambda's older operations carry their API
// version, e.g. UpdateFunctionConfiguration20150331v2).
import type { CallContext } from '../../context';
import { RestJsonRouter, type RestJsonRoute } from '../../protocol/rest-json';
import { aliasHandlers as a } from './aliases';
import { functionHandlers as f } from './functions';
import { invokeConfigHandlers as e } from './invoke-configs';
import { mappingHandlers as m } from './mappings';
import { permissionHandlers as p } from './permissions';
import { urlHandlers as u } from './urls';

export interface LambdaRoute extends RestJsonRoute<CallContext> {
  /** The eventName CloudTrail records for the call, when it is not the operation name. */
  trailName?: string;
}

const FN = '/2015-03-31/functions/{FunctionName}';
const route = (method: string, path: string, operation: string, status: number, handler: LambdaRoute['handler'], trailName?: string): LambdaRoute =>
  ({ method, path, operation, status, handler, ...(trailName ? { trailName } : {}) });

export const LAMBDA_ROUTES: readonly LambdaRoute[] = [
  route('POST', '/2015-03-31/functions', 'CreateFunction', 201, f.createFunction, 'CreateFunction20150331'),
  route('GET', '/2015-03-31/functions', 'ListFunctions', 200, f.listFunctions, 'ListFunctions20150331'),
  route('GET', FN, 'GetFunction', 200, f.getFunction, 'GetFunction20150331v2'),
  route('DELETE', FN, 'DeleteFunction', 204, f.deleteFunction, 'DeleteFunction20150331'),
  route('GET', `${FN}/configuration`, 'GetFunctionConfiguration', 200, f.getConfiguration, 'GetFunctionConfiguration20150331v2'),
  route('PUT', `${FN}/configuration`, 'UpdateFunctionConfiguration', 200, f.updateConfiguration, 'UpdateFunctionConfiguration20150331v2'),
  route('PUT', `${FN}/code`, 'UpdateFunctionCode', 200, f.updateCode, 'UpdateFunctionCode20150331v2'),
  route('POST', `${FN}/versions`, 'PublishVersion', 201, f.publishVersion, 'PublishVersion20150331'),
  route('GET', `${FN}/versions`, 'ListVersionsByFunction', 200, f.listVersions, 'ListVersionsByFunction20150331'),
  route('GET', '/2017-03-31/tags/{Resource}', 'ListTags', 200, f.listTags, 'ListTags20170331'),
  route('POST', '/2017-03-31/tags/{Resource}', 'TagResource', 204, f.tagResource, 'TagResource20170331v2'),
  route('DELETE', '/2017-03-31/tags/{Resource}', 'UntagResource', 204, f.untagResource, 'UntagResource20170331v2'),
  route('PUT', '/2017-10-31/functions/{FunctionName}/concurrency', 'PutFunctionConcurrency', 200, f.putConcurrency, 'PutFunctionConcurrency20171031'),
  route('DELETE', '/2017-10-31/functions/{FunctionName}/concurrency', 'DeleteFunctionConcurrency', 204, f.deleteConcurrency, 'DeleteFunctionConcurrency20171031'),
  route('GET', '/2019-09-30/functions/{FunctionName}/concurrency', 'GetFunctionConcurrency', 200, f.getConcurrency),
  route('POST', `${FN}/policy`, 'AddPermission', 201, p.addPermission, 'AddPermission20150331v2'),
  route('GET', `${FN}/policy`, 'GetPolicy', 200, p.getPolicy, 'GetPolicy20150331v2'),
  route('DELETE', `${FN}/policy/{StatementId}`, 'RemovePermission', 204, p.removePermission, 'RemovePermission20150331v2'),
  route('POST', `${FN}/aliases`, 'CreateAlias', 201, a.createAlias, 'CreateAlias20150331'),
  route('GET', `${FN}/aliases`, 'ListAliases', 200, a.listAliases, 'ListAliases20150331'),
  route('GET', `${FN}/aliases/{Name}`, 'GetAlias', 200, a.getAlias, 'GetAlias20150331'),
  route('PUT', `${FN}/aliases/{Name}`, 'UpdateAlias', 200, a.updateAlias, 'UpdateAlias20150331'),
  route('DELETE', `${FN}/aliases/{Name}`, 'DeleteAlias', 204, a.deleteAlias, 'DeleteAlias20150331'),
  route('POST', '/2015-03-31/event-source-mappings', 'CreateEventSourceMapping', 202, m.createMapping, 'CreateEventSourceMapping20150331'),
  route('GET', '/2015-03-31/event-source-mappings', 'ListEventSourceMappings', 200, m.listMappings, 'ListEventSourceMappings20150331'),
  route('GET', '/2015-03-31/event-source-mappings/{UUID}', 'GetEventSourceMapping', 200, m.getMapping, 'GetEventSourceMapping20150331'),
  route('PUT', '/2015-03-31/event-source-mappings/{UUID}', 'UpdateEventSourceMapping', 202, m.updateMapping, 'UpdateEventSourceMapping20150331'),
  route('DELETE', '/2015-03-31/event-source-mappings/{UUID}', 'DeleteEventSourceMapping', 202, m.deleteMapping, 'DeleteEventSourceMapping20150331'),
  route('POST', '/2021-10-31/functions/{FunctionName}/url', 'CreateFunctionUrlConfig', 201, u.createUrl),
  route('GET', '/2021-10-31/functions/{FunctionName}/url', 'GetFunctionUrlConfig', 200, u.getUrl),
  route('PUT', '/2021-10-31/functions/{FunctionName}/url', 'UpdateFunctionUrlConfig', 200, u.updateUrl),
  route('DELETE', '/2021-10-31/functions/{FunctionName}/url', 'DeleteFunctionUrlConfig', 204, u.deleteUrl),
  route('GET', '/2021-10-31/functions/{FunctionName}/urls', 'ListFunctionUrlConfigs', 200, u.listUrls),
  route('PUT', '/2019-09-25/functions/{FunctionName}/event-invoke-config', 'PutFunctionEventInvokeConfig', 200, e.putConfig),
  route('POST', '/2019-09-25/functions/{FunctionName}/event-invoke-config', 'UpdateFunctionEventInvokeConfig', 200, e.updateConfig),
  route('GET', '/2019-09-25/functions/{FunctionName}/event-invoke-config', 'GetFunctionEventInvokeConfig', 200, e.getConfig),
  route('DELETE', '/2019-09-25/functions/{FunctionName}/event-invoke-config', 'DeleteFunctionEventInvokeConfig', 204, e.deleteConfig),
  route('GET', '/2019-09-25/functions/{FunctionName}/event-invoke-config/list', 'ListFunctionEventInvokeConfigs', 200, e.listConfigs),
];

export const lambdaRouter = new RestJsonRouter<CallContext>(LAMBDA_ROUTES);

/** CloudTrail's name for a call (the versioned name where Lambda records one). */
export function lambdaTrailName(operation: string): string {
  return LAMBDA_ROUTES.find((r) => r.operation === operation)?.trailName ?? operation;
}

const lowerFirst = (k: string): string => k.charAt(0).toLowerCase() + k.slice(1);
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/**
 * requestParameters as CloudTrail records a Lambda call: camelCase names, environment variable
 * values and code bytes hidden (CloudTrail never stores them).
 */
export function lambdaTrailParameters(path: Record<string, string>, query: [string, string][], input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(path)) out[lowerFirst(k)] = v;
  for (const [k, v] of query) out[lowerFirst(k)] = v;
  for (const [k, v] of Object.entries(input)) {
    if (k === 'Environment' && v && typeof v === 'object') out.environment = { variables: HIDDEN };
    else if (k === 'ZipFile' || k === 'Code') out[lowerFirst(k)] = HIDDEN;
    else out[lowerFirst(k)] = v;
  }
  return out;
}
