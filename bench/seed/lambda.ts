// A Lambda function and its sub-resources, created through the Lambda API: version 1 published,
// a `live` alias on it, a permission for EventBridge to invoke it, an SQS event source mapping
// from its work queue, a function URL and an asynchronous-invocation config sending failures to a
// second queue. The execution role is the platform team's (created here, declared elsewhere: no
// tags, so it is not an unmanaged object of this workspace).
import { createHash } from 'node:crypto';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand, CreateAliasCommand, CreateEventSourceMappingCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, LambdaClient,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { arnOf, clientFor, REGION, type SeededBlock, type Seeder, type SeedTarget } from './seeder';
import { awsName, block, label, q, tagSet } from './hcl-text';
import { seedQueue } from './messaging';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

async function seedUnit(target: SeedTarget, suffix: string): Promise<SeededBlock[]> {
  const lambda = clientFor(LambdaClient, target);
  const n = (prefix: string) => label(prefix, suffix);
  const fnName = awsName('bench-worker', suffix);
  const roleName = awsName('bench-worker-exec', suffix);
  const role = (await clientFor(IAMClient, { ...target, region: REGION }).send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
  // The jobs queue's visibility timeout covers the function's timeout (AWS requires it of a Lambda event source).
  const jobs = await seedQueue(target, n('jobs'), awsName('bench-jobs', suffix), 60);
  const failed = await seedQueue(target, n('failed'), awsName('bench-jobs-failed', suffix));

  // A deterministic deployment package per unit: its SHA-256 is what state records.
  const zip = Buffer.from(`PK\u0003\u0004 bench worker ${suffix}`);
  const sha = createHash('sha256').update(zip).digest('base64');
  const tags = tagSet(fnName);
  const created = await lambda.send(new CreateFunctionCommand({
    FunctionName: fnName, Role: role, Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: zip }, MemorySize: 256, Timeout: 30, Publish: true,
    Environment: { Variables: { QUEUE_URL: jobs.url } }, Tags: tags.live,
  }));
  const fnArn = created.FunctionArn!.replace(/:\d+$/, '');
  const ruleArn = arnOf(target, 'events', `rule/${awsName('bench-nightly', suffix)}`);
  await lambda.send(new CreateAliasCommand({ FunctionName: fnName, Name: 'live', FunctionVersion: '1', Description: 'production' }));
  await lambda.send(new AddPermissionCommand({ FunctionName: fnName, StatementId: 'AllowEventBridge', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: ruleArn }));
  const mapping = (await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fnName, EventSourceArn: jobs.arn, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] }))).UUID!;
  const url = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: fnName, AuthType: 'AWS_IAM' }));
  await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fnName, MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600, DestinationConfig: { OnFailure: { Destination: failed.arn } } }));

  const fnRef = `aws_lambda_function.${n('worker')}`;
  return [
    jobs.block,
    failed.block,
    {
      type: 'aws_lambda_function', name: n('worker'),
      hcl: block('aws_lambda_function', n('worker'), [
        `  function_name    = ${q(fnName)}`, `  role             = ${q(role)}`, '  handler          = "index.handler"', '  runtime          = "nodejs20.x"',
        `  filename         = ${q(`build/${fnName}.zip`)}`, `  source_code_hash = ${q(sha)}`, '  memory_size      = 256', '  timeout          = 30', '  publish          = true', '',
        '  environment {', '    variables = {', `      QUEUE_URL = aws_sqs_queue.${n('jobs')}.id`, '    }', '  }', '', tags.hcl,
      ]),
      attributes: {
        id: fnName, function_name: fnName, arn: fnArn, qualified_arn: `${fnArn}:1`, invoke_arn: `arn:aws:apigateway:${target.region}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
        role, handler: 'index.handler', runtime: 'nodejs20.x', description: '', memory_size: 256, timeout: 30, architectures: ['x86_64'], package_type: 'Zip',
        ephemeral_storage: [{ size: 512 }], tracing_config: [{ mode: 'PassThrough' }], environment: [{ variables: { QUEUE_URL: jobs.url } }], vpc_config: [],
        dead_letter_config: [], kms_key_arn: '', layers: [], reserved_concurrent_executions: -1, code_sha256: sha, source_code_hash: sha, filename: `build/${fnName}.zip`,
        publish: true, version: '1', ...tags.state,
      },
      dependencies: [`aws_sqs_queue.${n('jobs')}`],
    },
    {
      type: 'aws_lambda_alias', name: n('live'),
      hcl: block('aws_lambda_alias', n('live'), ['  name             = "live"', '  description      = "production"', `  function_name    = ${fnRef}.function_name`, `  function_version = ${fnRef}.version`]),
      attributes: { id: `${fnArn}:live`, arn: `${fnArn}:live`, name: 'live', function_name: fnName, function_version: '1', description: 'production', routing_config: [] },
      dependencies: [fnRef],
    },
    {
      type: 'aws_lambda_permission', name: n('events'),
      hcl: block('aws_lambda_permission', n('events'), [
        '  statement_id  = "AllowEventBridge"', '  action        = "lambda:InvokeFunction"', `  function_name = ${fnRef}.function_name`, '  principal     = "events.amazonaws.com"', `  source_arn    = ${q(ruleArn)}`,
      ]),
      attributes: {
        id: 'AllowEventBridge', statement_id: 'AllowEventBridge', statement_id_prefix: '', function_name: fnName, qualifier: '', action: 'lambda:InvokeFunction',
        principal: 'events.amazonaws.com', source_arn: ruleArn, source_account: '', event_source_token: '', principal_org_id: '', function_url_auth_type: '',
      },
      dependencies: [fnRef],
    },
    {
      type: 'aws_lambda_event_source_mapping', name: n('jobs'),
      hcl: block('aws_lambda_event_source_mapping', n('jobs'), [
        `  event_source_arn        = aws_sqs_queue.${n('jobs')}.arn`, `  function_name           = ${fnRef}.arn`, '  batch_size              = 10', '  function_response_types = ["ReportBatchItemFailures"]',
      ]),
      attributes: {
        id: mapping, uuid: mapping, function_name: fnArn, function_arn: fnArn, event_source_arn: jobs.arn, enabled: true, batch_size: 10,
        maximum_batching_window_in_seconds: 0, function_response_types: ['ReportBatchItemFailures'], filter_criteria: [], scaling_config: [],
      },
      dependencies: [fnRef, `aws_sqs_queue.${n('jobs')}`],
    },
    {
      type: 'aws_lambda_function_url', name: n('worker'),
      hcl: block('aws_lambda_function_url', n('worker'), [`  function_name      = ${fnRef}.function_name`, '  authorization_type = "AWS_IAM"']),
      attributes: {
        id: fnName, function_name: fnName, qualifier: '', authorization_type: 'AWS_IAM', invoke_mode: 'BUFFERED', cors: [],
        function_arn: fnArn, function_url: url.FunctionUrl ?? '', url_id: '',
      },
      dependencies: [fnRef],
    },
    {
      type: 'aws_lambda_function_event_invoke_config', name: n('worker'),
      hcl: block('aws_lambda_function_event_invoke_config', n('worker'), [
        `  function_name                = ${fnRef}.function_name`, '  maximum_retry_attempts       = 1', '  maximum_event_age_in_seconds = 3600', '',
        '  destination_config {', '    on_failure {', `      destination = aws_sqs_queue.${n('failed')}.arn`, '    }', '  }',
      ]),
      attributes: {
        id: fnName, function_name: fnName, qualifier: '', maximum_retry_attempts: 1, maximum_event_age_in_seconds: 3600,
        destination_config: [{ on_failure: [{ destination: failed.arn }], on_success: [] }],
      },
      dependencies: [fnRef, `aws_sqs_queue.${n('failed')}`],
    },
  ];
}

export const lambdaSeeder: Seeder = {
  family: 'lambda',
  types: [
    'aws_sqs_queue', 'aws_lambda_function', 'aws_lambda_alias', 'aws_lambda_permission', 'aws_lambda_event_source_mapping', 'aws_lambda_function_url',
    'aws_lambda_function_event_invoke_config',
  ],
  seedUnit,
  lowerBound(byType) {
    const functions = byType.aws_lambda_function ?? 0;
    // A sub-resource listing per function that has one: at most one per function, at least one per function holding any.
    const perFunction = (type: string) => Math.min(functions || Infinity, byType[type] ?? 0);
    return {
      // 50 functions a page (MaxItems).
      'lambda:ListFunctions': Math.ceil(functions / 50),
      // No batch read of a function's reserved concurrency (read for every function: undeclared, Terraform's default -1 still applies).
      'lambda:GetFunctionConcurrency': functions,
      // No batch read of a function's resource policy, aliases, URLs or invoke configs.
      'lambda:GetPolicy': perFunction('aws_lambda_permission'),
      'lambda:ListAliases': perFunction('aws_lambda_alias'),
      'lambda:ListFunctionUrlConfigs': perFunction('aws_lambda_function_url'),
      'lambda:ListFunctionEventInvokeConfigs': perFunction('aws_lambda_function_event_invoke_config'),
      // Every mapping of the region, 100 a page.
      'lambda:ListEventSourceMappings': Math.ceil((byType.aws_lambda_event_source_mapping ?? 0) / 100),
    };
  },
  readActions: [
    'lambda:ListFunctions', 'lambda:GetFunction', 'lambda:GetFunctionConcurrency', 'lambda:GetPolicy', 'lambda:ListAliases', 'lambda:ListFunctionUrlConfigs',
    'lambda:ListFunctionEventInvokeConfigs', 'lambda:ListEventSourceMappings', 'lambda:ListTags',
  ],
};
