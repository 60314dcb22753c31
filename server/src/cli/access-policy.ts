// tidemark policy test [--policy FILE] [--config FILE] [--tests FILE]: runs the table of policy cases.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../access/config';
import { compilePolicy, PolicyError } from '../access/policy';
import { parsePolicyTests, PolicyTestFileError, runPolicyTests } from '../access/policy-tests';
import { accessPaths, findWorkspace } from '../access/paths';
import { flagString, parseArgs } from './args';
import { CliCommand, CliError } from './io';

const USAGE = `usage: tidemark policy test [--policy FILE] [--config FILE] [--tests FILE] [--json]
  evaluates .tidemark/policy.cedar against the cases in .tidemark/policy-tests.yaml;
  exit code 1 when a case fails or the policy does not parse/validate (errors name line:column)`;

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export const run: CliCommand = async (args, io) => {
  const parsed = parseArgs(args, { booleans: ['json', 'help'], values: ['policy', 'config', 'tests', 'workspace'] });
  if (parsed.flags.has('help') || parsed.positional[0] !== 'test') {
    io.out(USAGE);
    return parsed.flags.has('help') ? 0 : 1;
  }
  const root = flagString(parsed, 'workspace') ?? findWorkspace(io.cwd) ?? io.cwd;
  const defaults = accessPaths(path.resolve(io.cwd, root));
  const rel = (f: string) => path.relative(io.cwd, f) || f;
  const policyFile = rel(path.resolve(io.cwd, flagString(parsed, 'policy') ?? defaults.policy));
  const configFile = rel(path.resolve(io.cwd, flagString(parsed, 'config') ?? defaults.config));
  const testsFile = rel(path.resolve(io.cwd, flagString(parsed, 'tests') ?? defaults.tests));
  let results;
  try {
    const config = loadConfig(path.resolve(io.cwd, configFile));
    const policy = compilePolicy(readText(path.resolve(io.cwd, policyFile)), policyFile);
    const cases = parsePolicyTests(readText(path.resolve(io.cwd, testsFile)), testsFile, config);
    results = runPolicyTests(config, policy, cases);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PolicyTestFileError) throw new CliError(error.message.replace(path.resolve(io.cwd, configFile), configFile));
    if (error instanceof PolicyError) throw new CliError(`policy does not compile:\n${error.message}`);
    throw error;
  }
  const failed = results.filter((r) => !r.passed);
  if (parsed.flags.has('json')) {
    io.out(JSON.stringify({ passed: results.length - failed.length, failed: failed.length, results }, null, 2));
  } else {
    for (const r of results) {
      const why = r.determining.length ? ` [${r.determining.join(', ')}]` : '';
      io.out(r.passed ? `ok    ${r.name} (${r.actual})${why}` : `FAIL  ${r.name}: expected ${r.expected}, got ${r.actual}${why} at ${r.where}`);
      for (const e of r.errors) io.out(`      policy error: ${e}`);
    }
    io.out(`${results.length - failed.length} passed, ${failed.length} failed`);
  }
  return failed.length ? 1 : 0;
};
