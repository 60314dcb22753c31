// Which state a root module uses: an explicit file, else the S3 backend its `terraform` block
// declares, else the local file for the current workspace. Undefined means "no state anywhere".
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { HclFile } from '../model';
import type { CallGate } from '../cloud/call-gate';
import { currentWorkspace, localStatePath, readLocalState } from './local-state';
import { StateError, TerraformState } from './parse-state';
import { findS3Backend, readS3State, S3Backend, stateKey } from './s3-backend';

export interface StateRequest {
  root: string;
  files: HclFile[];
  env: NodeJS.ProcessEnv;
  /** `--state <file>`: wins over everything. */
  statePath?: string;
  workspace?: string;
  /** Gives an S3 client for the backend's region, only when a backend is declared. */
  s3For?: (backend: S3Backend) => Promise<{ s3: S3Client; gate: CallGate }>;
}

export interface ResolvedState {
  state?: TerraformState;
  /** Where Tidemark looked, for messages: `terraform.tfstate`, `s3://bucket/key`. */
  looked: string;
}

export async function resolveState(req: StateRequest): Promise<ResolvedState> {
  if (req.statePath) {
    const file = path.resolve(req.root, req.statePath);
    const state = await readLocalState(file);
    if (!state) throw new StateError(`${req.statePath}: state file not found`);
    return { state, looked: file };
  }
  const workspace = req.workspace ?? (await currentWorkspace(req.root, req.env));
  const backend = findS3Backend(req.files);
  if (backend) {
    if (!req.s3For) throw new StateError(`${backend.where}: the S3 backend needs AWS access to read state`);
    const { s3, gate } = await req.s3For(backend);
    const state = await readS3State(backend, workspace, s3, gate);
    return { state, looked: `s3://${backend.bucket}/${stateKey(backend, workspace)}` };
  }
  const file = localStatePath(req.root, workspace);
  return { state: await readLocalState(file), looked: file };
}
