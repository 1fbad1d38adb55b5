// Start-up order: the first verdict needs only the small entry
// chunk, the worker and the primary WASM module; the editor and the rest of
// the page (web/full.ts) and the engine's deferred part
// (scripts/split-engine.mjs) are requested after it. Meanwhile the code shows
// as read-only text, and CodeMirror takes it over with the same content.
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, serveSite, type StaticSite, type TestBrowser } from './harness';

let site: StaticSite;
let chromium: TestBrowser;

beforeAll(async () => {
  site = await serveSite(process.env['AP_DIST_DIR'] || undefined);
  chromium = await launchBrowser();
});

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

const isPrimaryWasm = (path: string) => /\/attention_engine-[^/.]+\.wasm$/.test(path);
const isDeferredWasm = (path: string) => /\/attention_engine\.deferred-[^/]+\.wasm$/.test(path);

/** How many times the engine worker set User Timing mark `name`. */
async function workerMarks(page: Page, name: string): Promise<number> {
  const [worker] = page.workers();
  if (!worker) return 0;
  return worker.evaluate((mark) => performance.getEntriesByName(mark).length, name);
}

it('shows the first verdict before the editor loads, then swaps in CodeMirror with the same code', async () => {
  const page = await chromium.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  // Hold the lazily loaded part until the verdict has been checked.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/full-[^/]+\.js$/, async (route: Route) => {
    await released;
    await route.continue();
  });

  await page.goto(site.url);
  const verdict = page.locator('#verdict[data-state="done"]');
  await verdict.waitFor({ timeout: 30_000 });
  expect(await verdict.textContent()).toContain('output (1, 32, 2)');
  expect(await page.locator('body').getAttribute('data-ui')).toBeNull();
  expect(await page.locator('.cm-content').count()).toBe(0);

  // The placeholder: the scenario's code, read-only.
  const placeholder = page.locator('#code-placeholder');
  const shown = (await placeholder.textContent()) ?? '';
  expect(shown).toContain('import tensorflow as tf');
  expect(await placeholder.getAttribute('aria-readonly')).toBe('true');
  await placeholder.focus();
  await page.keyboard.type('typed while loading');
  expect(await placeholder.textContent()).toBe(shown);
  expect(requests.filter(isPrimaryWasm)).toHaveLength(1);
  // The first scenario ran on the primary module alone; the page then
  // compiles the deferred part and hands it to the worker.
  expect(await workerMarks(page, 'ap:deferred-on-demand')).toBe(0);
  await expect.poll(() => workerMarks(page, 'ap:deferred-attached'), { timeout: 10_000 }).toBe(1);
  expect(requests.filter(isDeferredWasm)).toHaveLength(1);

  release();
  await page.locator('body[data-ui="ready"] .cm-content').waitFor({ timeout: 30_000 });
  expect(await placeholder.count()).toBe(0);
  const editorText = await page.evaluate(() => [...document.querySelectorAll('.cm-line')].map((line) => {
    const copy = line.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.cm-shape-note').forEach((n) => n.remove());
    return copy.textContent;
  }).join('\n'));
  expect(editorText).toBe(shown);
  // The full UI renders the same run (no second run of the same code).
  expect(await page.locator('body').getAttribute('data-runs')).toBe('1');
  await page.locator('#live-table').first().waitFor({ timeout: 10_000 });
  expect(requests.filter((p) => p.endsWith('.wasm'))).toHaveLength(2);
  expect(await workerMarks(page, 'ap:deferred-on-demand')).toBe(0);
  expect(errors).toEqual([]);
  await page.close();
});

it('requests the editor only after the first verdict', async () => {
  const page = await chromium.context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __verdictAt: number | null };
    w.__verdictAt = null;
    new MutationObserver(() => {
      if (w.__verdictAt === null && document.querySelector('#verdict[data-state="done"]')) w.__verdictAt = performance.now();
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
  await page.goto(site.url);
  await page.locator('body[data-ui="ready"] #verdict[data-state="done"]').waitFor({ timeout: 30_000 });
  const { verdictAt, fullAt } = await page.evaluate(() => ({
    verdictAt: (window as unknown as { __verdictAt: number }).__verdictAt,
    fullAt: performance.getEntriesByType('resource').find((r) => /\/assets\/full-[^/]+\.js$/.test(r.name))?.startTime ?? null,
  }));
  expect(fullAt).not.toBeNull();
  expect(fullAt ?? 0).toBeGreaterThan(verdictAt);
  await page.close();
});

// A link that opens on another scenario needs code of the deferred part in
// its first run, before the page has fetched it: the worker loads it then
// and there, and the verdict is the same as ever.
it('loads the deferred engine part on demand when the first run needs it', async () => {
  const page = await chromium.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site.url}#s=article-2`);
  const verdict = page.locator('#verdict[data-state="done"]');
  await verdict.waitFor({ timeout: 30_000 });
  expect(await verdict.textContent()).toContain('ValueError');
  expect(await workerMarks(page, 'ap:deferred-on-demand')).toBe(1);
  // Edits and runs keep working without another load.
  await page.locator('body[data-ui="ready"] .cm-content').waitFor({ timeout: 30_000 });
  expect(await workerMarks(page, 'ap:deferred-on-demand')).toBe(1);
  expect(errors).toEqual([]);
  await page.close();
});

// The deferred part cannot be fetched (a dropped connection, a broken
// deploy): a run that needs it fails with a message that says so, the code
// is kept, and "Run again" works once the file is reachable.
it('says so when the deferred engine part cannot be loaded, and recovers', async () => {
  const page = await chromium.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let reachable = false;
  await page.route(/\/attention_engine\.deferred-[^/]+\.wasm$/, (route: Route) =>
    reachable ? route.continue() : route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(`${site.url}#s=article-2`);
  const status = page.locator('#run-status .run-status-text');
  await expect.poll(async () => (await status.textContent()) ?? '', { timeout: 30_000 })
    .toMatch(/needs a part of the engine that could not be loaded \(attention_engine\.deferred\.wasm: .*404/);
  expect(await status.textContent()).toMatch(/Your code is unchanged/);
  expect(await status.textContent()).not.toMatch(/Aborted\(|crashed/);
  const code = (await page.locator('#code-placeholder, .cm-content').first().textContent()) ?? '';
  expect(code).toContain('mask=[query_mask]');

  reachable = true;
  await page.locator('#run-status button.rerun').click();
  await page.waitForFunction(() => document.body.dataset['run'] === 'done', undefined, { timeout: 30_000 });
  expect(await page.locator('#verdict').textContent()).toContain('ValueError');
  expect(errors).toEqual([]);
  await page.close();
});
