// Drift in a real VS Code: carol changes the worker's instance type by hand (like a console click),
// the user refreshes, and sees it where they work: the status bar count, the Drift view (click
// reveals the attribute), a squiggle on exactly that attribute, a hover with declared vs live, and
// the "Adopt live value" quick fix writing the live value where it is set (terraform.tfvars).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openWorkbench, openFile, runCommand, shot, TIMEOUT, editorLine, lineText, tidemarkView, treeRow, statusItem, sandboxClient, sdk, see, box, pickQuick, answerInput, notification, cliAs, quickInput } from './workbench.mjs';

let browser;
let page;
// A drift is a warning, or an error when policy says so; either way one squiggle.
const SQUIGGLE = '.monaco-editor .view-overlays :is(.squiggly-warning, .squiggly-error)';
const ATTRIBUTE_LINE = 'instance_type          = var.worker_instance_type';

/**
 * Puts the cursor on the drift squiggle and opens the Quick Fix menu (Ctrl+.). The server publishes
 * a drift first and who made it next, then has the editor pull its lenses again: the lens line over
 * the block ("1 attribute drifted · refresh") can appear only now, moving the lines below it, which
 * sent a click measured before to the line above or closed the menu as it opened. So this waits for
 * the lens, and places the cursor with Go to Line, which no layout change can redirect.
 */
async function openQuickFixes() {
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  await page.locator('.monaco-editor .codelens-decoration', { hasText: '1 attribute drifted' }).first().waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Control+G');
  const input = quickInput(page);
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill(':21:5');
  await input.press('Enter');
  await statusItem(page, /^Ln 21, Col 5$/).waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Control+.');
}

before(async () => {
  const { DescribeInstancesCommand, StopInstancesCommand, ModifyInstanceAttributeCommand, StartInstancesCommand } = sdk('@aws-sdk/client-ec2');
  const ec2 = sandboxClient('@aws-sdk/client-ec2', 'EC2Client', 'carol');
  const found = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['tidemark-demo-worker'] }] }));
  const worker = found.Reservations?.[0]?.Instances?.[0];
  assert.ok(worker?.InstanceId, 'the sandbox has the demo worker instance');
  await ec2.send(new StopInstancesCommand({ InstanceIds: [worker.InstanceId] }));
  await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: worker.InstanceId, InstanceType: { Value: 't3.large' } }));
  await ec2.send(new StartInstancesCommand({ InstanceIds: [worker.InstanceId] }));
  ({ browser, page } = await openWorkbench());
});

after(async () => {
  if (page) await shot(page, 'drift-final').catch(() => {});
  await browser?.close();
});

test('after Tidemark: Refresh Live State the status bar counts the drift', async () => {
  await openFile(page, 'compute.tf');
  await runCommand(page, 'Tidemark: Refresh Live State');
  const item = statusItem(page, 'Drift');
  await item.waitFor({ timeout: TIMEOUT });
  assert.match(await item.innerText(), /Drift\s*1$/);
});

test('the Drift view lists the resource with counts, and clicking it reveals the exact range', async () => {
  const pane = await tidemarkView(page, 'Drift');
  const group = treeRow(pane, 'compute.tf');
  await group.waitFor({ timeout: TIMEOUT });
  assert.match(await group.innerText(), /1 changed/);
  // The attribute first, then the change, then the resource: readable at the default sidebar width.
  const row = treeRow(pane, 'aws_instance.worker');
  await row.waitFor({ timeout: TIMEOUT });
  assert.match(await row.innerText(), /instance_type\s*"t3\.small" → "t3\.large" · aws_instance\.worker/);
  await shot(page, 'drift-view');
  await openFile(page, 'variables.tf'); // somewhere else first, so the reveal has to move the editor
  await row.click();
  await page.locator('.tab.active', { hasText: 'compute.tf' }).waitFor({ timeout: TIMEOUT });
  // The selection is the drifted attribute on line 21: the status bar shows the cursor at its end.
  const position = statusItem(page, /Ln 21, Col \d+ \(\d+ selected\)/);
  await position.waitFor({ timeout: TIMEOUT });
  const selected = page.locator('.monaco-editor .selected-text').first();
  const [sel, line] = [await box(selected), await box(editorLine(page, ATTRIBUTE_LINE))];
  assert.ok(Math.abs(sel.y - line.y) < 2, 'the selection is on the instance_type line of aws_instance.worker');
});

