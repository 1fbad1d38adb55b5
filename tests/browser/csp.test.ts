// The playground under a Content-Security-Policy delivered
// as an HTTP header on every response, as a strict host would send it. The
// <meta> policy in index.html covers only the page; a header also binds the
// engine's worker (a worker's policy comes from its own response), so this
// proves the worker runs without eval/new Function (Emscripten's
// -sDYNAMIC_EXECUTION=0) and the page without inline script. Every
// `securitypolicyviolation` event and CSP console error fails the test.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serveSite, type StaticSite, type TestBrowser } from './harness';

const POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

let site: StaticSite;
let chromium: TestBrowser;

beforeAll(async () => {
  site = await serveSite(process.env['AP_DIST_DIR'] || undefined, { 'Content-Security-Policy': POLICY });
  chromium = await launchBrowser();
});

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

/** Opens `url`, recording CSP violations in the page and its workers. */
async function openWatched(url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await chromium.context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('worker', (worker) => {
    worker.on('console', (m) => {
      if (m.type() === 'error') problems.push(`worker console: ${m.text()}`);
    });
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  await page.goto(url);
  return { page, problems };
}

describe('the playground under a strict CSP header', () => {
  it('runs the engine in its worker and edits re-run, with no violation', async () => {
    const { page, problems } = await openWatched(site.url);
    await page.locator('body[data-ui="ready"] #verdict[data-state="done"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#verdict').textContent()).toMatch(/Runs without error|Raises/);
    // An edited program goes through the worker again (and into the share link).
    await page.locator('.cm-content').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('import tensorflow as tf\nx = tf.ones((2, 3)) @ tf.ones((4, 5))\n');
    await page.locator('#error-card:not([hidden])').waitFor({ timeout: 30_000 });
    expect(await page.locator('#error-message').textContent()).toContain('Matrix size-incompatible');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a packed share link and the embed mode, with no violation', async () => {
    const { page, problems } = await openWatched(`${site.url}?embed=1#s=article-2&step=3`);
    await page.locator('body[data-ui="ready"] #verdict[data-state="done"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#verdict').textContent()).toContain('ValueError');
    expect(problems).toEqual([]);
    await page.close();
  });
});
