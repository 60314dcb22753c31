// The S3 backend: `terraform { backend "s3" { bucket, key, region, workspace_key_prefix } }`.
// Backend blocks cannot use variables, so only literal values are accepted.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { HclFile } from '../model';
import type { CallGate } from '../cloud/call-gate';
import { AwsCallError } from '../cloud/errors';
import { parseState, StateError, TerraformState } from './parse-state';

export interface S3Backend {
  bucket: string;
  key: string;
  region?: string;
  workspaceKeyPrefix: string;
  /** Where the block is, for messages: `main.tf:3`. */
  where: string;
}

export function findS3Backend(files: HclFile[]): S3Backend | undefined {
  for (const f of files) {
    for (const b of f.blocks) {
      if (b.kind !== 'terraform') continue;
      const backend = b.blocks.find((x) => x.type === 'backend' && x.labels[0] === 's3');
      if (!backend) continue;
      const where = `${f.file}:${backend.range.start.line + 1}`;
      const get = (name: string): string | undefined => {
        const attr = backend.attributes.find((a) => a.name === name);
        if (!attr) return undefined;
        if (typeof attr.value !== 'string' || attr.value.includes('${')) throw new StateError(`${where}: backend "s3" ${name} must be a literal string`);
        return attr.value;
      };
      const bucket = get('bucket');
      const key = get('key');
      if (!bucket || !key) throw new StateError(`${where}: backend "s3" needs bucket and key (partial backend configuration is not supported; pass --state instead)`);
      return { bucket, key, region: get('region'), workspaceKeyPrefix: get('workspace_key_prefix') ?? 'env:', where };
    }
  }
  return undefined;
}

/** The object key Terraform uses for a workspace: `key` for default, `<prefix>/<workspace>/<key>` otherwise. */
export function stateKey(backend: S3Backend, workspace: string): string {
  return workspace === 'default' ? backend.key : `${backend.workspaceKeyPrefix}/${workspace}/${backend.key}`;
}

/** Reads the state object; undefined when the object does not exist yet (nothing applied). */
export async function readS3State(backend: S3Backend, workspace: string, s3: S3Client, gate: CallGate): Promise<TerraformState | undefined> {
  const key = stateKey(backend, workspace);
  const source = `s3://${backend.bucket}/${key}`;
  try {
    const out = await gate.call('s3:GetObject', () => s3.send(new GetObjectCommand({ Bucket: backend.bucket, Key: key })));
    const text = await out.Body?.transformToString('utf8');
    if (text === undefined) throw new StateError(`${source}: empty response`);
    return parseState(source, text);
  } catch (error) {
    if (error instanceof StateError) throw error;
    const code = error instanceof AwsCallError ? error.failure.code : undefined;
    if (code === 'NoSuchKey') return undefined;
    const detail = error instanceof AwsCallError ? `${error.failure.code}: ${error.failure.message}` : String(error);
    throw new StateError(`${source} (backend at ${backend.where}): cannot read state: ${detail}`);
  }
}
