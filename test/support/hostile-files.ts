// Hostile Terraform files, written at test time into a temporary directory (never committed: some
// are megabytes). Each one once crashed, hung or exhausted a parser; with them sits one valid file,
// which must still be indexed and checked.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface HostileFile {
  name: string;
  /** What the one diagnostic for this file must say. */
  expect: RegExp;
}

/** The valid file that sits among the hostile ones; its bucket must still be found. */
export const VALID_FILE = 'ok.tf';
export const VALID_BUCKET = 'tidemark-hostile-ok';

/** Deterministic bytes (xorshift), so a failure reproduces with the same garbage. */
function garbage(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = 0x9e3779b9;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

const HOSTILE: Array<HostileFile & { content: () => string | Buffer }> = [
  {
    name: 'deep-objects.tf',
    expect: /Nesting too deep: more than 256 levels/,
    content: () => `resource "aws_s3_bucket" "deep" {\n  tags = ${'{ a = '.repeat(4000)}1${' }'.repeat(4000)}\n}\n`,
  },
  {
    name: 'deep-dynamic.tf',
    expect: /Nesting too deep/,
    content: () => `resource "aws_security_group" "deep" {\n${'dynamic "x" {\ncontent {\n'.repeat(5000)}${'}\n}\n'.repeat(5000)}}\n`,
  },
  {
    name: 'deep-lists.tf',
    expect: /Nesting too deep/,
    content: () => `locals {\n  x = ${'['.repeat(5000)}1${']'.repeat(5000)}\n}\n`,
  },
  {
    // Templates nest inside a heredoc: the scanner must follow them there.
    name: 'heredoc-templates.tf',
    expect: /Nesting too deep/,
    content: () => `locals {\n  x = <<EOT\n${'${"'.repeat(3000)}x${'"}'.repeat(3000)}\nEOT\n}\n`,
  },
  {
    // No brackets at all, yet HashiCorp's parser recurses once per operator and overflows.
    name: 'deep-unary.tf',
    expect: /HCL parser crashed on this input/,
    content: () => `locals {\n  x = ${'!'.repeat(30_000)}true\n}\n`,
  },
  {
    name: 'too-large.tf',
    expect: /File too large: 3\.0 MiB is above the 2 MiB limit/,
    content: () => `# ${'x'.repeat(1022)}\n`.repeat(3 * 1024),
  },
  {
    name: 'garbage.tf',
    expect: /Invalid character encoding: Terraform files must be UTF-8/,
    content: () => garbage(256 * 1024),
  },
  {
    name: 'nul-bytes.tf',
    expect: /Binary content \(a NUL byte\)/,
    content: () => `locals {\n  x = "a\0b"\n}\n`,
  },
  {
    name: 'many-blocks.tf',
    expect: /Too many blocks: more than 20,000 top-level blocks/,
    content: () => 'locals {}\n'.repeat(25_000),
  },
];

export const HOSTILE_FILES: HostileFile[] = HOSTILE.map(({ name, expect }) => ({ name, expect }));

/**
 * Valid but long: one 100 KB line in one string. Not an error: it must index, and its block be
 * found, within the limits.
 */
export const LONG_LINE_FILE = 'long-line.tf';

/** Writes the hostile files, the long-line file and the valid file into a new temporary directory. */
export function writeHostileWorkspace(prefix = 'tidemark-hostile-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  for (const file of HOSTILE) writeFileSync(path.join(dir, file.name), file.content());
  writeFileSync(path.join(dir, LONG_LINE_FILE), `locals {\n  long = "${'a'.repeat(100_000)}"\n}\n`);
  writeFileSync(path.join(dir, VALID_FILE), `resource "aws_s3_bucket" "ok" {\n  bucket = "${VALID_BUCKET}"\n}\n`);
  return dir;
}
