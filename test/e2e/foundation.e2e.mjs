// The extension in a real VS Code: activates on a .tf file, its server reports syntax errors in the
// editor and the Problems panel, and the outline comes from the server's document symbols.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openWorkbench, openFile, runCommand, shot, TIMEOUT, WS_DIR } from './workbench.mjs';

let browser;
let page;

before(async () => {
  writeFileSync(
    path.join(WS_DIR, 'broken.tf'),
    'resource "aws_s3_bucket" "scratch" {\n  bucket = \n}\n\nresource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n',
  );
  ({ browser, page } = await openWorkbench());
});

after(async () => {
  if (page) await shot(page, 'foundation-final').catch(() => {});
  await browser?.close();
});

test('a syntax error shows as a squiggle and in the Problems panel, from source tidemark', async () => {
  await openFile(page, 'broken.tf');
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: TIMEOUT });
  await runCommand(page, 'View: Focus Problems');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'Invalid expression' }).first();
  await row.waitFor({ timeout: TIMEOUT });
  const text = await row.innerText();
  assert.match(text, /tidemark/);
  assert.match(text, /\[Ln 2, Col 12\]/);
  await shot(page, 'foundation-syntax-error');
});

test('the outline lists the blocks the server indexed, including the one after the error', async () => {
  await openFile(page, 'broken.tf');
  await runCommand(page, 'Explorer: Focus on Outline View');
  const outline = page.locator('.pane', { hasText: 'Outline' });
  await outline.locator('.monaco-list-row', { hasText: 'aws_sqs_queue.jobs' }).first().waitFor({ timeout: TIMEOUT });
  assert.ok(await outline.locator('.monaco-list-row', { hasText: 'aws_s3_bucket.scratch' }).first().isVisible());
});

test('Tidemark: Show Output opens the Tidemark output channel', async () => {
  await runCommand(page, 'Tidemark: Show Output');
  const line = page.locator('.part.panel .view-line', { hasText: 'Tidemark language server started' }).first();
  await line.waitFor({ timeout: TIMEOUT });
  // The extension host stamps the line with its clock: the same clock as this runner's (and the
  // sandbox's and broker's), also when TIDEMARK_E2E_AT moves it; VS Code drops LD_PRELOAD for it.
  const stamp = /(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)/.exec((await line.innerText()).replace(/\u00a0/g, ' '));
  assert.ok(stamp, 'the output line has a time stamp');
  const skewMin = Math.abs(new Date(`${stamp[1]}T${stamp[2]}`).getTime() - Date.now()) / 60_000;
  assert.ok(skewMin < 30, `the extension host's clock (${stamp[1]} ${stamp[2]}) is the test's clock (${new Date().toString()})`);
});
