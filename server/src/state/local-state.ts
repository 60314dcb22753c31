// Finds and reads a local state file: terraform.tfstate, or terraform.tfstate.d/<workspace>/ for
// a non-default workspace (selected by TF_WORKSPACE or .terraform/environment, as Terraform does).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseState, StateError, TerraformState } from './parse-state';

export async function currentWorkspace(root: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (env.TF_WORKSPACE) return env.TF_WORKSPACE;
  try {
    return (await fs.readFile(path.join(root, '.terraform', 'environment'), 'utf8')).trim() || 'default';
  } catch {
    return 'default';
  }
}

export function localStatePath(root: string, workspace: string): string {
  return workspace === 'default' ? path.join(root, 'terraform.tfstate') : path.join(root, 'terraform.tfstate.d', workspace, 'terraform.tfstate');
}

/** Reads the state for the workspace; undefined when there is no state file at all. */
export async function readLocalState(file: string): Promise<TerraformState | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateError(`${file}: cannot read state file (${(error as Error).message})`);
  }
  return parseState(file, text);
}
