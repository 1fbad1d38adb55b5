#!/usr/bin/env node
// Where a re-run after an edit goes: opens the production build
// (default bench-results/site/), and for each article scenario types 12
// comment lines at the end (as npm run bench does), each waiting for its run;
// prints the median of: the engine's run in the worker (ap:run-start..end),
// data-run="running" seen -> result received on the page, the render after
// the result, and the layout forced after it (the bench's probe). With
// "profile", a CPU profile of the article-3 edits goes to /tmp/rerun.cpuprofile.
//
//   node tests/browser/rerun-trace.mjs [dir] [profile]
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
const dir = path.resolve(process.argv[2] ?? 'bench-results/site');
const doProfile = process.argv[3] === 'profile';
const server = createServer((req, res) => { const u = new URL(req.url, 'http://x').pathname; const f = path.join(dir, u.endsWith('/') ? u + 'index.html' : u); if (!statSync(f, { throwIfNoEntry: false })?.isFile()) return void res.writeHead(404).end(); res.writeHead(200, { 'Content-Type': { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' }[path.extname(f)] ?? 'application/octet-stream' }); res.end(readFileSync(f)); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const profileDir = mkdtempSync(path.join(os.tmpdir(), 'ap-rerun-'));
const ctx = await chromium.launchPersistentContext(profileDir, { executablePath: process.env.AP_CHROMIUM ?? '/usr/bin/chromium', headless: true, viewport: { width: 1100, height: 900 }, args: ['--no-sandbox', '--disable-gpu', '--headless'] });
const page = await ctx.newPage();
await page.addInitScript(() => {
  window.__runs = []; let started = null;
  new MutationObserver(() => {
    const b = document.body; if (!b) return;
    if (b.dataset.run === 'running' && started === null) started = performance.now();
    if (b.dataset.run === 'done' && started !== null) { const t1 = performance.now(); void b.offsetHeight; const t2 = performance.now(); window.__runs.push({ start: started, done: t1, laid: t2 }); started = null; }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-run', 'data-state'] });
});
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.locator('#verdict[data-state="done"]').waitFor(); await page.locator('.cm-content').waitFor(); await page.waitForTimeout(300);
const cdp = await ctx.newCDPSession(page);
const out = {};
for (const id of ['article-1', 'article-3', 'article-2']) {
  let n = await page.evaluate(() => window.__runs.length);
  if (await page.inputValue('#scenario-select') !== id) { await page.selectOption('#scenario-select', id); await page.waitForFunction((k) => window.__runs.length > k && document.body.dataset.run === 'done', n); }
  if (doProfile && id === 'article-3') { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 100 }); await cdp.send('Profiler.start'); }
  const rows = [];
  for (let e = 0; e < 12; e++) {
    n = await page.evaluate(() => window.__runs.length);
    await page.locator('.cm-content').focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText(`\n# edit ${e}`);
    await page.waitForFunction((k) => window.__runs.length > k && document.body.dataset.run === 'done', n);
    let eng = NaN;
    for (const w of page.workers()) { const v = await w.evaluate(() => { const a = performance.getEntriesByName('ap:run-start').at(-1); const b = performance.getEntriesByName('ap:run-end').at(-1); return a && b ? b.startTime - a.startTime : null; }); if (v !== null) eng = v; }
    rows.push({ engine: eng, ...await page.evaluate(() => {
      const r = window.__runs.at(-1);
      const last = (name) => performance.getEntriesByName(name).at(-1)?.startTime ?? NaN;
      return { total: r.laid - r.start, toResult: last('ap:result') - r.start, render: last('ap:rendered') - last('ap:result'), layout: r.laid - r.done };
    }) });
  }
  if (doProfile && id === 'article-3') { const { profile } = await cdp.send('Profiler.stop'); writeFileSync(path.join(os.tmpdir(), 'rerun.cpuprofile'), JSON.stringify(profile)); }
  const med = (k) => { const s = rows.map((r) => r[k]).sort((a, b) => a - b); return ((s[5] + s[6]) / 2).toFixed(1); };
  out[id] = { engine: med('engine'), total: med('total'), toResult: med('toResult'), render: med('render'), layout: med('layout') };
}
console.log(os.loadavg().map((x) => x.toFixed(2)).join(' '), JSON.stringify(out));
await ctx.close();
rmSync(profileDir, { recursive: true, force: true });
server.close();
