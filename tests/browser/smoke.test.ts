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
it('shows the article programs\' verdicts as text', async () => {
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
  // a01 runs in real Keras: the output takes the query's 32 steps.
  expect(await first.locator('.verdict').textContent()).toBe('Runs: ok');
  expect(await first.locator('.variables').textContent()).toContain('attention_output: shape (1, 32, 2) float32');
  // a02 raises Keras' ValueError about the mask list, shown without ANSI codes.
  const second = page.locator('[data-scenario-id]').nth(1);
  await second.locator('.verdict').waitFor({ timeout: 30_000 });
  expect(await second.locator('.verdict').textContent()).toBe('Raises ValueError');
  const message = await second.locator('.error-message').textContent();
  expect(message).toContain('Attention layer accepts mask list of length 2 or 3.');
  expect(message).not.toContain('\u001b');
  await page.locator('[data-scenario-id][data-state="done"]').nth(2).waitFor({ timeout: 30_000 });
  await expect.poll(() => page.locator('#engine-version').textContent()).toMatch(/^\d+\.\d+/);
  expect(pageErrors).toEqual([]);

  mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: path.join(resultsDir, 'smoke.png'), fullPage: true });
});
