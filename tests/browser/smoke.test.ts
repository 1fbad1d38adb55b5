// Opens the built page in Chromium the way a person would and waits for the
// first program's verdict to appear.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, resultsDir, serveSite, type StaticSite, type TestBrowser } from './harness';

let site: StaticSite;
let chromium: TestBrowser;

beforeAll(async () => {
  site = await serveSite();
  chromium = await launchBrowser();
});

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

// The page loads the WASM engine in a worker and renders the first verdict as text.
it('shows the first article program verdict', async () => {
  const page = await chromium.context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) pageErrors.push(`HTTP ${response.status()} ${response.url()}`);
  });

  await page.goto(site.url);
  const first = page.locator('[data-scenario-id]').first();
  await first.locator('.verdict').waitFor({ timeout: 30_000 });

  expect(await first.getAttribute('data-state')).toBe('done');
  expect(await first.locator('.verdict').textContent()).toMatch(/^(Runs: ok|Raises \w+)/);
  await expect.poll(() => page.locator('#engine-version').textContent()).toMatch(/^\d+\.\d+/);
  expect(pageErrors).toEqual([]);

  mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: path.join(resultsDir, 'smoke.png'), fullPage: true });
});
