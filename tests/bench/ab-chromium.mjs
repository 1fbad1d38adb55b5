#!/usr/bin/env node
// Kernel A/B in headless Chromium (development aid, not part of `npm run
// bench`): node tests/bench/ab-chromium.mjs [--rounds N] [--cases a,b]
// [--tfjs] DIR... where each DIR (relative to the repo root) holds an
// attention_bench.{mjs,wasm} build. Interleaved rounds; median ms per case and
// build with ratios to the first. Chromium's V8 compiles some loops unlike
// Node's, so kernel variants are judged here, not in quick.mjs.
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CASES } from './kernel-suite.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const [, v] = argv.splice(i, 2);
  return v;
};
const rounds = Number(opt('--rounds', '5'));
const pick = opt('--cases', '');
const withTfjs = argv.includes('--tfjs');
const dirs = argv.filter((a) => !a.startsWith('--'));
// The page also loads the default bench module (its 'core-wasm' impl):
// AP_BENCH_MODULE_DIR (relative to the repo root) points it elsewhere.
const coreDir = process.env.AP_BENCH_MODULE_DIR ?? 'build-wasm/bench';
const cases = pick ? CASES.filter((c) => pick.split(',').includes(c.name)) : CASES;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer((req, res) => {
  const file = path.join(root, path.normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
  if (!file.startsWith(root) || !statSync(file, { throwIfNoEntry: false })?.isFile()) return void res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({ executablePath: process.env.AP_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/tests/bench/page/kernels.html?ab=${dirs.join(',')}&core=${coreDir}`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
  const impls = [...dirs.map((d) => `ab:${d}`), ...(withTfjs ? ['tfjs-wasm'] : [])];
  console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const c of cases) {
    const sums = [], calls = [], samples = impls.map(() => []);
    for (const impl of impls) {
      sums.push(await page.evaluate(([i, n]) => window.bench.prepare(i, n), [impl, c.name]));
      // Calls per ~25 ms batch, from one 100 ms probe.
      let n = 1;
      while ((await page.evaluate((k) => window.bench.time(k), n)) * n < 100) n *= 2;
      calls.push(Math.max(1, Math.ceil(n / 4)));
    }
    for (let r = 0; r < rounds; r += 1) {
      for (let j = 0; j < impls.length; j += 1) {
        const k = (j + r) % impls.length;
        await page.evaluate(([i, n]) => window.bench.prepare(i, n), [impls[k], c.name]);
        samples[k].push(await page.evaluate((n) => window.bench.time(n), calls[k]));
      }
    }
    const ms = samples.map(median);
    console.log(`${c.name.padEnd(14)} ${impls.map((name, i) => `${name} ${ms[i].toFixed(3)} ms (x${(ms[0] / ms[i]).toFixed(2)}, sum ${sums[i].toFixed(3)})`).join('  ')}`);
  }
} finally {
  await browser.close();
  server.close();
}
