// The shape flow and the heatmap in Chromium, driven like a person: a small
// test page (tests/browser/viz-page, built here with Vite) runs a scenario
// in the real engine worker and mounts both modules as the playground does.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, repoRoot, resultsDir, serveSite, type StaticSite, type TestBrowser } from './harness';

let outDir: string;
let site: StaticSite;
let chromium: TestBrowser;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'ap-viz-page-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    root: path.join(repoRoot, 'tests/browser/viz-page'),
    base: './',
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  site = await serveSite(outDir);
  chromium = await launchBrowser();
  mkdirSync(resultsDir, { recursive: true });
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await site?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function open(scenario: string, width = 1100, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const page = await chromium.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme });
  await page.goto(`${site.url}?scenario=${scenario}`);
  await page.waitForFunction(() => document.body.dataset['ready'] === 'true' || document.body.dataset['error'], null, { timeout: 30_000 });
  expect(await page.evaluate(() => document.body.dataset['error'] ?? null)).toBeNull();
  // The heatmap is drawn once the weights arrive from the worker.
  await page.locator('.ap-heatmap-legend span').first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(100);
  return { page, errors };
}

/** Pixel statistics of the heatmap canvas. */
function canvasStats(page: Page): Promise<{ width: number; height: number; colours: number; opaque: number; black: number; white: number }> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('.ap-heatmap-canvas')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set<number>();
    let opaque = 0;
    let black = 0;
    let white = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 0) opaque++;
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      colours.add((r << 16) | (g << 8) | b);
      if (r === 0 && g === 0 && b === 0) black++;
      if (r === 255 && g === 255 && b === 255) white++;
    }
    return { width: canvas.width, height: canvas.height, colours: colours.size, opaque, black, white };
  });
}

describe('article scenario 1', () => {
  // The heatmap shows 32 × 1200 weights: every pixel painted, many distinct viridis colours.
  it('draws a non-blank heatmap and reads a cell on hover and with the keyboard', async () => {
    const { page, errors } = await open('article-1');
    const stats = await canvasStats(page);
    expect(stats.opaque).toBe(stats.width * stats.height);
    expect(stats.colours).toBeGreaterThan(20);
    expect(await page.locator('.ap-heatmap-canvas').getAttribute('aria-label')).toContain('32 query steps by 1200 key steps');

    const box = (await page.locator('.ap-heatmap-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.25);
    const readout = page.locator('.ap-heatmap-readout');
    await expect.poll(() => readout.textContent()).toMatch(/^query step \d+ \(Tq\), key step \d+ \(Tv\): weight [\d.e-]+$/);
    const hovered = await readout.textContent();
    expect(Number(/query step (\d+)/.exec(hovered ?? '')?.[1])).toBeGreaterThanOrEqual(6);
    expect(Number(/key step (\d+)/.exec(hovered ?? '')?.[1])).toBeGreaterThan(550);
    await page.screenshot({ path: path.join(resultsDir, 'viz-article-1.png'), fullPage: true });

    await page.locator('.ap-heatmap-canvas').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => readout.textContent()).toMatch(/^query step 1 \(Tq\), key step 1 \(Tv\)/);

    // Zoom in twice: still painted; the table alternative lists the top weights per query row.
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.waitForTimeout(100);
    expect((await canvasStats(page)).colours).toBeGreaterThan(5);
    await page.getByRole('button', { name: 'Table' }).click();
    expect(await page.locator('.ap-heatmap table tbody tr').count()).toBe(32);
    expect(await page.locator('.ap-heatmap caption').textContent()).toContain('Top 5 weights of each query step');

    // The shape flow beside it flags the swapped names.
    expect(await page.locator('[data-node="value"][data-flagged="true"]').count()).toBe(1);
    expect(await page.locator('[data-node="key"][data-flagged="true"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  // 375 px wide (a phone), dark: the SVG and the canvas fit the viewport.
  it('fits a 375 px viewport in the dark theme', async () => {
    const { page, errors } = await open('article-1', 375, 'dark');
    const widths = await page.evaluate(() => ({
      doc: document.documentElement.scrollWidth,
      svg: document.querySelector('.ap-shape-flow svg')!.getBoundingClientRect().width,
      canvas: document.querySelector('.ap-heatmap-canvas')!.getBoundingClientRect().width,
    }));
    expect(widths.doc).toBeLessThanOrEqual(375);
    expect(widths.svg).toBeGreaterThan(300);
    expect(widths.canvas).toBeGreaterThan(250);
    expect((await canvasStats(page)).colours).toBeGreaterThan(20);
    await page.screenshot({ path: path.join(resultsDir, 'viz-article-1-375-dark.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

// A causal mask: the masked half of the 8 × 8 weights is hatched black and white.
it('hatches the masked entries of causal self-attention', async () => {
  const { page, errors } = await open('causal-self-attention');
  const stats = await canvasStats(page);
  expect(stats.black).toBeGreaterThan(100);
  expect(stats.white).toBeGreaterThan(100);
  expect(await page.locator('.ap-heatmap-legend').textContent()).toContain('hatched: masked out');
  await page.getByRole('button', { name: 'Table' }).click();
  expect(await page.locator('.ap-heatmap table tbody tr').count()).toBe(8);
  expect(await page.locator('.ap-heatmap tbody tr').first().locator('td').nth(1).textContent()).toMatch(/\*$/);
  await page.screenshot({ path: path.join(resultsDir, 'viz-causal.png'), fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});

// A failing BatchMatMulV2: the failing op and the dim chips are marked; no heatmap weights.
it('marks the failing op of a BatchMatMulV2 error', async () => {
  const page = await chromium.context.newPage();
  await page.goto(`${site.url}?scenario=query-key-feature-mismatch`);
  await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
  expect(await page.locator('[data-op="scores"][data-failed="true"]').count()).toBe(1);
  expect(await page.locator('[data-node="query"] [data-axis="dim"][data-failing="true"]').count()).toBe(1);
  await page.screenshot({ path: path.join(resultsDir, 'viz-matmul-error.png'), fullPage: true });
  await page.close();
});

// MultiHeadAttention: a head selector; switching heads redraws.
it('offers a head selector for MultiHeadAttention scores', async () => {
  const { page, errors } = await open('mha-heads');
  const head = page.locator('select[data-axis="num_heads"]');
  expect(await head.locator('option').count()).toBe(4);
  await head.selectOption('2');
  expect(await page.locator('.ap-heatmap-canvas').getAttribute('aria-label')).toContain('num_heads 2');
  await page.screenshot({ path: path.join(resultsDir, 'viz-mha.png'), fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});
