// Loads policy and config from the repository and keeps the last good pair: a broken edit is
// reported (file:line:column) but never takes the broker down or opens access.
import { statSync, readFileSync } from 'node:fs';
import { AccessConfig, ConfigError, loadConfig } from './config';
import { CompiledPolicy, compilePolicy, PolicyError } from './policy';

export interface PolicyState {
  policy: CompiledPolicy;
  config: AccessConfig;
}

export class PolicySource {
  private state: PolicyState;
  private stamp: string;
  /** Problem with the files on disk right now (the broker is running on the last good state). */
  problem: string | undefined;

  /** Throws on first load: a broker never starts without a valid policy. */
  constructor(readonly policyFile: string, readonly configFile: string, private readonly onProblem: (message: string) => void = () => undefined) {
    this.state = this.read();
    this.stamp = this.currentStamp();
  }

  private currentStamp(): string {
    const s = (f: string) => { try { const st = statSync(f); return `${st.mtimeMs}:${st.size}`; } catch { return 'missing'; } };
    return `${s(this.policyFile)}|${s(this.configFile)}`;
  }

  private read(): PolicyState {
    const config = loadConfig(this.configFile);
    let text: string;
    try {
      text = readFileSync(this.policyFile, 'utf8');
    } catch (error) {
      throw new ConfigError(`${this.policyFile}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    return { config, policy: compilePolicy(text, this.policyFile) };
  }

  /** The policy to decide with: reloaded when the files changed, else the last good one. */
  current(): PolicyState {
    const stamp = this.currentStamp();
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      try {
        this.state = this.read();
        this.problem = undefined;
      } catch (error) {
        if (!(error instanceof PolicyError || error instanceof ConfigError)) throw error;
        this.problem = `${error.message} (keeping the last good policy)`;
        this.onProblem(this.problem);
      }
    }
    return this.state;
  }
}

/** A fixed policy (tests, and `policy test` which must fail loudly instead of falling back). */
export function fixedPolicy(state: PolicyState): Pick<PolicySource, 'current'> {
  return { current: () => state };
}
