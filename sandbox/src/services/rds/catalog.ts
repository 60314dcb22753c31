// What RDS knows about its engines: default versions, ports, parameter group families, and the
// parameters each family's groups carry (a representative subset, with AWS's apply types and
// defaults). A parameter outside the catalogue is refused, as AWS refuses unknown names.

export interface EngineInfo {
  port: number;
  defaultVersion: string;
  /** `postgres16` for version 16.x, `mysql8.0` for 8.0.x. */
  family(version: string): string;
  /** Versions within one major line (AWS upgrades minor versions inside it on its own). */
  major(version: string): string;
  cluster: boolean;
}

const pgMajor = (v: string): string => (Number(v.split('.')[0]) >= 10 ? v.split('.')[0]! : v.split('.').slice(0, 2).join('.'));
const myMajor = (v: string): string => v.split('.').slice(0, 2).join('.');

export const ENGINES: Record<string, EngineInfo> = {
  postgres: { port: 5432, defaultVersion: '16.3', family: (v) => `postgres${pgMajor(v)}`, major: pgMajor, cluster: false },
  mysql: { port: 3306, defaultVersion: '8.0.36', family: (v) => `mysql${myMajor(v)}`, major: myMajor, cluster: false },
  mariadb: { port: 3306, defaultVersion: '10.11.8', family: (v) => `mariadb${myMajor(v)}`, major: myMajor, cluster: false },
  'aurora-postgresql': { port: 5432, defaultVersion: '15.4', family: (v) => `aurora-postgresql${pgMajor(v)}`, major: pgMajor, cluster: true },
  'aurora-mysql': { port: 3306, defaultVersion: '8.0.mysql_aurora.3.05.2', family: () => 'aurora-mysql8.0', major: (v) => v.split('.').slice(0, 2).join('.'), cluster: true },
};

/** Orders dotted versions numerically (`16.10` after `16.9`); non-numeric parts compare as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const c = x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

export interface ParameterInfo {
  applyType: 'static' | 'dynamic';
  dataType: 'string' | 'integer' | 'boolean';
  /** The engine default RDS reports (absent: no value shown). */
  value?: string;
  /** Integer range, or the allowed values. */
  allowed?: [number, number] | string[];
  description: string;
}

const PG: Record<string, ParameterInfo> = {
  max_connections: { applyType: 'static', dataType: 'integer', value: 'LEAST({DBInstanceClassMemory/9531392},5000)', allowed: [6, 262143], description: 'Sets the maximum number of concurrent connections.' },
  log_min_duration_statement: { applyType: 'dynamic', dataType: 'integer', allowed: [-1, 2147483647], description: 'Sets the minimum execution time above which statements will be logged.' },
  log_statement: { applyType: 'dynamic', dataType: 'string', allowed: ['none', 'ddl', 'mod', 'all'], description: 'Sets the type of statements logged.' },
  'rds.force_ssl': { applyType: 'dynamic', dataType: 'boolean', value: '0', allowed: ['0', '1'], description: 'Force SSL connections.' },
  shared_preload_libraries: { applyType: 'static', dataType: 'string', value: 'pg_stat_statements', description: 'Lists shared libraries to preload into server.' },
  work_mem: { applyType: 'dynamic', dataType: 'integer', allowed: [64, 2147483647], description: 'Sets the maximum memory to be used for query workspaces.' },
  timezone: { applyType: 'dynamic', dataType: 'string', value: 'UTC', description: 'Sets the time zone for displaying and interpreting time stamps.' },
};

const MYSQL: Record<string, ParameterInfo> = {
  max_connections: { applyType: 'dynamic', dataType: 'integer', value: '{DBInstanceClassMemory/12582880}', allowed: [1, 100000], description: 'The number of simultaneous client connections allowed.' },
  slow_query_log: { applyType: 'dynamic', dataType: 'boolean', value: '0', allowed: ['0', '1'], description: 'Enable or disable the slow query log.' },
  long_query_time: { applyType: 'dynamic', dataType: 'integer', value: '10', allowed: [0, 31536000], description: 'Defines what MySQL considers long queries.' },
  general_log: { applyType: 'dynamic', dataType: 'boolean', allowed: ['0', '1'], description: 'Enable or disable the general query log.' },
  character_set_server: { applyType: 'dynamic', dataType: 'string', allowed: ['utf8', 'utf8mb4', 'latin1', 'ascii'], description: 'The server\'s default character set.' },
  time_zone: { applyType: 'dynamic', dataType: 'string', description: 'The server time zone.' },
  innodb_buffer_pool_size: { applyType: 'static', dataType: 'integer', value: '{DBInstanceClassMemory*3/4}', allowed: [5242880, 9223372036854775807], description: 'The size in bytes of the buffer pool.' },
  binlog_format: { applyType: 'static', dataType: 'string', value: 'ROW', allowed: ['ROW', 'STATEMENT', 'MIXED', 'OFF'], description: 'Binary logging format.' },
};

/** The parameters a group of `family` carries. */
export function parametersOf(family: string): Record<string, ParameterInfo> | undefined {
  if (/^(aurora-)?postgres/.test(family)) return PG;
  if (/^(aurora-)?mysql|^mariadb/.test(family)) return MYSQL;
  return undefined;
}

/** Checks a value against a parameter's type and range. */
export function parameterValueProblem(name: string, info: ParameterInfo, value: string): string | undefined {
  if (value.startsWith('{') || value.includes('{DBInstanceClass')) return undefined;
  if (info.dataType === 'integer' || Array.isArray(info.allowed) && typeof info.allowed[0] === 'number') {
    const n = Number(value);
    if (!/^-?\d+$/.test(value)) return `Invalid parameter value: ${value} for: ${name} allowed values are: integer`;
    const [lo, hi] = info.allowed as [number, number] | undefined ?? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    if (n < lo || n > hi) return `Invalid parameter value: ${value} for: ${name} allowed values are: ${lo}-${hi}`;
    return undefined;
  }
  if (Array.isArray(info.allowed) && !(info.allowed as string[]).includes(value)) return `Invalid parameter value: ${value} for: ${name} allowed values are: ${(info.allowed as string[]).join(',')}`;
  return undefined;
}
