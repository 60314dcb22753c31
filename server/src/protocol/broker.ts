// The broker's operations as the client sees them: the same typed table the HTTP broker, the CLI and the
// language server dispatch (access/operations.ts), re-exported type-only so the client never restates them.
export type { BrokerApi, OperationName, OperationParams, OperationResult } from '../access/operations';
export type { BrokerEvent, GrantRequestInput, GrantTimeline, Principal, TimelineEntry } from '../access/broker';
export type { CommandInput } from '../access/session-log';
export type { AccessCredentials } from '../access/cloud';

/**
 * `tidemark/awsCliWrapper` (request): the folder to put first on a grant terminal's PATH so that the
 * `aws` CLI reaches the configured endpoint even when it is too old to read AWS_ENDPOINT_URL (aws CLI
 * before v2.13 / v1.29). The server writes and owns the wrapper; no folder when none is needed.
 */
export const AwsCliWrapperRequest = 'tidemark/awsCliWrapper';
export interface AwsCliWrapperParams {
  endpoint?: string;
}
export interface AwsCliWrapperResult {
  dir?: string;
}
