// Root-module input variables, resolved as Terraform resolves them. Later sources win:
//   TF_VAR_* environment variables < terraform.tfvars < terraform.tfvars.json
//   < *.auto.tfvars / *.auto.tfvars.json (lexical order of file names) < -var / -var-file (command-line order)
// String-form values (TF_VAR_*, -var) are taken literally for string, number and bool variables (and
// for variables without a type) and parsed as HCL for every other type; every value is then
// converted to the declared type. A value Terraform would reject makes the variable unknown and is
// reported, naming where it came from: never a guess.
import path from 'node:path';
import type { Attribute, Range } from '../model';
import { evaluateSource, Scope } from './expr-eval';
import { ExprSyntaxError, parseExpression } from './expr-parse';
import { convertValue, describeType, parsesAsHcl, TypeConstraintError, VarType } from './variable-types';
import { firstUnknown, fromJson, Unknown, Value } from './values';

export interface VariableDeclaration {
  name: string;
  /** Undefined when the block has no `type` (any value, string-form values taken literally). */
  type?: VarType;
  /** Undefined when there is no default (the variable is required). */
  default?: Value;
  /** `nullable = false`: a null value means the default. */
  nullable: boolean;
  file: string;
  range: Range;
}

/** One place a value can come from, already in Terraform's order of precedence (last wins). */
export type VariableSource =
  | { kind: 'env'; name: string; raw: string }
  | { kind: 'cli'; name: string; raw: string }
  | { kind: 'hcl-file'; file: string; attributes: Attribute[] }
  | { kind: 'json-file'; file: string; text: string };

/** What a root module gets from outside its `.tf` files. */
export interface VariableInputs {
  /** TF_VAR_<name> values (name without the prefix). */
  env?: Record<string, string>;
  /** terraform.tfvars.json and *.auto.tfvars.json of the root module (the HCL index does not read JSON). */
  jsonFiles?: Array<{ file: string; text: string }>;
  /** -var NAME=VALUE and -var-file FILE, in command-line order. */
  cli?: Array<{ kind: 'var'; name: string; raw: string } | { kind: 'hcl-file'; file: string; attributes: Attribute[] } | { kind: 'json-file'; file: string; text: string }>;
}

export interface VariableProblem {
  /** The variable the value was meant for, when known. */
  variable?: string;
  file?: string;
  range?: Range;
  message: string;
}

const NO_REFERENCES: Scope = {
  variable: (n) => new Unknown(`var.${n}: variables may not be used here`),
  local: (n) => new Unknown(`local.${n}: local values may not be used here`),
  resource: (t, n) => new Unknown(`${t}.${n}: references may not be used here`),
};

