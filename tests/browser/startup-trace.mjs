#!/usr/bin/env node
// Where the time to the first verdict goes: loads the production
// build (default bench-results/site/, else argv[2]) from a no-store loopback
// server in a fresh Chromium profile (cold cache), N times, and prints the
// median of each phase from Navigation/Resource Timing and the page's and the
// worker's User Timing marks (ap:*), all on the page's clock. Several
// builds (dir,dir2,...) are sampled interleaved, to compare them under the
// same machine load.
//
//   npx vite build --outDir bench-results/site && node tests/browser/startup-trace.mjs [dir[,dir2...]] [samples]
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dirs = (process.argv[2] ?? path.join(root, 'bench-results/site')).split(',').map((d) => path.resolve(d));
const samples = Number(process.argv[3] ?? 7);
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

const server = createServer((req, res) => {
  const [, n, ...rest] = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).split('/');
  const dir = dirs[Number(n)] ?? '/nonexistent';
  const urlPath = `/${rest.join('/')}`;
  const file = path.join(dir, path.normalize(urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath));
  if (!file.startsWith(dir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) return void res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const rowsOf = dirs.map(() => []);
for (let i = 0; i < samples * dirs.length; i += 1) {
  const d = i % dirs.length;
  const url = `${base}/${d}/`;
  const rows = rowsOf[d];
  const profile = mkdtempSync(path.join(tmpdir(), 'ap-trace-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.AP_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: [...(process.env.AP_JS_FLAGS ? [`--js-flags=${process.env.AP_JS_FLAGS}`] : []), '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__verdictAt = null;
    new MutationObserver(() => {
      const v = document.querySelector('#verdict[data-state="done"]');
      if (v && v.textContent && window.__verdictAt === null) {
        window.__verdictSeen = performance.now();
        void document.body.offsetHeight;
        window.__verdictAt = performance.now();
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__verdictAt !== null, null, { timeout: 30_000 });
  const p = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource').map((r) => ({ name: r.name.split('/').pop(), start: r.startTime, end: r.responseEnd }));
    const marks = Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('ap:')).map((m) => [m.name, m.startTime]));
    return { origin: performance.timeOrigin, htmlEnd: nav.responseEnd, domInteractive: nav.domInteractive, dcl: nav.domContentLoadedEventEnd, res, marks, verdict: window.__verdictAt, seen: window.__verdictSeen };
  });
  let w = { marks: {}, res: [] };
  for (const worker of page.workers()) {
    const got = await worker.evaluate(() => ({
      origin: performance.timeOrigin,
      marks: Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
      res: performance.getEntriesByType('resource').map((r) => ({ name: r.name.split('/').pop(), start: r.startTime, end: r.responseEnd })),
    }));
    if (got.marks['ap:worker-start'] !== undefined) w = got;
  }
  const shift = (w.origin ?? p.origin) - p.origin; // worker clock -> page clock
  const wm = (k) => (w.marks[k] === undefined ? NaN : w.marks[k] + shift);
  const jsMain = p.res.filter((r) => /^index-.*\.js$/.test(r.name) || /^main-.*\.js$/.test(r.name));
  // The engine's primary module (its deferred part is fetched after the verdict).
  const isPrimary = (r) => r.name.endsWith('.wasm') && !r.name.includes('.deferred');
  const wasm = w.res.find(isPrimary) ?? p.res.find(isPrimary);
  rows.push({
    'html responseEnd': p.htmlEnd,
    'entry js responseEnd': Math.max(...jsMain.map((r) => r.end)),
    'main module body starts (JS parse+eval done)': p.marks['ap:main-start'],
    'worker created (page)': p.marks['ap:worker-created'],
    'worker module evaluated': wm('ap:worker-start'),
    'wasm fetch start': wasm ? wasm.start + (w.res.includes(wasm) ? shift : 0) : NaN,
    'wasm responseEnd': wasm ? wasm.end + (w.res.includes(wasm) ? shift : 0) : NaN,
    'engine ready (compiled+instantiated)': wm('ap:engine-ready'),
    'run posted (page)': p.marks['ap:run-posted'],
    'engine run start': wm('ap:run-start'),
    'deferred part loaded on demand (NaN: not needed)': wm('ap:deferred-on-demand'),
    'engine run end': wm('ap:run-end'),
    'result received (page)': p.marks['ap:result'],
    'rendered (page)': p.marks['ap:rendered'],
    'verdict in the DOM (probe)': p.seen,
    'verdict on screen (+layout)': p.verdict,
    DOMContentLoaded: p.dcl,
  });
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
server.close();

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
dirs.forEach((dir, d) => {
  const rows = rowsOf[d];
  console.log(`\nload average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${samples} cold loads of ${dir}; ms since navigation start (median)`);
  for (const key of Object.keys(rows[0])) {
    const xs = rows.map((r) => r[key]);
    console.log(`${median(xs).toFixed(1).padStart(8)}  ${key}   [${xs.map((x) => (Number.isFinite(x) ? x.toFixed(0) : '-')).join(' ')}]`);
  }
});
