// `.tidemark/config.yaml`: who is who (ARN → name and groups) and which roles exist.
// The Cedar policy then speaks in groups and role names, never in ARNs.
import { readFileSync } from 'node:fs';
import { isMap, isSeq, YAMLMap } from 'yaml';
import { parseYamlWithPositions } from '../yaml-positions';
import { parseDuration } from './duration';

export interface UserEntry {
  arn: string;
  name: string;
  groups: string[];
}

export interface RoleEntry {
  name: string;
  arn: string;
  /** The role's MaxSessionDuration in IAM; credentials never ask for more. */
  maxSessionSeconds: number;
  /** Free-form label handed to the policy (`resource.environment`). */
  environment: string;
}

export interface AccessConfig {
  users: UserEntry[];
  roles: RoleEntry[];
  /** IANA zone in which `context.hour` / `context.weekday` are computed for working-hours rules. */
  timezone: string;
  /** Default time a request may stay pending; policy annotations may shorten or lengthen it. */
  pendingTimeoutSeconds: number;
}

export class ConfigError extends Error {}

/** Parses config text; errors name `file:line:column` and the field. */
export function parseConfig(text: string, file: string): AccessConfig {
  const { doc, at } = parseYamlWithPositions(text, file, (message) => new ConfigError(message));
  const root = doc.contents;
  if (!isMap(root)) throw new ConfigError(`${file}: expected a mapping with 'users' and 'roles'`);
  const str = (map: YAMLMap, key: string, where: string, required = true): string | undefined => {
    const node = map.get(key, true);
    if (node === undefined) {
      if (required) throw new ConfigError(`${at(map)}: ${where} is missing '${key}'`);
      return undefined;
    }
    const value = (node as { value?: unknown }).value;
    if (typeof value !== 'string' && typeof value !== 'number') throw new ConfigError(`${at(node)}: ${where}.${key} must be a string`);
    return String(value);
  };
  const durationOf = (map: YAMLMap, key: string, where: string, fallback: number): number => {
    const raw = str(map, key, where, false);
    if (raw === undefined) return fallback;
    const seconds = parseDuration(raw);
    if (seconds === undefined || seconds <= 0) throw new ConfigError(`${at(map.get(key, true))}: ${where}.${key} '${raw}' is not a duration like 1h or 90m`);
    return seconds;
  };

  const users: UserEntry[] = [];
  const usersNode = root.get('users', true);
  if (usersNode !== undefined && !isSeq(usersNode)) throw new ConfigError(`${at(usersNode)}: 'users' must be a list`);
  for (const [i, item] of (isSeq(usersNode) ? usersNode.items : []).entries()) {
    if (!isMap(item)) throw new ConfigError(`${at(item)}: users[${i}] must be a mapping with arn, name, groups`);
    const where = `users[${i}]`;
    const arn = str(item, 'arn', where)!;
    if (!/^arn:aws[\w-]*:(iam|sts)::\d{12}:/.test(arn)) throw new ConfigError(`${at(item.get('arn', true))}: ${where}.arn '${arn}' is not an IAM or STS ARN`);
    const groupsNode = item.get('groups', true);
    if (groupsNode !== undefined && !isSeq(groupsNode)) throw new ConfigError(`${at(groupsNode)}: ${where}.groups must be a list`);
    const groups = isSeq(groupsNode) ? groupsNode.items.map((g) => String((g as { value?: unknown }).value)) : [];
    users.push({ arn, name: str(item, 'name', where, false) ?? arn.split('/').pop()!, groups });
  }

  const roles: RoleEntry[] = [];
  const rolesNode = root.get('roles', true);
  if (!isMap(rolesNode)) throw new ConfigError(`${at(rolesNode ?? root)}: 'roles' must be a mapping of role name → { arn, maxSession, environment }`);
  for (const pair of rolesNode.items) {
    const name = String((pair.key as { value?: unknown }).value);
    if (!isMap(pair.value)) throw new ConfigError(`${at(pair.key)}: roles.${name} must be a mapping with arn`);
    const where = `roles.${name}`;
    const arn = str(pair.value, 'arn', where)!;
    if (!/^arn:aws[\w-]*:iam::\d{12}:role\//.test(arn)) throw new ConfigError(`${at(pair.value.get('arn', true))}: ${where}.arn '${arn}' is not an IAM role ARN`);
    roles.push({
      name,
      arn,
      maxSessionSeconds: durationOf(pair.value, 'maxSession', where, 3600),
      environment: str(pair.value, 'environment', where, false) ?? 'production',
    });
  }

  const timezone = str(root, 'timezone', 'config', false) ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ConfigError(`${at(root.get('timezone', true))}: timezone '${timezone}' is not an IANA time zone`);
  }
  return { users, roles, timezone, pendingTimeoutSeconds: durationOf(root, 'pendingTimeout', 'config', 3600) };
}

export function loadConfig(file: string): AccessConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseConfig(text, file);
}

/** A proven ARN → the configured user. Assumed-role sessions match their role ARN + session name too. */
export function userForArn(config: AccessConfig, arn: string): UserEntry {
  const exact = config.users.find((u) => u.arn === arn);
  if (exact) return exact;
  return { arn, name: arn.split('/').pop() ?? arn, groups: [] };
}

export function roleNamed(config: AccessConfig, name: string): RoleEntry | undefined {
  return config.roles.find((r) => r.name === name);
}
