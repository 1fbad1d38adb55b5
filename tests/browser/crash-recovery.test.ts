// A real WASM trap and a real abort (what an out-of-memory failure ends in)
// forced in the page's engine worker: the page says what happened, replaces
// the worker, keeps the user's edited code, and "Run again" works.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorText, launchBrowser, resultsDir, serveSite, type StaticSite, type TestBrowser } from './harness';

let site: StaticSite;
let chromium: TestBrowser;

beforeAll(async () => {
  mkdirSync(resultsDir, { recursive: true });
  site = await serveSite(process.env['AP_DIST_DIR'] || undefined);
  chromium = await launchBrowser();
});

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});


describe('engine crash recovery in Chromium', () => {
  for (const how of ['trap', 'abort'] as const) {
    // The crash is reported, the worker replaced, the code kept.
    it(`recovers from a forced ${how}`, async () => {
      const page = await chromium.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${site.url}?test-hooks=1`);
      await page.locator('body[data-ui="ready"] #verdict[data-state="done"]').waitFor({ timeout: 30_000 });

      // An edit the user would not want to lose.
      // (wait for the edit's own run, after its debounce: one that started
      // after the crash would replace the crash message and its button)
      const runs = Number((await page.locator('body').getAttribute('data-runs')) ?? '0');
      await page.locator('.cm-content').focus();
      await page.keyboard.press('Control+End');
      await page.keyboard.insertText('\nmarker = 42\n');
      await page.waitForFunction((n) => Number(document.body.dataset['runs'] ?? 0) > n && document.body.dataset['run'] === 'done', runs, { timeout: 30_000 });
      const before = await editorText(page);
      expect(before).toContain('marker = 42');

      await page.evaluate((kind) => (window as unknown as { apTest: { crash(k: string): Promise<void> } }).apTest.crash(kind), how);
      const status = page.locator('#run-status .run-status-text');
      await expect.poll(async () => (await status.textContent()) ?? '', { timeout: 10_000 }).toMatch(/engine crashed/);
      const message = (await status.textContent()) ?? '';
      expect(message).toMatch(/restarted and your code is unchanged/);
      expect(message).toMatch(how === 'trap' ? /unreachable/ : /Aborted/);
      await page.screenshot({ path: path.join(resultsDir, `crash-${how}.png`) });
      expect(await editorText(page)).toBe(before);

      // A fresh worker answers the next run.
      await page.locator('#run-status button.rerun').click();
      await page.waitForFunction(() => document.body.dataset['run'] === 'done', undefined, { timeout: 30_000 });
      expect(await page.locator('#verdict').textContent()).toMatch(/ok|Runs|runs/i);
      expect(errors).toEqual([]);
      await page.close();
    }, 90_000);
  }
});