/** hcl2json writes anything that is not a literal as a `${…}` template string. */
function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return /\$\{|%\{/.test(v);
  if (Array.isArray(v)) return v.some(hasTemplate);
  if (v && typeof v === 'object') return Object.values(v).some(hasTemplate);
  return false;
}

export function isAutoloadedVarFile(file: string): boolean {
  const base = path.basename(file);
  return base === 'terraform.tfvars' || base === 'terraform.tfvars.json' || base.endsWith('.auto.tfvars') || base.endsWith('.auto.tfvars.json');
}

/** terraform.tfvars, then terraform.tfvars.json, then *.auto.tfvars(.json) by file name. */
function autoloadRank(file: string): [number, string] {
  const base = path.basename(file);
  if (base === 'terraform.tfvars') return [0, base];
  if (base === 'terraform.tfvars.json') return [1, base];
  return [2, base];
}

/** The value sources in precedence order, lowest first. */
export function orderSources(inputs: VariableInputs, hclVarFiles: Array<{ file: string; attributes: Attribute[] }>): VariableSource[] {
  const env: VariableSource[] = Object.entries(inputs.env ?? {}).map(([name, raw]) => ({ kind: 'env', name, raw }));
  const files: VariableSource[] = [
    ...hclVarFiles.filter((f) => isAutoloadedVarFile(f.file)).map((f) => ({ kind: 'hcl-file' as const, file: f.file, attributes: f.attributes })),
    ...(inputs.jsonFiles ?? []).filter((f) => isAutoloadedVarFile(f.file)).map((f) => ({ kind: 'json-file' as const, file: f.file, text: f.text })),
  ].sort((a, b) => {
    const [ra, na] = autoloadRank(a.file);
    const [rb, nb] = autoloadRank(b.file);
    return ra - rb || (na < nb ? -1 : na > nb ? 1 : 0);
  });
  const cli: VariableSource[] = (inputs.cli ?? []).map((c) => (c.kind === 'var' ? { kind: 'cli', name: c.name, raw: c.raw } : c));
  return [...env, ...files, ...cli];
}

/** A string-form value (TF_VAR_*, -var) as Terraform reads it for this declaration. */
function parseStringForm(raw: string, decl: VariableDeclaration, origin: string): { value: Value; problem?: string } {
  if (!parsesAsHcl(decl.type)) return { value: raw };
  try {
    parseExpression(raw);
  } catch (error) {
    if (error instanceof ExprSyntaxError) {
      const why = `${origin} is not a valid value for var.${decl.name} of type ${describeType(decl.type as VarType)}: ${error.message}`;
      return { value: new Unknown(why), problem: why };
    }
    throw error;
  }
  const value = evaluateSource(raw, NO_REFERENCES);
  const u = firstUnknown(value);
  if (u) {
    const why = `${origin} is not a constant value for var.${decl.name}: ${u.reason}`;
    return { value: new Unknown(why), problem: why };
  }
  return { value };
}

export function resolveVariables(declarations: VariableDeclaration[], sources: VariableSource[]): { values: Map<string, Value>; problems: VariableProblem[] } {
  const problems: VariableProblem[] = [];
  const declared = new Map(declarations.map((d) => [d.name, d]));
  const values = new Map<string, Value>();

  const typed = (decl: VariableDeclaration, v: Value, origin: string, at?: { file?: string; range?: Range }): Value => {
    if (!decl.type) return v;
    try {
      return convertValue(v, decl.type, `var.${decl.name}`);
    } catch (error) {
      if (!(error instanceof TypeConstraintError)) throw error;
      const why = `${origin}: invalid value for var.${decl.name}: ${error.message}`;
      problems.push({ variable: decl.name, ...at, message: why });
      return new Unknown(why);
    }
  };

  const defaults = new Map<string, Value>();
  for (const decl of declarations) {
    if (decl.default === undefined) values.set(decl.name, new Unknown(`var.${decl.name} has no default and no value from TF_VAR_${decl.name}, terraform.tfvars, *.auto.tfvars or -var`));
    else {
      defaults.set(decl.name, typed(decl, decl.default, `default of var.${decl.name}`, { file: decl.file, range: decl.range }));
      values.set(decl.name, defaults.get(decl.name) as Value);
    }
  }
  // With nullable = false, Terraform uses the default in place of a null value.
  const assign = (decl: VariableDeclaration, v: Value): void => {
    values.set(decl.name, v === null && !decl.nullable && defaults.has(decl.name) ? (defaults.get(decl.name) as Value) : v);
  };

  for (const source of sources) {
    switch (source.kind) {
      case 'env':
      case 'cli': {
        const decl = declared.get(source.name);
        if (!decl) {
          // Terraform ignores TF_VAR_ for undeclared variables but rejects -var for them.
          if (source.kind === 'cli') problems.push({ variable: source.name, message: `-var ${source.name}=…: the root module does not declare a variable named "${source.name}"` });
          continue;
        }
        const origin = source.kind === 'env' ? `environment variable TF_VAR_${source.name}` : `-var ${source.name}=…`;
        const parsed = parseStringForm(source.raw, decl, origin);
        if (parsed.problem) {
          problems.push({ variable: decl.name, message: parsed.problem });
          values.set(decl.name, parsed.value);
        } else assign(decl, typed(decl, parsed.value, origin));
        break;
      }
      case 'hcl-file':
        for (const a of source.attributes) {
          const decl = declared.get(a.name);
          if (!decl) continue;
          const origin = `${path.basename(source.file)}:${a.range.start.line + 1}`;
          const v = a.value !== undefined && !hasTemplate(a.value) ? fromJson(a.value) : evaluateSource(a.expression, NO_REFERENCES);
          const u = firstUnknown(v);
          if (u) {
            const why = `${origin}: the value of ${a.name} is not a constant (${u.reason})`;
            problems.push({ variable: decl.name, file: source.file, range: a.range, message: why });
            values.set(decl.name, new Unknown(why));
            continue;
          }
          assign(decl, typed(decl, v, origin, { file: source.file, range: a.range }));
        }
        break;
      case 'json-file': {
        let parsed: unknown;
        try {
          parsed = JSON.parse(source.text);
        } catch (error) {
          problems.push({ file: source.file, message: `${path.basename(source.file)}: not valid JSON (${(error as Error).message}); its values are not used` });
          // Which variables it meant to set is not knowable: every declared variable becomes unknown.
          for (const decl of declarations) values.set(decl.name, new Unknown(`${path.basename(source.file)} is not valid JSON`));
          break;
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          problems.push({ file: source.file, message: `${path.basename(source.file)}: must hold one JSON object of variable values` });
          break;
        }
        for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
          const decl = declared.get(name);
          if (decl) assign(decl, typed(decl, fromJson(raw), `${path.basename(source.file)} (${name})`, { file: source.file }));
        }
        break;
      }
    }
  }
  return { values, problems };
}

/**
 * A child module's variable as Terraform binds it: the module call's argument, else the
 * variable's default (also for a null argument when `nullable = false`), converted to the
 * declared type. A required variable the call does not set, or a value the type rejects, is
 * unknown: Terraform would stop there, so nothing may be compared against it.
 */
export function bindModuleArgument(decl: VariableDeclaration, argument: Value | undefined, modulePath: string): Value {
  let value = argument;
  if (value === undefined || (value === null && !decl.nullable)) value = decl.default;
  if (value === undefined) return new Unknown(`var.${decl.name} of ${modulePath} is required, and the module call does not set it`);
  if (!decl.type || firstUnknown(value)) return value;
  try {
    return convertValue(value, decl.type, `var.${decl.name}`);
  } catch (error) {
    if (!(error instanceof TypeConstraintError)) throw error;
    return new Unknown(`${modulePath}: invalid value for var.${decl.name}: ${error.message}`);
  }
}
