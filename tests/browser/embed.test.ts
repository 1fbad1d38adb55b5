// Embeds across origins: a host page on one
// loopback port embeds the playground (served from a sub-path) on another,
// with public/embed.js. The iframes' heights follow their content, "Open in
// playground" carries the state, the embed takes only documented messages
// from its parent, never touches the URL or storage, takes no keys unless
// focused, and with ctl=1 loads the WASM only on click.
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INJECTIONS } from '../golden-links/hostile-links';
import { launchBrowser, type TestBrowser } from './harness';
import { serveAt, servePages, type Served } from './share-server';

let site: Served;
let host: Served;
let chromium: TestBrowser;

const frameTag = (id: string, query: string, hash: string): string =>
  `<iframe id="${id}" data-attention-playground src="SITE?embed=1&amp;id=${id}${query}#${hash}" title="Attention Playground ${id}" width="100%" height="150" style="border:0;width:100%;display:block"></iframe>`;

beforeAll(async () => {
  site = await serveAt('/tutorials/playground/');
  const page = (body: string): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Host</title></head><body><h1>A tutorial</h1><p>Text before.</p>${body}<p>Text after.</p><script src="SITE/../embed.js"></script></body></html>`;
  const pages: Record<string, string> = {
    '/host.html': page(
      frameTag('ap-one', '', 's=article-1&step=0') +
        frameTag('ap-two', '&amp;view=error&amp;readonly=1&amp;theme=dark', 's=article-2') +
        '<iframe id="sibling" src="/sibling.html" title="sibling"></iframe>',
    ),
    '/ctl.html': page(frameTag('ap-ctl', '&amp;ctl=1', 's=article-3')),
    '/sibling.html': '<!doctype html><title>sibling</title><p>A sibling frame of the host origin.</p>',
  };
  host = await servePages(Object.fromEntries(Object.entries(pages).map(([k, v]) => [k, v.replaceAll('SITE/../', site.url).replaceAll('SITE', site.url)])));
  chromium = await launchBrowser();
});

afterAll(async () => {
  await chromium?.close();
  await host?.close();
  await site?.close();
});

interface Hosted {
  page: Page;
  errors: string[];
  frame(id: string): Frame;
}

async function openHost(path: string, waitIds: string[]): Promise<Hosted> {
  const page = await chromium.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(host.origin + path);
  const frame = (id: string): Frame => {
    const f = page.frames().find((x) => x.url().includes(`id=${id}`));
    if (!f) throw new Error(`no frame ${id}`);
    return f;
  };
  for (const id of waitIds) {
    await page.waitForFunction((i) => !!document.getElementById(i), id);
    await expect.poll(() => page.frames().some((x) => x.url().includes(`id=${id}`)), { timeout: 10_000 }).toBe(true);
    await frame(id).locator('body[data-ui="ready"] #verdict[data-state="done"]').waitFor({ state: 'attached', timeout: 30_000 });
  }
  return { page, errors, frame };
}

/** The iframe's height on the host and its content's height inside. */
async function heights(h: Hosted, id: string): Promise<{ iframe: number; content: number }> {
  const iframe = await h.page.evaluate((i) => document.getElementById(i)!.getBoundingClientRect().height, id);
  const content = await h.frame(id).evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
  return { iframe, content };
}
async function heightFollows(h: Hosted, id: string): Promise<number> {
  await expect.poll(async () => { const x = await heights(h, id); return Math.abs(x.iframe - x.content); }, { timeout: 10_000 }).toBeLessThanOrEqual(1);
  return (await heights(h, id)).iframe;
}

describe('embeds on a host page of another origin', () => {
  it('sizes each iframe to its content, and follows it', async () => {
    const h = await openHost('/host.html', ['ap-one', 'ap-two']);
    const one = await heightFollows(h, "ap-one");
    const two = await heightFollows(h, 'ap-two');
    expect(one).toBeGreaterThan(300); // grew from the 150 px it was given
    expect(two).not.toBe(one); // each iframe gets its own height
    // The content changes (another view): the height follows.
    await h.frame('ap-one').click('#tab-outputs');
    await expect.poll(async () => (await heights(h, 'ap-one')).content).not.toBe(one);
    const after = await heightFollows(h, 'ap-one');
    expect(after).not.toBe(one);
    // Compact layout: no page header, picker or share bar; the error view shows only the error.
    const f2 = h.frame('ap-two');
    expect(await f2.locator('.site-header').isHidden()).toBe(true);
    expect(await f2.locator('#picker').isHidden()).toBe(true);
    expect(await f2.locator('#error-card').isVisible()).toBe(true);
    expect(await f2.locator('#code').isHidden()).toBe(true);
    expect(await f2.locator('#views').isHidden()).toBe(true);
    expect(await f2.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    // readonly=1: the code cannot be edited.
    expect(await f2.locator('.cm-content').getAttribute('contenteditable')).toBe('false');
    expect(h.errors).toEqual([]);
    await h.page.close();
  });

  it('takes theme and step from its parent; "Open in playground" carries the state', async () => {
    const h = await openHost('/host.html', ['ap-one']);
    const f1 = h.frame('ap-one');
    expect(await f1.locator('#step-position').textContent()).toMatch(/^Step 1 of/);
    await h.page.evaluate(() => {
      const w = window as unknown as { AttentionPlayground: { setStep(f: Element, s: number): void; setTheme(f: Element, t: string): void } };
      const f = document.getElementById('ap-one')!;
      w.AttentionPlayground.setStep(f, 2);
      w.AttentionPlayground.setTheme(f, 'dark');
    });
    await f1.locator('#step-position', { hasText: /^Step 3 of/ }).waitFor({ timeout: 5_000 });
    expect(await f1.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');

    const href = (await f1.locator('#open-in-playground').getAttribute('href')) ?? '';
    expect(href.startsWith(site.url)).toBe(true);
    expect(new URL(href).search).toBe('');
    expect(new URL(href).hash).toMatch(/^#s=article-1&step=2&theme=dark&v=1&e=/);
    const [popup] = await Promise.all([h.page.waitForEvent('popup'), f1.click('#open-in-playground')]);
    await popup.locator('body[data-ui="ready"] #verdict[data-state="done"]').waitFor({ timeout: 30_000 });
    expect(await popup.locator('#scenario-select').inputValue()).toBe('article-1');
    expect(await popup.locator('#step-position').textContent()).toMatch(/^Step 3 of/);
    expect(await popup.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    expect(await popup.locator('.site-header').isVisible()).toBe(true); // the full playground
    await popup.close();
    await h.page.close();
  });

  it('ignores undocumented, hostile and non-parent messages, and spoofed resizes', async () => {
    const h = await openHost('/host.html', ['ap-one']);
    const f1 = h.frame('ap-one');
    const before = { step: await f1.locator('#step-position').textContent(), theme: await f1.evaluate(() => document.documentElement.dataset['theme'] ?? 'system') };
    const height = await heightFollows(h, 'ap-one');
    const payloads: unknown[] = [
      'attention-playground:theme',
      { type: 'attention-playground:theme', v: 2, theme: 'dark' },
      { type: 'attention-playground:theme', v: 1, theme: 'dark', extra: 1 },
      { type: 'attention-playground:step', v: 1, step: '2' },
      { type: 'attention-playground:step', v: 1, step: -5 },
      { type: 'attention-playground:code', v: 1, code: 'import os' },
      ...INJECTIONS.map((theme) => ({ type: 'attention-playground:theme', v: 1, theme })),
      ...INJECTIONS.map((p) => ({ type: 'attention-playground:step', v: 1, step: p })),
      ...INJECTIONS,
    ];
    await h.page.evaluate((list) => {
      const f = (document.getElementById('ap-one') as HTMLIFrameElement).contentWindow!;
      for (const p of list) f.postMessage(p, '*');
    }, payloads);
    // A sibling frame (not the parent) sends a valid message: ignored.
    const sibling = h.page.frames().find((x) => x.url().endsWith('/sibling.html'))!;
    await sibling.evaluate(() => {
      const target = parent.frames[0]!;
      target.postMessage({ type: 'attention-playground:theme', v: 1, theme: 'dark' }, '*');
      target.postMessage({ type: 'attention-playground:step', v: 1, step: 1 }, '*');
      // And fakes resize messages to the host, as ap-one: embed.js matches the sender.
      parent.postMessage({ type: 'attention-playground:resize', v: 1, id: 'ap-one', height: 3000 }, '*');
    });
    await h.page.evaluate(() => window.postMessage({ type: 'attention-playground:resize', v: 1, id: 'ap-one', height: 5 }, '*'));
    await h.page.waitForTimeout(500);
    expect(await f1.locator('#step-position').textContent()).toBe(before.step);
    expect(await f1.evaluate(() => document.documentElement.dataset['theme'] ?? 'system')).toBe(before.theme);
    expect(await f1.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect((await heights(h, 'ap-one')).iframe).toBe(height);
    expect(h.errors).toEqual([]);
    await h.page.close();
  });

  it('never changes the URL or storage, and takes no keys unless focused', async () => {
    const h = await openHost('/host.html', ['ap-one']);
    const f1 = h.frame('ap-one');
    const hostUrl = h.page.url();
    const hostHistory = await h.page.evaluate(() => history.length);
    const frameUrl = f1.url();
    const step = await f1.locator('#step-position').textContent();
    // Keys pressed on the host page do not reach the embed.
    await h.page.locator('h1').click();
    for (const key of ['ArrowRight', 'ArrowLeft', 'End', 'Home', 'Control+z', 'Enter', ' ']) await h.page.keyboard.press(key);
    expect(await f1.locator('#step-position').textContent()).toBe(step);
    // State changes inside the embed still do not touch any URL. End and
    // space scrolled the host past the iframe: bring it back into view, as a
    // reader would, because Chromium stops rendering (requestAnimationFrame)
    // in an offscreen cross-origin frame and a click waits for a rendered frame.
    await h.page.locator('#ap-one').scrollIntoViewIfNeeded();
    await f1.click('.step-controls button[data-action="next"]');
    await h.page.locator('#ap-one').scrollIntoViewIfNeeded();
    await f1.click('#tab-outputs');
    await h.page.waitForTimeout(300);
    expect(h.page.url()).toBe(hostUrl);
    expect(await h.page.evaluate(() => history.length)).toBe(hostHistory);
    expect(f1.url()).toBe(frameUrl);
    expect(await f1.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    expect(await h.page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    expect(h.errors).toEqual([]);
    await h.page.close();
  });

  it('with ctl=1 loads the WASM only on click', async () => {
    site.requests.length = 0;
    const page = await chromium.context.newPage();
    await page.goto(`${host.origin}/ctl.html`);
    await expect.poll(() => page.frames().some((x) => x.url().includes('id=ap-ctl')), { timeout: 10_000 }).toBe(true);
    const f = page.frames().find((x) => x.url().includes('id=ap-ctl'))!;
    await f.locator('#embed-load').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(1000);
    expect(site.requests.filter((r) => r.endsWith('.wasm'))).toEqual([]);
    expect(await f.locator('#editor .cm-content').textContent()).toContain('import tensorflow as tf'); // the code shows before loading
    await f.click('#embed-load');
    await f.locator('body[data-ui="ready"] #verdict[data-state="done"]').waitFor({ timeout: 30_000 });
    // The engine's primary module, once (its deferred part follows the verdict).
    expect(site.requests.filter((r) => /\/attention_engine-[^/.]+\.wasm$/.test(r))).toHaveLength(1);
    expect(await f.locator('#verdict').textContent()).toMatch(/^Runs without error/);
    await page.close();
  });
});
