// Pure: the Terraform module `tidemark events init` writes — per region an EventBridge rule for
// write API calls via CloudTrail, the SQS queue it feeds, the queue policy letting EventBridge
// (from that rule only) send, and a dead-letter queue for messages the watch cannot parse.

/** Region names as AWS spells them (us-east-1, eu-central-2, us-gov-west-1). */
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export function regionError(region: string): string | undefined {
  return REGION.test(region) ? undefined : `'${region}' is not an AWS region name (like us-east-1)`;
}

const label = (region: string) => region.replace(/-/g, '_');

function regionBlocks(region: string): string {
  const l = label(region);
  const p = `aws.${l}`;
  return `# ---- ${region} ----------------------------------------------------------------
provider "aws" {
  alias  = "${l}"
  region = "${region}"
}

resource "aws_sqs_queue" "dlq_${l}" {
  provider                  = ${p}
  name                      = "\${var.name}-dlq"
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "events_${l}" {
  provider                   = ${p}
  name                       = var.name
  visibility_timeout_seconds = 120
  message_retention_seconds  = 345600
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq_${l}.arn
    maxReceiveCount     = 5
  })
}

resource "aws_cloudwatch_event_rule" "writes_${l}" {
  provider    = ${p}
  name        = "\${var.name}-writes"
  description = "Write API calls recorded by CloudTrail, for tidemark watch --queue"
  event_pattern = jsonencode({
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail        = { readOnly = [false] }
  })
}

resource "aws_cloudwatch_event_target" "queue_${l}" {
  provider  = ${p}
  rule      = aws_cloudwatch_event_rule.writes_${l}.name
  target_id = "tidemark-queue"
  arn       = aws_sqs_queue.events_${l}.arn
}

resource "aws_sqs_queue_policy" "events_${l}" {
  provider  = ${p}
  queue_url = aws_sqs_queue.events_${l}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgeRule"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.events_${l}.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.writes_${l}.arn } }
    }]
  })
}

output "queue_url_${l}" {
  description = "tidemark watch --queue <this> (${region})"
  value       = aws_sqs_queue.events_${l}.id
}
`;
}

/** File name → contents. IAM's events arrive in us-east-1, so it is always among the regions. */
export function eventsModule(regions: readonly string[]): Record<string, string> {
  const all = [...new Set(['us-east-1', ...regions])];
  return {
    'main.tf': `# Written by \`tidemark events init\`: review, then terraform apply.
# Requires a CloudTrail trail logging management events (write) in these regions: EventBridge
# receives "AWS API Call via CloudTrail" events only for calls a trail records.

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
  }
}

variable "name" {
  description = "Name of the queue (and prefix of the rule and dead-letter queue)"
  type        = string
  default     = "tidemark-events"
}

${all.map(regionBlocks).join('\n')}`,
  };
}
