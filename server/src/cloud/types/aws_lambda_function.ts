// aws_lambda_function ↔ the function's configuration from one ListFunctions listing of the region
// (tags from the Tagging API by ARN; reserved concurrency from GetFunctionConcurrency for every
// function: undeclared, Terraform's default is -1 (unreserved), so a reservation made by hand is a
// plan diff even where the code never mentions it). Identified, as in Terraform, by the function name.
//
// The configuration, not the code: the deployment package (filename, s3_bucket/s3_key) is not
// readable live. What proves the code changed is AWS's CodeSha256, compared only with what
// Terraform recorded at the last apply (code_sha256 since provider 5.51; source_code_hash before,
// whose read stored CodeSha256 there) — never with the configured expression, which hashes a
// local file.
//
// Provider defaults applied when an argument is absent (so an unset argument is never drift):
// memory_size 128, timeout 3, description "", architectures ["x86_64"], ephemeral_storage 512 MB,
// tracing_config PassThrough, package_type Zip, no environment, VPC, dead-letter target, KMS key
// or layers, reserved_concurrent_executions -1 (unreserved).
// Values AWS changes on its own and the provider computes, never compared: last_modified (set by
// every update), version (raised by each publish), the ARNs and the code size.
//
// Environment variables may hold secrets: they are read as per-process HMAC digests and a drift
// on them names the keys that differ, never a value (AttributeRule.sensitive).
import {
  DeleteFunctionConcurrencyCommand, PutFunctionConcurrencyCommand, TagResourceCommand, UntagResourceCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand,
  type UpdateFunctionConfigurationCommandInput,
} from '@aws-sdk/client-lambda';
import { member } from '../families/family';
import { FUNCTION_CODE_KEY, FUNCTION_CONCURRENCY_KEY, FUNCTION_TAGS_KEY, lambdaFunctionFamily, type FunctionRead } from '../families/lambda';
import { bool, cannotRevert, foundEntry, labelFrom, missingEntry, num, revertTagMap, str, unknownEntry, untagThenTag } from './common';
import { environmentEntries, environmentVariables, fieldAtoms, firstBlock, secretDigest, strings } from './lambda-common';
import type { Known } from '../../drift/values';
import type { ResourceType, RevertOutcome, RevertRequest } from './resource-type';
import type { AwsClients } from '../clients';

const vpcAtoms = (v: Known): Known => {
  const b = firstBlock(v);
  const subnets = [...strings(b?.subnet_ids)].sort();
  const groups = [...strings(b?.security_group_ids)].sort();
  if (!subnets.length && !groups.length) return [];
  return [JSON.stringify({ subnets, groups, ipv6: b?.ipv6_allowed_for_dual_stack === true || b?.ipv6_allowed_for_dual_stack === 'true' })];
};

const environmentAtoms = (v: Known): Known => Object.entries(environmentEntries(v)).map(([k, d]) => `${k}=${d}`);

/** Arguments written back with UpdateFunctionConfiguration: the request fields each one sets. */
const CONFIGURATION: Record<string, (declared: Known) => Partial<UpdateFunctionConfigurationCommandInput>> = {
  role: (d) => ({ Role: str(d) }),
  handler: (d) => ({ Handler: str(d) }),
  runtime: (d) => ({ Runtime: str(d) as UpdateFunctionConfigurationCommandInput['Runtime'] }),
  description: (d) => ({ Description: str(d) ?? '' }),
  memory_size: (d) => ({ MemorySize: num(d) ?? 128 }),
  timeout: (d) => ({ Timeout: num(d) ?? 3 }),
  ephemeral_storage: (d) => ({ EphemeralStorage: { Size: num(firstBlock(d)?.size ?? 512) ?? 512 } }),
  tracing_config: (d) => ({ TracingConfig: { Mode: (str(firstBlock(d)?.mode) ?? 'PassThrough') as 'Active' | 'PassThrough' } }),
  environment: (d) => ({ Environment: { Variables: environmentVariables(d) } }),
  vpc_config: (d) => {
    const b = firstBlock(d);
    return { VpcConfig: { SubnetIds: strings(b?.subnet_ids), SecurityGroupIds: strings(b?.security_group_ids), Ipv6AllowedForDualStack: bool(b?.ipv6_allowed_for_dual_stack ?? false) ?? false } };
  },
  dead_letter_config: (d) => ({ DeadLetterConfig: { TargetArn: str(firstBlock(d)?.target_arn) ?? '' } }),
  kms_key_arn: (d) => ({ KMSKeyArn: str(d) ?? '' }),
  layers: (d) => ({ Layers: strings(d) }),
  logging_config: (d) => ({ LoggingConfig: { LogFormat: (str(firstBlock(d)?.log_format) ?? 'Text') as 'JSON' | 'Text' } }),
};

