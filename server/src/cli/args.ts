import { CliError } from './io';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * Parses `--name value`, `--name=value` and boolean `--flag` options.
 * `booleans` lists flags that never take a value; everything after `--` is positional.
 */
export function parseArgs(args: string[], known: { booleans?: string[]; values?: string[] }): ParsedArgs {
  const booleans = new Set(known.booleans ?? []);
  const values = new Set(known.values ?? []);
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (booleans.has(name)) {
      if (eq >= 0) throw new CliError(`option --${name} takes no value`);
      flags.set(name, true);
    } else if (values.has(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new CliError(`option --${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new CliError(`unknown option --${name}`);
    }
  }
  return { positional, flags };
}

export function flagString(parsed: ParsedArgs, name: string): string | undefined {
  const v = parsed.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}
