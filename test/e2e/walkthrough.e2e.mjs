// The walkthrough in a real VS Code: "Try Tidemark on the sandbox" is listed with its steps, and
// its first step starts the bundled sandbox cloud in a terminal with the editor's own Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openWorkbench, runCommand, shot, see, TIMEOUT } from './workbench.mjs';

let browser;
let page;

before(async () => {
  ({ browser, page } = await openWorkbench());
});

after(async () => {
  if (page) await shot(page, 'walkthrough-final').catch(() => {});
  await browser?.close();
});

test('the walkthrough lists its steps, and "Start the sandbox" runs the sandbox cloud in a terminal', async () => {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Try Tidemark on the sandbox' }).first().click({ timeout: TIMEOUT });
  const walkthrough = page.locator('.gettingStartedContainer').first();
  await see(page, walkthrough.getByText('Try Tidemark on the sandbox').first(), 'walkthrough');
  for (const step of ['Start the sandbox cloud', 'Open the demo project', 'See a drift', 'Request and approve a grant', 'Watch the revert']) {
    assert.ok(await walkthrough.getByText(step, { exact: true }).first().isVisible(), `step "${step}" is shown`);
  }
  await shot(page, 'walkthrough');
  await walkthrough.getByRole('button', { name: 'Start the sandbox', exact: true }).first().click({ timeout: TIMEOUT });
  await see(page, page.locator('.part.panel').getByText('Tidemark sandbox').first(), 'sandbox-terminal');
  await see(page, page.locator('.part.panel .terminal-wrapper.active', { hasText: `listening on http://127.0.0.1:${process.env.WALKTHROUGH_PORT ?? 4510}` }).first(), 'sandbox-listening');
  await shot(page, 'walkthrough-sandbox');
});
