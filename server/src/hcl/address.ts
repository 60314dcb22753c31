import type { Attribute, BlockKind } from '../model';

const KINDS: ReadonlySet<string> = new Set([
  'resource', 'data', 'module', 'variable', 'output', 'locals', 'provider', 'terraform', 'import', 'moved', 'check',
]);

export function blockKind(type: string): BlockKind {
  return KINDS.has(type) ? (type as BlockKind) : 'other';
}

/** The address Terraform uses for a top-level block (provider aliases included when literal). */
export function blockAddress(type: string, labels: string[], attributes: Attribute[]): string {
  switch (type) {
    case 'resource':
      return labels.join('.');
    case 'data':
      return ['data', ...labels].join('.');
    case 'module':
      return `module.${labels[0] ?? ''}`;
    case 'variable':
      return `var.${labels[0] ?? ''}`;
    case 'output':
      return `output.${labels[0] ?? ''}`;
    case 'provider': {
      const alias = attributes.find((a) => a.name === 'alias')?.value;
      return typeof alias === 'string' ? `provider.${labels[0]}.${alias}` : `provider.${labels[0] ?? ''}`;
    }
    default:
      return [type, ...labels].join('.');
  }
}
