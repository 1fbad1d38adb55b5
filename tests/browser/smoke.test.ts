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

// The page loads the WASM engine in a worker and renders the first verdict.
it('opens the playground and shows the article scenarios\' verdicts', async () => {
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
  // The playground opens on the article's scenario 1 and shows its verdict.
  const verdict = page.locator('body[data-ui="ready"] #verdict[data-state="done"]');
  await verdict.waitFor({ timeout: 30_000 });
  // a01 runs in real Keras: the output takes the query's 32 steps.
  expect(await verdict.getAttribute('data-ok')).toBe('true');
  expect(await verdict.textContent()).toContain('output (1, 32, 2)');
  // a02 raises Keras' ValueError about the mask list; the card shows it without ANSI codes.
  await page.selectOption('#scenario-select', 'article-2');
  await page.locator('#verdict[data-state="done"][data-ok="false"]').waitFor({ timeout: 30_000 });
  expect(await page.locator('#verdict').textContent()).toBe('Raises ValueError on line 17.');
  const message = await page.locator('#error-message').textContent();
  expect(message).toContain('Attention layer accepts mask list of length 2 or 3.');
  expect(message).not.toContain('\u001b');
  await expect.poll(() => page.locator('#engine-version').textContent()).toMatch(/^\d+\.\d+/);
  expect(pageErrors).toEqual([]);

  mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: path.join(resultsDir, 'smoke.png'), fullPage: true });
});