test('a squiggle sits on the drifted attribute and its hover shows declared vs live', async () => {
  await openFile(page, 'compute.tf');
  const line = editorLine(page, ATTRIBUTE_LINE);
  await line.waitFor({ timeout: TIMEOUT });
  const squiggle = page.locator(SQUIGGLE).first();
  await squiggle.waitFor({ timeout: TIMEOUT });
  const [s, l] = [await box(squiggle), await box(line)];
  assert.ok(Math.abs(s.y - l.y) < 2, `the squiggle is on the worker's instance_type line (squiggle y ${s.y}, line y ${l.y})`);
  assert.equal(await page.locator(SQUIGGLE).count(), 1, 'exactly one drift squiggle');
  await page.mouse.move(s.x + Math.min(20, s.width / 2), s.y + s.height / 2);
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Live:' }).first();
  await hover.waitFor({ timeout: TIMEOUT });
  const text = await hover.innerText();
  assert.match(text, /aws_instance\.worker/);
  assert.match(text, /Declared[\s\S]*"t3\.small"[\s\S]*Live:[\s\S]*"t3\.large"/);
  // Who changed it: carol's ModifyInstanceAttribute, found in CloudTrail, outside any grant.
  assert.match(text, /changed by carol\b[\s\S]*outside any Tidemark grant/);
  await shot(page, 'drift-hover');
});

test('"Request access to revert this" in the quick-fix menu opens the request flow with the drift\'s resource as its scope', async () => {
  await openQuickFixes();
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Request access to revert this (aws_instance.worker)' }).first();
  await see(page, fix, 'quick-fix-request-access');
  await fix.click();
  // The server built the scope; every step of the Access view's request flow names it.
  await pickQuick(page, 'Request access (1/4): role — scope: aws_instance.worker', 'prod-operator');
  await pickQuick(page, 'Request access (2/4): prod-operator for how long? — scope: aws_instance.worker', '30m');
  await answerInput(page, 'Request access (3/4)', 'e2e: revert the worker');
  await answerInput(page, 'Request access (4/4)', 'OPS-44');
  await notification(page, 'requested prod-operator for 30m').waitFor({ timeout: TIMEOUT });
  await shot(page, 'drift-request-access');
  // The approver sees exactly that scope.
  const listed = await cliAs('bob', 'grants');
  const id = /^(g-\w+):\n\s+scope: 1 resource\n\s+aws_instance\.worker\s+arn:aws:ec2:\S+:instance\/i-\w+/m.exec(listed)?.[1];
  assert.ok(id, listed);
  await cliAs('bob', 'deny', id, '--comment', 'e2e: not needed');
  await page.keyboard.press('Escape');
});

test('the "Adopt live value" quick fix writes terraform.tfvars and the squiggle goes away', async () => {
  // The cursor on the squiggle, then the Quick Fix menu (Ctrl+.) lists the drift's fixes.
  await openQuickFixes();
  // The value is written in terraform.tfvars (instance_type = var.worker_instance_type): Adopt edits it there.
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Adopt live value of instance_type in terraform.tfvars' }).first();
  await see(page, fix, 'quick-fix-menu');
  await shot(page, 'drift-quick-fix');
  await fix.click();
  await page.locator(SQUIGGLE).first().waitFor({ state: 'detached', timeout: TIMEOUT });
  // The reference in compute.tf stays as written.
  assert.equal((await lineText(editorLine(page, 'instance_type          = var.worker_instance_type'))).trim(), 'instance_type          = var.worker_instance_type');
  // No drift left: the status bar has nothing to say about drift and hides its item.
  // (The same locator found the item in the first test, so it cannot pass vacuously.)
  await see(page, statusItem(page, 'Drift'), 'drift-status-hidden', { state: 'detached' });
  await shot(page, 'drift-adopted');
});
