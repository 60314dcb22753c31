// Renders a JSON value as HCL source, for "adopt live value" edits and generated import blocks.
// Strings escape `${` and `%{` so a live value is never re-read as an interpolation.

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function hclString(s: string): string {
  const body = s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{');
  return `"${body}"`;
}

function key(k: string): string {
  return IDENT.test(k) ? k : hclString(k);
}

/**
 * `indent` is the column of the line the value starts on; nested lines are indented two spaces
 * deeper and the closing bracket returns to `indent`.
 */
export function renderHcl(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent + 2);
  const close = ' '.repeat(indent);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const scalars = value.every((v) => v === null || typeof v !== 'object');
    if (scalars) {
      const inline = `[${value.map((v) => renderHcl(v)).join(', ')}]`;
      if (inline.length + indent <= 100) return inline;
    }
    return `[\n${value.map((v) => `${pad}${renderHcl(v, indent + 2)},`).join('\n')}\n${close}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const width = Math.max(...entries.map(([k]) => key(k).length));
    return `{\n${entries.map(([k, v]) => `${pad}${key(k).padEnd(width)} = ${renderHcl(v, indent + 2)}`).join('\n')}\n${close}}`;
  }
  return 'null';
}

/** A JSON policy document as `jsonencode({...})`, the idiomatic way to write one in HCL. */
export function renderPolicy(json: string, indent = 0): string {
  try {
    return `jsonencode(${renderHcl(JSON.parse(json), indent)})`;
  } catch {
    return renderHcl(json, indent);
  }
}