async function revertConcurrency(request: RevertRequest, clients: AwsClients): Promise<RevertOutcome> {
  const n = num(request.declared) ?? -1;
  if (n < 0) {
    await clients.gate.call('lambda:DeleteFunctionConcurrency', () => clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: request.id })));
    return { ok: true, message: `removed the reserved concurrency of ${request.id}` };
  }
  await clients.gate.call('lambda:PutFunctionConcurrency', () => clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: request.id, ReservedConcurrentExecutions: n })));
  return { ok: true, message: `set the reserved concurrency of ${request.id} to ${n}` };
}

export const awsLambdaFunction: ResourceType = {
  type: 'aws_lambda_function',
  tags: true,
  taggingType: 'lambda:function',
  attributes: [
    { name: 'function_name', compare: 'scalar', forceNew: true },
    { name: 'role', compare: 'scalar', severity: 'warning' },
    { name: 'handler', compare: 'scalar' },
    { name: 'runtime', compare: 'scalar' },
    { name: 'description', compare: 'scalar', default: '' },
    { name: 'memory_size', compare: 'scalar', default: 128 },
    { name: 'timeout', compare: 'scalar', default: 3 },
    { name: 'architectures', compare: 'set', default: ['x86_64'] },
    { name: 'package_type', compare: 'scalar', default: 'Zip', forceNew: true },
    { name: 'ephemeral_storage', compare: 'blocks', default: [{ size: 512 }], normalize: fieldAtoms(['size']) },
    { name: 'tracing_config', compare: 'blocks', default: [{ mode: 'PassThrough' }], normalize: fieldAtoms(['mode']) },
    { name: 'environment', compare: 'blocks', default: [], normalize: environmentAtoms, sensitive: environmentEntries, severity: 'warning' },
    { name: 'vpc_config', compare: 'blocks', default: [], normalize: vpcAtoms, severity: 'warning' },
    { name: 'dead_letter_config', compare: 'blocks', default: [], normalize: fieldAtoms(['target_arn']) },
    { name: 'kms_key_arn', compare: 'scalar', default: '', severity: 'warning' },
    // Layer order matters to Lambda (later layers override earlier files): compared as a list.
    { name: 'layers', compare: 'scalar', default: [], normalize: (v) => JSON.stringify(Array.isArray(v) ? v : v === null ? [] : [v]) },
    { name: 'reserved_concurrent_executions', compare: 'scalar', default: -1 },
    // Optional and computed in the provider: compared only when declared, and then only the format
    // (AWS fills in the log group and, for JSON, the levels).
    { name: 'logging_config', compare: 'blocks', normalize: fieldAtoms(['log_format']) },
    { name: 'image_uri', compare: 'scalar' },
    { name: 'code_sha256', compare: 'scalar', stateOnly: true },
    { name: 'source_code_hash', compare: 'scalar', stateOnly: true },
  ],
  notCompared: {
    filename: 'the local deployment package: not readable live (the code is compared through its SHA-256 against state)',
    s3_bucket: 'where the deployment package was uploaded from: not readable live',
    s3_key: 'where the deployment package was uploaded from: not readable live',
    s3_object_version: 'where the deployment package was uploaded from: not readable live',
    image_config: 'container image settings: not read yet',
    'logging_config.log_group': 'AWS fills it in when not declared; only log_format is compared',
    'logging_config.application_log_level': 'AWS fills it in for JSON logs when not declared; only log_format is compared',
    'logging_config.system_log_level': 'AWS fills it in for JSON logs when not declared; only log_format is compared',
    snap_start: 'Java SnapStart setting: not read yet',
    file_system_config: 'EFS mounts: not read yet',
    code_signing_config_arn: 'read only by one GetFunctionCodeSigningConfig per function: not read yet',
    publish: 'a Terraform-side instruction to publish a version on change',
    skip_destroy: 'Terraform-side setting',
    replace_security_groups_on_destroy: 'Terraform-side setting',
    replacement_security_group_ids: 'Terraform-side setting',
    last_modified: 'AWS sets it on every update',
    version: 'AWS raises it on each publish',
    arn: 'computed by AWS from the account, region and name',
    qualified_arn: 'computed by AWS',
    invoke_arn: 'computed by AWS',
    qualified_invoke_arn: 'computed by AWS',
    source_code_size: 'computed by AWS from the code',
    signing_job_arn: 'computed by AWS',
    signing_profile_version_arn: 'computed by AWS',
  },
  idFromState: (a) => str(a.function_name) ?? str(a.id),
  idFromArn: (arn) => /^arn:[^:]+:lambda:[^:]+:\d{12}:function:([^:]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  family: member<FunctionRead>(lambdaFunctionFamily, {
    keys: (t) => [
      { filter: FUNCTION_TAGS_KEY, value: t.id },
      { filter: FUNCTION_CONCURRENCY_KEY, value: t.id },
      ...(t.needs?.has('image_uri') ? [{ filter: FUNCTION_CODE_KEY, value: t.id }] : []),
    ],
    pick(t, rows, ctx) {
      const found = rows.lookup({ filter: FUNCTION_TAGS_KEY, value: t.id });
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const read = found.items[0];
      if (!read) return missingEntry(ctx, t.id, `function ${t.id} does not exist`);
      const c = read.config;
      const vars = c.Environment?.Variables ?? {};
      const attributes: Record<string, unknown> = {
        function_name: c.FunctionName,
        role: c.Role ?? null,
        handler: c.Handler ?? null,
        runtime: c.Runtime ?? null,
        description: c.Description ?? '',
        memory_size: c.MemorySize ?? 128,
        timeout: c.Timeout ?? 3,
        architectures: c.Architectures ?? ['x86_64'],
        package_type: c.PackageType ?? 'Zip',
        ephemeral_storage: [{ size: c.EphemeralStorage?.Size ?? 512 }],
        tracing_config: [{ mode: c.TracingConfig?.Mode ?? 'PassThrough' }],
        // Values as digests only (see lambda-common): the plain text is dropped here.
        environment: Object.keys(vars).length ? [{ variables: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, secretDigest(v)])) }] : [],
        vpc_config: c.VpcConfig?.SubnetIds?.length || c.VpcConfig?.SecurityGroupIds?.length
          ? [{ subnet_ids: c.VpcConfig.SubnetIds ?? [], security_group_ids: c.VpcConfig.SecurityGroupIds ?? [], ipv6_allowed_for_dual_stack: c.VpcConfig.Ipv6AllowedForDualStack ?? false, vpc_id: c.VpcConfig.VpcId ?? '' }]
          : [],
        dead_letter_config: c.DeadLetterConfig?.TargetArn ? [{ target_arn: c.DeadLetterConfig.TargetArn }] : [],
        kms_key_arn: c.KMSKeyArn ?? '',
        layers: (c.Layers ?? []).map((l) => l.Arn),
        code_sha256: c.CodeSha256 ?? null,
        logging_config: [{
          log_format: c.LoggingConfig?.LogFormat ?? 'Text', log_group: c.LoggingConfig?.LogGroup ?? `/aws/lambda/${c.FunctionName}`,
          application_log_level: c.LoggingConfig?.ApplicationLogLevel ?? '', system_log_level: c.LoggingConfig?.SystemLogLevel ?? '',
        }],
        tags: read.tags ?? {},
      };
      // Before provider 5.51 the read stored CodeSha256 in source_code_hash; since then code_sha256 holds
      // it and source_code_hash keeps the configured trigger, which is no live property: it is its own
      // live value then (never drift), so a trigger that is not a hash of the package is never reported.
      attributes.source_code_hash = t.state.attributes.code_sha256 === undefined ? c.CodeSha256 ?? null : t.state.attributes.source_code_hash ?? null;
      if (read.reservedConcurrency !== undefined) attributes.reserved_concurrent_executions = read.reservedConcurrency ?? -1;
      if (read.imageUri !== undefined) attributes.image_uri = read.imageUri;
      return foundEntry(t, 'aws_lambda_function', ctx, attributes, { arn: c.FunctionArn });
    },
  }),

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const field = CONFIGURATION[attribute];
    if (field) {
      await clients.gate.call('lambda:UpdateFunctionConfiguration', () => clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: id, ...field(declared) })));
      // Never echo an environment value: the message names the attribute only.
      return { ok: true, message: `wrote ${attribute} of ${id} back with UpdateFunctionConfiguration` };
    }
    if (attribute === 'reserved_concurrent_executions') return revertConcurrency(request, clients);
    if (attribute === 'image_uri' && str(declared)) {
      // An image is code Tidemark can point back to: the declared URI in the registry.
      await clients.gate.call('lambda:UpdateFunctionCode', () => clients.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: id, ImageUri: str(declared) })));
      return { ok: true, message: `pointed ${id} back at ${str(declared)} with UpdateFunctionCode` };
    }
    if (attribute === 'code_sha256' || attribute === 'source_code_hash' || attribute === 'architectures') {
      return cannotRevert(attribute, 'AWS changes it only with the deployment package (UpdateFunctionCode), which Tidemark does not hold');
    }
    if (attribute !== 'tags') return cannotRevert(attribute);
    const arn = request.live.arn;
    if (!arn) return { ok: false, message: `${id}: the function's ARN was not read; refresh first` };
    return revertTagMap(request, untagThenTag(
      (TagKeys) => clients.gate.call('lambda:UntagResource', () => clients.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys }))),
      (tags) => clients.gate.call('lambda:TagResource', () => clients.lambda.send(new TagResourceCommand({ Resource: arn, Tags: Object.fromEntries(tags.map(({ Key, Value }) => [Key, Value])) }))),
    ));
  },
};
