// Small helpers for driving the VS Code workbench (code-server) with playwright-core.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

export const TIMEOUT = 60_000;
export const WS_DIR = process.env.WS_DIR;
export const SHOTS = process.env.SHOTS;

export async function openWorkbench() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(`${process.env.CS_URL}/?folder=${encodeURIComponent(WS_DIR)}`, { timeout: TIMEOUT });
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: TIMEOUT });
  return { browser, page };
}

export async function runCommand(page, title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input').first();
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill('>' + title);
  const item = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await item.waitFor({ timeout: TIMEOUT });
  await item.click();
}

export async function openFile(page, name) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input').first();
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click({ timeout: TIMEOUT });
  await page.locator(`.tab.active[aria-label^="${name}"], .tab.active:has-text("${name}")`).first().waitFor({ timeout: TIMEOUT });
}

export async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}
