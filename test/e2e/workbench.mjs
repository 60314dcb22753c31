// Small helpers for driving the VS Code workbench (code-server) with playwright-core, and for acting
// on the sandbox as other people (carol's console click, bob's CLI approval).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

export const TIMEOUT = 60_000;
export const WS_DIR = process.env.WS_DIR;
export const SHOTS = process.env.SHOTS;
export const ROOT = process.env.TIDEMARK_ROOT;

/**
 * The browser's environment: this one without libfaketime. Under TIDEMARK_E2E_AT the whole Tidemark
 * side runs on a shifted clock (test/support/at-time.sh), but with libfaketime 0.9.10 Chromium's timed
 * waits return at once and it never loads the page; it only renders the UI, so it keeps the real clock.
 */
export function browserEnv(env = process.env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !k.startsWith('FAKETIME')) out[k] = v;
  const preload = (out.LD_PRELOAD ?? '').split(':').filter((lib) => lib && !/libfaketime/.test(lib));
  if (preload.length) out.LD_PRELOAD = preload.join(':');
  else delete out.LD_PRELOAD;
  return out;
}

export async function openWorkbench() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    env: browserEnv(),
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(`${process.env.CS_URL}/?folder=${encodeURIComponent(WS_DIR)}`, { timeout: TIMEOUT });
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: TIMEOUT });
  return { browser, page };
}

export const quickInput = (page) => page.locator('.quick-input-widget .quick-input-box input').first();

export async function runCommand(page, title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = quickInput(page);
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill('>' + title);
  const item = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await item.waitFor({ timeout: TIMEOUT });
  await item.click();
}

/** Picks the row of the open QuickPick whose label contains `label`, checking the title first. */
export async function pickQuick(page, title, label) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: TIMEOUT });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click({ timeout: TIMEOUT });
}

/** Answers the open InputBox titled `title`. */
export async function answerInput(page, title, text) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: TIMEOUT });
  const input = quickInput(page);
  await input.fill(text);
  await input.press('Enter');
}

export async function openFile(page, name) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = quickInput(page);
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click({ timeout: TIMEOUT });
  await page.locator(`.tab.active[aria-label^="${name}"], .tab.active:has-text("${name}")`).first().waitFor({ timeout: TIMEOUT });
}

/** The rendered editor line containing `text` (Monaco renders spaces as U+00A0). */
export function editorLine(page, text) {
  return page.locator('.monaco-editor .view-lines .view-line').filter({ hasText: text.replace(/ /g, '\u00a0') }).first();
}

/** The on-screen box of `locator`, waiting for it: an editor re-rendering its overlays detaches them briefly. */
export async function box(locator) {
  for (let i = 0; i < 40; i++) {
    await locator.waitFor({ timeout: TIMEOUT });
    const b = await locator.boundingBox().catch(() => null);
    if (b) return b;
    await locator.page().waitForTimeout(250);
  }
  throw new Error(`${locator} has no box on screen`);
}

export const lineText = async (line) => (await line.innerText()).replace(/\u00a0/g, ' ');

/** Shows the Tidemark activity-bar container and returns the pane of the named view. */
export async function tidemarkView(page, name) {
  const pane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: name }) }).first();
  if (!(await pane.isVisible().catch(() => false))) await page.locator('.part.activitybar .action-item', { has: page.locator('a[aria-label^="Tidemark"]') }).first().click({ timeout: TIMEOUT });
  await pane.waitFor({ timeout: TIMEOUT });
  const header = pane.locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return pane;
}

/** A tree row of a view pane, by the text it shows. */
export const treeRow = (pane, text) => pane.locator('.monaco-list-row', { hasText: text }).first();

/**
 * Expands a collapsed tree row (clicking the twistie leaves the row's own command alone). A view
 * that re-renders at that moment (the Access view's countdown ticks every second) can swallow a
 * click, so it clicks again until the row says it is expanded.
 */
export async function expand(row) {
  await row.waitFor({ timeout: TIMEOUT });
  for (let i = 0; i < 20 && (await row.getAttribute('aria-expanded')) === 'false'; i++) {
    await row.locator('.monaco-tl-twistie').click();
    await row.page().waitForTimeout(250);
  }
  if ((await row.getAttribute('aria-expanded')) === 'false') throw new Error(`tree row "${await row.innerText()}" does not expand`);
}

export const statusItem = (page, text) => page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
export const notification = (page, text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();

/** Waits for `locator`; on a timeout saves a screenshot `failed-<name>` first, to see what was there. */
export async function see(page, locator, name, options = {}) {
  try {
    await locator.waitFor({ timeout: TIMEOUT, ...options });
  } catch (error) {
    await shot(page, `failed-${name}`).catch(() => {});
    throw error;
  }
}

export async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** A scenario principal's access key, read from the scenario file so no key literal lives in tests. */
export function principal(name) {
  const scenario = require(path.join(ROOT, 'node_modules', 'yaml')).parse(readFileSync(process.env.SANDBOX_SCENARIO, 'utf8'));
  const user = scenario.users.find((u) => u.name === name);
  return { accessKeyId: user.accessKeys[0].id, secretAccessKey: user.accessKeys[0].secret };
}

/** An AWS SDK v3 client of the project's own dependencies, pointed at the sandbox as `name`. */
export function sandboxClient(pkg, className, name) {
  const Client = require(path.join(ROOT, 'node_modules', pkg))[className];
  return new Client({ endpoint: process.env.SANDBOX_ENDPOINT, region: process.env.SANDBOX_REGION, credentials: principal(name) });
}

export function sdk(pkg) {
  return require(path.join(ROOT, 'node_modules', pkg));
}

/** `tidemark <args>` as `name`, run in the workspace like a teammate at their own terminal. */
export async function cliAs(name, ...args) {
  const { accessKeyId, secretAccessKey } = principal(name);
  const env = { ...process.env, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_ENDPOINT_URL: process.env.SANDBOX_ENDPOINT, AWS_REGION: process.env.SANDBOX_REGION, AWS_PROFILE: '', AWS_SESSION_TOKEN: '' };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args], { cwd: WS_DIR, env });
  return stdout;
}

/**
 * Runs `act` (a click that opens a modal confirmation) and presses `button` in the dialog. Trees
 * re-render when broker events arrive, so a click can land on a row that is being replaced and do
 * nothing: the click is repeated (up to three times) until the dialog shows.
 */
export async function confirmAfter(page, act, button) {
  const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: button }).first();
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1 && (await confirm.isVisible())) break; // it came late: do not click again
    await act();
    try {
      await confirm.waitFor({ timeout: attempt < 3 ? 10_000 : TIMEOUT });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  await confirm.click({ timeout: TIMEOUT });
}
