// Share links in Chromium against the built site served from a sub-path by a
// plain static server: every built-in
// scenario opened by link, an edited program round-tripped through a link,
// the golden links, hostile hashes and 100 malformed links through the page,
// the share buttons, and the Content-Security-Policy.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileLinks } from '../golden-links/hostile-links';
import { launchBrowser, repoRoot, type TestBrowser } from './harness';
import { serveAt, type Served } from './share-server';

let site: Served;
let chromium: TestBrowser;
const measured: string[] = [];
const SCENARIO_IDS = (JSON.parse(readFileSync(path.join(repoRoot, 'web/scenarios/index.json'), 'utf8')) as { scenarios: { id: string }[] }).scenarios.map((s) => s.id);
const SIXTY = readFileSync(path.join(repoRoot, 'tests/golden-links/sixty-lines.py'), 'utf8');
const ENGINE = /kEngineVersion\s*=\s*"([^"]+)"/.exec(readFileSync(path.join(repoRoot, 'cpp/core/api.h'), 'utf8'))?.[1] ?? '?';

beforeAll(async () => {
  site = await serveAt('/static/sub/path/'); // any sub-path: relative asset URLs
  chromium = await launchBrowser();
  await chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
});

afterAll(async () => {
  if (measured.length) console.log(`\nMeasured link lengths (the page's own hash, incl. '#'):\n  ${measured.join('\n  ')}\n`);
  await chromium?.close();
  await site?.close();
});

interface Opened {
  page: Page;
  errors: string[];
}

/** Opens the site at `hash` (a fresh document) and waits for the first verdict. */
async function open(hash: string): Promise<Opened> {
  const page = await chromium.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  // Count CSP violations from the start (init scripts are not subject to the CSP).
  await page.addInitScript(() => {
    (window as unknown as { __violations: string[] }).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __violations: string[] }).__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(site.url + hash);
  await page.locator('body[data-ui="ready"] #verdict[data-state="done"]').waitFor({ timeout: 30_000 });
  return { page, errors };
}

const text = async (page: Page, selector: string): Promise<string> => (await page.locator(selector).first().textContent()) ?? '';
const hashOf = (page: Page): Promise<string> => page.evaluate(() => location.hash);
/** Waits until the page has written a hash matching `re`. */
const waitHash = (page: Page, re: RegExp): Promise<unknown> => page.waitForFunction((src) => new RegExp(src).test(location.hash), re.source, { timeout: 10_000 });
async function replaceCode(page: Page, code: string): Promise<void> {
  await page.locator('.cm-content').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(code);
}
/** The editor's whole text, exactly, through "Copy as Python" (the editor
 *  renders only the lines in view, so the DOM does not have them all). */
async function codeViaPython(page: Page): Promise<string> {
  await page.evaluate(() => document.querySelector('#share')?.removeAttribute('data-copied'));
  await page.click('#share button[data-action="copy-python"]');
  await page.waitForFunction(() => document.querySelector('#share')?.getAttribute('data-copied') === 'Python program');
  const py = await page.evaluate(() => navigator.clipboard.readText());
  return py.split('\n').slice(4).join('\n'); // after the 3 header lines and a blank line
}
/** A program that compresses badly (no repeated lines), `n` lines long. */
function longProgram(n: number): string {
  let seed = 7;
  const r = (k: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % k) + 1;
  const words = ['query', 'key', 'value', 'scores', 'mask', 'heads', 'proj', 'ctx', 'logits', 'pad'];
  const lines = ['import tensorflow as tf'];
  for (let i = 1; i < n; i++) lines.push(`${words[r(10) - 1]}_${i} = tf.zeros((${r(97)}, ${r(89)}, ${r(83)}))  # ${r(1e6).toString(36)}${r(1e6).toString(36)}`);
  return `${lines.join('\n')}\n`;
}
const runsDone = async (page: Page): Promise<number> => Number((await page.locator('body').getAttribute('data-runs')) ?? '0');
async function afterRun(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await runsDone(page);
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset['runs'] ?? 0) > n && document.body.dataset['run'] === 'done', before, { timeout: 30_000 });
}

