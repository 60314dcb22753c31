// `tidemark sandbox`: the only place product code starts the sandbox cloud (see DESIGN.md).
import { runSandboxCli } from '../../../sandbox/src/main';
import type { CliIO } from './io';

export async function run(args: string[], _io: CliIO): Promise<number> {
  return runSandboxCli(args);
}
