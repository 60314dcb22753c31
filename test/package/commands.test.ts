// vscode-languageclient registers every command the server advertises (executeCommandProvider) as a
// VS Code command; an id the client also registers makes activation fail ("command already exists").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Commands } from '../../server/src/protocol';

const root = path.resolve(__dirname, '../../..');

function clientRegisteredCommands(dir: string): string[] {
  const ids: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) ids.push(...clientRegisteredCommands(full));
    else if (entry.name.endsWith('.ts')) for (const m of readFileSync(full, 'utf8').matchAll(/registerCommand\(\s*'([^']+)'/g)) ids.push(m[1]);
  }
  return ids;
}

test('server commands never share an id with a client or manifest command', () => {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };
  const client = clientRegisteredCommands(path.join(root, 'client/src'));
  assert.ok(client.includes('tidemark.refresh'), 'the scan finds the client commands');
  const taken = new Set([...client, ...manifest.contributes.commands.map((c) => c.command)]);
  for (const id of Object.values(Commands)) assert.ok(!taken.has(id), `${id} is both a server and a client command`);
});

test('every command the manifest contributes is registered by the client', () => {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };
  const client = new Set(clientRegisteredCommands(path.join(root, 'client/src')));
  const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !client.has(id));
  assert.deepEqual(missing, []);
});