describe('built-in scenarios by link', () => {
  // #s=<id>&step=<n> opens that scenario at that step, for every scenario.
  it('opens every built-in scenario from its short link', async () => {
    for (const id of SCENARIO_IDS) {
      const { page, errors } = await open(`#s=${id}&step=0`);
      expect(await page.locator('#scenario-select').inputValue(), id).toBe(id);
      expect(await text(page, '#step-position'), id).toMatch(/^Step 1 of \d+/);
      await waitHash(page, /&v=1&e=/);
      const hash = await hashOf(page);
      expect(hash).toBe(`#s=${id}&step=0&v=1&e=${ENGINE}`);
      expect(hash.length).toBeLessThanOrEqual(200);
      measured.push(`${id} at step 0: ${hash.length}`);
      expect(await page.locator('#link-notice').isHidden(), id).toBe(true);
      expect(errors, id).toEqual([]);
      await page.close();
    }
  }, 300_000);

  // The article's second scenario by its readable id, with nothing else.
  it('#s=article-2 opens scenario 2', async () => {
    const { page } = await open('#s=article-2');
    expect(await page.locator('#scenario-select').inputValue()).toBe('article-2');
    expect(await text(page, '#verdict')).toContain('ValueError');
    await waitHash(page, /^#s=article-2&v=1&e=/);
    await page.close();
  });

  // The hash follows the state (replaceState: no history entries).
  it('derives the hash from every state change without adding history', async () => {
    const { page } = await open('');
    const length = await page.evaluate(() => history.length);
    await afterRun(page, () => page.selectOption('#scenario-select', 'article-3'));
    await waitHash(page, /^#s=article-3&v=1/);
    await page.click('#profile label[for="profile-tf_keras"]');
    await waitHash(page, /^#s=article-3&p=tf_keras&v=1/);
    await page.click('.step-controls button[data-action="first"]');
    await waitHash(page, /^#s=article-3&step=0&p=tf_keras&v=1/);
    await page.click('#tab-outputs');
    await page.click('#theme-toggle');
    await waitHash(page, /^#s=article-3&step=0&p=tf_keras&view=outputs&theme=light&v=1/);
    expect(await page.evaluate(() => history.length)).toBe(length);
    // Reloading the derived link restores the same state.
    await page.reload();
    await page.locator('body[data-ui="ready"] #verdict[data-state="done"]').waitFor();
    expect(await page.locator('#profile-tf_keras').isChecked()).toBe(true);
    expect(await page.locator('#tab-outputs').getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
    expect(await text(page, '#step-position')).toMatch(/^Step 1 of/);
    await page.close();
  });
});

describe('edited code by link', () => {
  // A 60-line program goes into the link and comes back identical.
  it('round-trips an edited 60-line program', async () => {
    const { page, errors } = await open('#s=article-1');
    await afterRun(page, () => replaceCode(page, SIXTY));
    await waitHash(page, /&c=z1\./);
    const hash = await hashOf(page);
    measured.push(`60-line edited program: ${hash.length}`);
    expect(hash.length).toBeLessThanOrEqual(2000);
    expect(await page.locator('#link-length-warning').isHidden()).toBe(true);
    // Copy link puts exactly the page's URL on the clipboard.
    await page.click('#share button[data-action="copy-link"]');
    await page.waitForFunction(() => document.querySelector('#share')?.getAttribute('data-copied') === 'Link');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.evaluate(() => location.href));
    const url = page.url();
    await page.close();

    const again = await open(new URL(url).hash);
    expect(await codeViaPython(again.page)).toBe(SIXTY);
    expect(await text(again.page, '#picker-hint')).toBe('(code edited)');
    expect(await again.page.locator('#verdict').getAttribute('data-ok')).toBe('true');
    expect(await hashOf(again.page)).toBe(new URL(url).hash);
    expect([...errors, ...again.errors]).toEqual([]);
    await again.page.close();
  });

  // Longer programs still work, and the page says the link is long.
  it('warns when the link is long', async () => {
    const { page } = await open('#s=article-1');
    const long = longProgram(120);
    await afterRun(page, () => replaceCode(page, long));
    await page.locator('#link-length-warning:not([hidden])').waitFor({ timeout: 10_000 });
    const hash = await hashOf(page);
    measured.push(`${long.split('\n').length}-line program: ${hash.length} (warned)`);
    expect(await text(page, '#link-length-warning')).toContain('long');
    const reopened = await open(hash);
    expect(await codeViaPython(reopened.page)).toBe(long);
    await reopened.page.close();
    await page.close();
  });
});

describe('golden links', () => {
  // Every link format ever handed out opens the state it recorded.
  it('opens every golden link as recorded', async () => {
    const golden = JSON.parse(readFileSync(path.join(repoRoot, 'tests/golden-links/v1.json'), 'utf8')) as { links: { name: string; hash: string; state: { scenarioId: string; code: string | null; profile: string; step: number | null; view: string; theme: string; fullErrorText: boolean }; engineVersion: string | null }[] };
    for (const { name, hash, state, engineVersion } of golden.links) {
      const { page, errors } = await open(hash);
      expect(await page.locator('#scenario-select').inputValue(), name).toBe(state.scenarioId);
      expect(await page.locator(`#profile-${state.profile}`).isChecked(), name).toBe(true);
      expect(await page.locator(`#tab-${state.view}`).getAttribute('aria-selected'), name).toBe('true');
      expect(await page.evaluate(() => document.documentElement.dataset['theme'] ?? 'system'), name).toBe(state.theme);
      if (state.code !== null) expect(await codeViaPython(page), name).toBe(state.code);
      else expect(await text(page, '#picker-hint'), name).toBe('');
      if (state.step !== null) {
        if (state.view === 'outputs') await page.click('#tab-walkthrough');
        expect(await text(page, '#step-position'), name).toMatch(new RegExp(`^Step ${state.step + 1} of`));
      }
      if (state.fullErrorText) expect(await page.locator('#error-message').getAttribute('data-view'), name).toBe('full');
      // Another engine's link opens with a notice, not a silent change.
      const otherEngine = engineVersion !== null && engineVersion !== ENGINE;
      expect(await page.locator('#link-notice').isVisible(), name).toBe(otherEngine);
      if (otherEngine) expect(await text(page, '#link-notice'), name).toContain(`engine "${engineVersion}"`);
      expect(errors, name).toEqual([]);
      await page.close();
    }
  }, 300_000);
});

describe('hostile and malformed links', () => {
  const pwned = (page: Page): Promise<unknown> => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);

  // Script-injection payloads in every field, on a fresh page each: a clear
  // message, a usable page, nothing executed or rendered as HTML.
  it('shows injection payloads only as text and keeps the page usable', async () => {
    const links = (await hostileLinks()).filter((l) => l.name.startsWith('injection') || l.name.startsWith('code as a raw'));
    for (const { name, hash } of links.slice(0, 24)) {
      const { page, errors } = await open(hash);
      await page.locator('#link-notice:not([hidden]) li').first().waitFor({ timeout: 5_000 });
      expect((await text(page, '#link-notice li')).length, name).toBeGreaterThan(20);
      expect(await pwned(page), name).toBeUndefined();
      expect(await page.locator('#link-notice img, #link-notice svg, #link-notice script, body script:not([src])').count(), name).toBe(0);
      expect(errors, name).toEqual([]);
      await page.close();
    }
  }, 300_000);

  // 100+ malformed links through one page (hashchange): each gets
  // its message; no crash, no hang; the page still runs programs afterwards.
  it('answers 100+ malformed links in the page, each with a message', async () => {
    const links = await hostileLinks();
    expect(links.length).toBeGreaterThanOrEqual(100);
    const { page, errors } = await open('#s=article-1');
    let read = 0;
    const t0 = Date.now();
    for (const { name, hash } of links) {
      await page.evaluate((h) => (location.hash = h), hash);
      read += 1;
      await page.waitForFunction((n) => Number(document.body.dataset['linksRead'] ?? 0) >= n, read, { timeout: 5_000 }).catch(() => {
        throw new Error(`no answer to the link "${name}"`);
      });
      const notice = await text(page, '#link-notice li');
      expect(notice.length, name).toBeGreaterThan(20);
      expect(await page.locator('#link-notice').isVisible(), name).toBe(true);
      expect(await pwned(page), name).toBeUndefined();
    }
    measured.push(`(${links.length} malformed links answered in ${Date.now() - t0} ms)`);
    expect(errors).toEqual([]);
    // Still usable: a good link opens, with no notice, and runs.
    await afterRun(page, () => page.evaluate(() => (location.hash = '#s=article-2&step=0')));
    expect(await page.locator('#scenario-select').inputValue()).toBe('article-2');
    expect(await page.locator('#link-notice').isHidden()).toBe(true);
    expect(await text(page, '#verdict')).toContain('ValueError');
    await page.close();
  }, 300_000);
});

describe('share buttons', () => {
  const clip = (page: Page): Promise<string> => page.evaluate(() => navigator.clipboard.readText());
  const copy = async (page: Page, action: string, what: string): Promise<string> => {
    await page.evaluate(() => document.querySelector('#share')?.removeAttribute('data-copied'));
    await page.click(`#share button[data-action="${action}"]`);
    await page.waitForFunction((w) => document.querySelector('#share')?.getAttribute('data-copied') === w, what);
    return clip(page);
  };

  it('copies the embed snippet, Markdown and Python, and downloads the heatmap', async () => {
    const { page, errors } = await open('#s=article-2');
    const embed = await copy(page, 'copy-embed', 'Embed snippet');
    expect(embed).toMatch(/^<iframe data-attention-playground src="http:\/\/127\.0\.0\.1:\d+\/static\/sub\/path\/\?embed=1&amp;id=ap-[a-z0-9]{8}#s=article-2&amp;v=1&amp;e=/);
    for (const attr of ['title="Attention Playground: Scenario 2', 'loading="lazy"', 'sandbox="allow-scripts', '<a href="http://127.0.0.1:', '/static/sub/path/embed.js"']) expect(embed).toContain(attr);

    const md = await copy(page, 'copy-markdown', 'Markdown');
    expect(md).toContain('```python\nimport tensorflow as tf');
    expect(md).toContain('**ValueError** on line 17');
    expect(md).toMatch(/\| 9 \| `key: \(1, 1200, 2\) float32` \|/); // shapes per line
    expect(md).toContain(`(<${site.url}#s=article-2&v=1&e=${ENGINE}>)`);

    const py = await copy(page, 'copy-python', 'Python program');
    expect(py.split('\n')[0]).toBe(`# From the Attention Playground: ${site.url}#s=article-2&v=1&e=${ENGINE}`);
    expect(py).toContain('import tensorflow as tf\nfrom tensorflow.keras import layers');

    await afterRun(page, () => page.selectOption('#scenario-select', 'article-1'));
    await page.click('#tab-outputs');
    await page.locator('#heatmap canvas.ap-heatmap-canvas').waitFor();
    await page.waitForFunction(() => !(document.querySelector('#share button[data-action="download-png"]') as HTMLButtonElement).disabled);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.click('#share button[data-action="download-png"]')]);
    expect(download.suggestedFilename()).toBe('attention-weights-article-1.png');
    const file = await download.path();
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('static build and Content-Security-Policy', () => {
  // Served from a sub-path by a plain static server; every request stays on
  // this origin and under that path (no CDN, no network at run time).
  it('works from a sub-path with no request outside it', async () => {
    const requests: string[] = [];
    const page = await chromium.context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${site.url}#s=article-3`);
    await page.locator('body[data-ui="ready"] #verdict[data-state="done"]').waitFor({ timeout: 30_000 });
    expect(await text(page, '#verdict')).toMatch(/^Runs without error/);
    const outside = requests.filter((u) => !u.startsWith(site.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
    expect(requests.some((u) => u.endsWith('.wasm'))).toBe(true);
    await page.close();
  });

  // The page runs under its CSP with no violation; an injected inline script is blocked.
  it('runs under the CSP and blocks an injected inline script', async () => {
    const { page, errors } = await open('#s=article-1');
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = 1';
      document.body.append(s);
      const img = document.createElement('img');
      img.setAttribute('onerror', 'window.__pwned = 2');
      img.src = 'x:';
      document.body.append(img);
    });
    await page.waitForFunction(() => (window as unknown as { __violations: string[] }).__violations.length >= 1);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect((await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).some((v) => v.startsWith('script-src'))).toBe(true);
    // The built HTML has no inline script for the CSP to need.
    const html = readFileSync(path.join(process.env['AP_DIST_DIR'] || path.join(repoRoot, 'dist'), 'index.html'), 'utf8');
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) expect(m[2]?.trim()).toBe('');
    expect(errors.filter((e) => !e.includes('Content Security Policy'))).toEqual([]);
    await page.close();
  });
});

