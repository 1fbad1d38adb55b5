#!/usr/bin/env node
// npm run bench [-- --out FILE] [--rounds N] [--skip-kernels] [--skip-page]
//
// The performance budget's benchmark, in one run:
//  a. the attention forward pass (tests/bench/kernel-suite.mjs) in this
//     project's WASM core, TensorFlow.js 4.22 (wasm backend with SIMD, cpu
//     backend), a plain JS loop -- each in headless Chromium and in Node --
//     and the same core C++ built natively (-O3 -march=native); interleaved
//     rounds, median/min/max;
//  b. the playground (production build) in Chromium: navigation to the first
//     verdict on screen (cold cache), re-run after an edit per article
//     scenario, WASM heap growth over 100 re-runs;
//  c. gzip sizes of the production build.
// Prints a table and writes JSON (default bench-results/bench.json).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CASES, IMPLS, coreWasmImpl, jsImpl, tfjsImpl, timeCalls } from './kernel-suite.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);

// ---- options ----------------------------------------------------------------
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};
const OUT = path.resolve(opt('--out', 'bench-results/bench.json'));
const ROUNDS = Number(opt('--rounds', '7'));
const SKIP_KERNELS = argv.includes('--skip-kernels');
const SKIP_PAGE = argv.includes('--skip-page');
const WASM_BUILD = process.env.AP_WASM_BUILD_DIR ?? 'build-wasm';
const NATIVE_BUILD = 'build-bench-native';
const SITE = 'bench-results/site';
const CHROMIUM = process.env.AP_CHROMIUM ?? '/usr/bin/chromium';
// Extra Chromium switches for experiments, e.g. AP_CHROMIUM_ARGS='--js-flags=--no-liftoff'.
const CHROMIUM_ARGS = (process.env.AP_CHROMIUM_ARGS ?? '').split(' ').filter(Boolean);
const TARGET_BATCH_MS = 25; // each timed batch runs at least this long

const log = (...a) => console.error('[bench]', ...a);
const sh = (cmd, args, env = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => ({ median_ms: median(xs), min_ms: Math.min(...xs), max_ms: Math.max(...xs), samples: xs.length });

// ---- builds -----------------------------------------------------------------
function build() {
  log('engine (scripts/build-wasm.sh --if-stale)');
  sh('bash', ['scripts/build-wasm.sh', '--if-stale']);
  if (!SKIP_KERNELS) {
    log(`WASM bench module (${WASM_BUILD}, target attention_bench)`);
    sh('cmake', ['--build', WASM_BUILD, '-j2', '--target', 'attention_bench'], { NODE_PATH: '/usr/share/nodejs' });
    log(`native bench (${NATIVE_BUILD}, -O3 -march=native)`);
    const nlohmann = path.dirname(execFileSync('bash', ['-c', "dpkg -L nlohmann-json3-dev | grep -m1 'nlohmann_jsonConfig.cmake$'"]).toString().trim());
    if (!statSync(path.join(NATIVE_BUILD, 'CMakeCache.txt'), { throwIfNoEntry: false })) {
      sh('cmake', ['-S', 'tests/bench/native', '-B', NATIVE_BUILD, `-Dnlohmann_json_DIR=${nlohmann}`]);
    }
    sh('cmake', ['--build', NATIVE_BUILD, '-j2']);
  }
  log(`production site (vite build --outDir ${SITE})`);
  sh('npx', ['vite', 'build', '--outDir', SITE, '--emptyOutDir', '--logLevel', 'warn']);
}

// ---- a static server (repo root; the site under /bench-results/site/) ------
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml' };
function serve() {
  const server = createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(root, path.normalize(urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath));
    if (!file.startsWith(root) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

async function launch() {
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(path.join(tmpdir(), 'ap-bench-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...CHROMIUM_ARGS],
  });
  return { context, close: async () => { await context.close(); rmSync(dir, { recursive: true, force: true }); } };
}

// ---- a. kernels ----------------------------------------------------------------
async function nodeImpls() {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await import('@tensorflow/tfjs-backend-wasm');
  const { default: createAttentionBench } = await import(path.join(root, WASM_BUILD, 'bench/attention_bench.mjs'));
  const module = await createAttentionBench({ wasmBinary: readFileSync(path.join(root, WASM_BUILD, 'bench/attention_bench.wasm')) });
  return { 'core-wasm': coreWasmImpl(module), 'tfjs-wasm': tfjsImpl(tf, 'wasm'), 'tfjs-cpu': tfjsImpl(tf, 'cpu'), js: jsImpl() };
}

function nativeTime(c, calls) {
  const bin = path.join(NATIVE_BUILD, 'attention-bench-native');
  const out = spawnSync(bin, [c.tq, c.tv, c.d, c.heads, calls].map(String), { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${bin}: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

async function benchKernels(browser, base) {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => log('bench page error:', e.message));
  await page.goto(`${base}/tests/bench/page/kernels.html?core=${WASM_BUILD}/bench`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
  const info = await page.evaluate(() => window.bench.info());
  const node = await nodeImpls();
  let nodeCurrent = null;

  // One runner per (impl, env): prepare(case) -> checksum, time(calls) -> ms.
  const runners = [];
  for (const impl of IMPLS) {
    runners.push({
      impl, env: 'chromium',
      prepare: (c) => page.evaluate(([i, n]) => window.bench.prepare(i, n), [impl, c.name]),
      time: (calls) => page.evaluate((n) => window.bench.time(n), calls),
    });
    runners.push({
      impl, env: 'node',
      prepare: async (c) => {
        if (nodeCurrent && nodeCurrent !== node[impl]) nodeCurrent.dispose?.();
        nodeCurrent = node[impl];
        await nodeCurrent.init?.();
        nodeCurrent.prepare(c);
        nodeCurrent.run();
        return nodeCurrent.checksum();
      },
      time: async (calls) => timeCalls(nodeCurrent, calls, () => performance.now()),
    });
  }
  let nativeChecksum = {};
  runners.push({
    impl: 'native', env: 'native',
    prepare: async (c) => (nativeChecksum[c.name] ??= nativeTime(c, 1).checksum),
    time: async (calls) => nativeTime(runners.current, calls).ms,
  });

  // Calibrate calls per batch on one warm run, check outputs agree.
  const calls = new Map(), samples = new Map(), checks = [];
  const key = (r, c) => `${c.name}|${r.impl}|${r.env}`;
  for (const c of CASES) {
    const reference = await runners[0].prepare(c);
    for (const r of runners) {
      runners.current = c;
      const checksum = await r.prepare(c);
      const rel = Math.abs(checksum - reference) / Math.max(1, Math.abs(reference));
      checks.push({ case: c.name, impl: r.impl, env: r.env, checksum, rel_diff_to_core: rel });
      if (!(rel < 1e-3)) log(`WARNING ${c.name} ${r.impl}/${r.env}: output checksum ${checksum} vs core ${reference}`);
      // Warm up ~0.3 s first: V8 runs new WASM code in its baseline tier
      // (Liftoff) until the optimising tier has compiled it in the background.
      let once = await r.time(1);
      if (r.env !== 'native') {
        for (let spent = once, i = 0; spent < 300 && i < 50; i += 1) {
          once = await r.time(1);
          spent += once;
        }
      }
      calls.set(key(r, c), Math.max(1, Math.min(500, Math.ceil(TARGET_BATCH_MS / Math.max(once, 1e-3)))));
      samples.set(key(r, c), []);
    }
    log(`calibrated ${c.name}`);
  }
  // Interleaved rounds: every (case, impl, env) once per round, the order
  // of implementations rotated so none always runs first.
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const c of CASES) {
      for (let j = 0; j < runners.length; j += 1) {
        const r = runners[(j + round) % runners.length];
        runners.current = c;
        await r.prepare(c);
        samples.get(key(r, c)).push(await r.time(calls.get(key(r, c))));
      }
    }
    log(`round ${round + 1}/${ROUNDS} (load ${loadavg()[0].toFixed(2)})`);
  }
  nodeCurrent?.dispose?.();
  await page.close();
  const rows = [];
  for (const c of CASES) {
    for (const r of runners) {
      rows.push({ case: c.name, impl: r.impl, env: r.env, ...stats(samples.get(key(r, c))), calls_per_sample: calls.get(key(r, c)) });
    }
  }
  // Ratios: speed relative to TensorFlow.js wasm in the same environment
  // (native rows: to Chromium's), and the fraction of native speed.
  for (const row of rows) {
    const env = row.env === 'native' ? 'chromium' : row.env;
    const tfw = rows.find((x) => x.case === row.case && x.impl === 'tfjs-wasm' && x.env === env);
    const nat = rows.find((x) => x.case === row.case && x.impl === 'native');
    row.speed_vs_tfjs_wasm = tfw.median_ms / row.median_ms;
    row.speed_vs_native = nat.median_ms / row.median_ms;
  }
  return { rows, checks, info };
}

// ---- b. the playground page ------------------------------------------------------
// Records, in the page, when the verdict is shown and how long each run takes
// from its start (data-run="running") to the DOM showing its result.
const PAGE_PROBE = () => {
  window.__bench = { firstVerdict: null, runs: [] };
  let started = null;
  new MutationObserver(() => {
    const body = document.body;
    if (!body) return;
    const verdict = document.querySelector('#verdict[data-state="done"]');
    if (verdict && window.__bench.firstVerdict === null && verdict.textContent) {
      void body.offsetHeight; // style and layout included
      window.__bench.firstVerdict = performance.now();
    }
    if (body.dataset.run === 'running' && started === null) started = performance.now();
    if (body.dataset.run === 'done' && started !== null && verdict) {
      void body.offsetHeight;
      window.__bench.runs.push(performance.now() - started);
      started = null;
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-run', 'data-state'] });
};

// The first load is what was requested before the first verdict was on screen
// (requests are timed on arrival here, so never earlier than they were made);
// chunks the page loads lazily after the verdict are not part of it.
async function firstVerdict(siteUrl, samples) {
  const times = [], fetched = new Set();
  for (let i = 0; i < samples; i += 1) {
    const browser = await launch(); // a fresh profile: cold HTTP cache
    const page = await browser.context.newPage();
    await page.addInitScript(PAGE_PROBE);
    const requests = [];
    browser.context.on('request', (r) => {
      const pathname = new URL(r.url()).pathname;
      requests.push({ at: Date.now(), path: pathname.endsWith('/') ? `${pathname}index.html` : pathname });
    });
    await page.goto(siteUrl);
    await page.waitForFunction(() => window.__bench.firstVerdict !== null, null, { timeout: 30_000 });
    const { verdictMs, verdictAt } = await page.evaluate(() => ({ verdictMs: window.__bench.firstVerdict, verdictAt: performance.timeOrigin + window.__bench.firstVerdict }));
    times.push(verdictMs);
    for (const r of requests) if (r.at <= verdictAt) fetched.add(r.path);
    await browser.close();
  }
  return { ...stats(times), fetched: [...fetched] };
}

async function reruns(browser, siteUrl, edits) {
  const page = await browser.context.newPage();
  await page.addInitScript(PAGE_PROBE);
  await page.goto(siteUrl);
  await page.waitForFunction(() => window.__bench.firstVerdict !== null, null, { timeout: 30_000 });
  const result = {};
  for (const id of ['article-1', 'article-2', 'article-3']) {
    const runsBefore = async () => page.evaluate(() => window.__bench.runs.length);
    let n = await runsBefore();
    if ((await page.inputValue('#scenario-select')) !== id) {
      await page.selectOption('#scenario-select', id);
      await page.waitForFunction((k) => window.__bench.runs.length > k && document.body.dataset.run === 'done', n, { timeout: 30_000 });
    }
    const times = [];
    for (let e = 0; e < edits; e += 1) {
      n = await runsBefore();
      await page.locator('.cm-content').focus();
      await page.keyboard.press('Control+End');
      await page.keyboard.insertText(`\n# edit ${e}`);
      await page.waitForFunction((k) => window.__bench.runs.length > k && document.body.dataset.run === 'done', n, { timeout: 30_000 });
      times.push(await page.evaluate(() => window.__bench.runs[window.__bench.runs.length - 1]));
    }
    result[id] = stats(times);
  }
  await page.close();
  return result;
}

// The worker's WebAssembly.Memory, captured by a hook prepended to the worker
// bundle (the page itself is not changed); 100 re-runs (scenario picks).
const MEMORY_HOOK = `(() => { const wrap = (fn) => async function (...a) { const r = await fn.apply(this, a);
  const inst = r.instance ?? r; for (const v of Object.values(inst.exports)) if (v instanceof WebAssembly.Memory) self.__apMemory = v; return r; };
  WebAssembly.instantiateStreaming = wrap(WebAssembly.instantiateStreaming); WebAssembly.instantiate = wrap(WebAssembly.instantiate); })();\n`;

async function heapGrowth(browser, siteUrl, reruns) {
  const page = await browser.context.newPage();
  await page.route('**/*.js', async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    const isWorker = /worker/i.test(new URL(route.request().url()).pathname);
    await route.fulfill({ response, body: isWorker ? MEMORY_HOOK + body : body });
  });
  await page.addInitScript(PAGE_PROBE);
  await page.goto(siteUrl);
  await page.waitForFunction(() => window.__bench.firstVerdict !== null, null, { timeout: 30_000 });
  const memory = async () => {
    for (const w of page.workers()) {
      const bytes = await w.evaluate(() => self.__apMemory?.buffer.byteLength ?? null);
      if (bytes !== null) return bytes;
    }
    return null;
  };
  const before = await memory();
  const ids = ['article-2', 'article-3', 'article-1'];
  for (let i = 0; i < reruns; i += 1) {
    const n = await page.evaluate(() => window.__bench.runs.length);
    await page.selectOption('#scenario-select', ids[i % ids.length]);
    await page.waitForFunction((k) => window.__bench.runs.length > k && document.body.dataset.run === 'done', n, { timeout: 30_000 });
  }
  const after = await memory();
  await page.close();
  return { heap_before_bytes: before, heap_after_bytes: after, heap_growth_bytes: before === null || after === null ? null : after - before, reruns };
}

// ---- c. sizes ----------------------------------------------------------------------
function sizes(fetched) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(SITE);
  const out = { files: [] };
  let firstLoad = 0;
  for (const f of files) {
    const raw = readFileSync(f);
    const rel = path.relative(SITE, f);
    const entry = { file: rel, bytes: raw.length, gzip_bytes: gzipSync(raw, { level: 9 }).length };
    out.files.push(entry);
    const url = `/${SITE}/${rel}`;
    entry.first_load = fetched ? fetched.includes(url) : /\.(html|js|css|wasm)$/.test(rel);
    if (entry.first_load) firstLoad += entry.gzip_bytes;
  }
  const sum = (re, key) => out.files.filter((e) => re.test(e.file)).reduce((s, e) => s + e[key], 0);
  for (const [kind, re] of [['wasm', /\.wasm$/], ['js', /\.m?js$/], ['css', /\.css$/], ['html', /\.html$/]]) {
    out[`${kind}_bytes`] = sum(re, 'bytes');
    out[`${kind}_gzip_bytes`] = sum(re, 'gzip_bytes');
  }
  out.first_load_gzip_bytes = firstLoad;
  // The engine is two modules (scripts/split-engine.mjs): wasm_gzip_bytes
  // above counts both; the primary is what the first verdict needs, the
  // deferred part is fetched after it.
  const engineGzip = (re) => out.files.filter((e) => re.test(e.file)).reduce((s, e) => s + e.gzip_bytes, 0);
  out.wasm_primary_gzip_bytes = engineGzip(/attention_engine-[^/.]+\.wasm$/);
  out.wasm_deferred_gzip_bytes = engineGzip(/attention_engine\.deferred-[^/]+\.wasm$/);
  // Without the page run (--skip-page) nothing was fetched: the figure is
  // then every HTML/JS/CSS/WASM file together, an upper bound.
  out.first_load_measured = Boolean(fetched);
  out.first_load_gzip_by_kind = {};
  for (const [kind, re] of [['wasm', /\.wasm$/], ['js', /\.m?js$/], ['css', /\.css$/], ['html', /\.html$/]]) {
    out.first_load_gzip_by_kind[kind] = out.files.filter((e) => e.first_load && re.test(e.file)).reduce((sum, e) => sum + e.gzip_bytes, 0);
  }
  return out;
}

// ---- report ------------------------------------------------------------------------
const f = (x, d = 3) => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
function report(result) {
  const lines = [];
  const { kernel, page, sizes: sz, machine } = result;
  lines.push(`machine: ${machine.cpu} x${machine.cores}, load average at start ${machine.load_start.map((x) => x.toFixed(2)).join(' ')}, at end ${machine.load_end.map((x) => x.toFixed(2)).join(' ')}`);
  if (kernel.length) {
    lines.push('', `attention forward pass (scores, softmax, weights·V), ms per call; median of ${ROUNDS} interleaved rounds`);
    lines.push('case           impl       env       median      min      max   speed vs tfjs-wasm   vs native');
    for (const r of kernel) {
      lines.push(`${r.case.padEnd(14)} ${r.impl.padEnd(10)} ${r.env.padEnd(8)} ${f(r.median_ms).padStart(8)} ${f(r.min_ms).padStart(8)} ${f(r.max_ms).padStart(8)}   ${(f(r.speed_vs_tfjs_wasm, 2) + 'x').padStart(10)}          ${f(r.speed_vs_native, 2).padStart(6)}`);
    }
  }
  if (page) {
    lines.push('', 'playground (production build, Chromium)');
    lines.push(`first verdict on screen after navigation (cold cache): median ${f(page.first_verdict_ms, 1)} ms (min ${f(page.first_verdict.min_ms, 1)}, max ${f(page.first_verdict.max_ms, 1)})`);
    for (const [id, s] of Object.entries(page.rerun)) lines.push(`re-run after an edit, ${id}: median ${f(s.median_ms, 1)} ms (min ${f(s.min_ms, 1)}, max ${f(s.max_ms, 1)})`);
    lines.push(`WASM heap: ${page.heap.heap_before_bytes} bytes after the first run, ${page.heap.heap_after_bytes} after ${page.heap.reruns} more runs (growth ${page.heap_growth_bytes})`);
  }
  lines.push('', 'production build sizes (bytes / gzip -9)');
  for (const kind of ['wasm', 'js', 'css', 'html']) lines.push(`${kind.padEnd(5)} ${String(sz[`${kind}_bytes`]).padStart(9)} / ${String(sz[`${kind}_gzip_bytes`]).padStart(8)}`);
  lines.push(`wasm: primary module ${sz.wasm_primary_gzip_bytes} gzip (the first load), deferred part ${sz.wasm_deferred_gzip_bytes} gzip (fetched after the first verdict)`);
  lines.push(`${sz.first_load_measured ? 'first load (HTML, JS, CSS, WASM fetched before the first verdict)' : 'every HTML, JS, CSS and WASM file (the first load was not measured: --skip-page)'}, gzip: ${sz.first_load_gzip_bytes} (${Object.entries(sz.first_load_gzip_by_kind).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  lines.push('', 'targets (the performance budget)');
  for (const t of result.targets) lines.push(`${t.met === null ? 'SKIP  ' : t.met ? 'MET   ' : 'MISSED'} ${t.target}: ${t.measured}`);
  return lines.join('\n');
}

function targets(result) {
  const t = [];
  const row = (c, impl, env = 'chromium') => result.kernel.find((r) => r.case === c && r.impl === impl && r.env === env);
  for (const c of CASES) {
    const core = row(c.name, 'core-wasm');
    if (core) t.push({ target: `${c.name}: core-wasm >= 1.25x tfjs-wasm (Chromium)`, met: core.speed_vs_tfjs_wasm >= 1.25, measured: `${f(core.speed_vs_tfjs_wasm, 2)}x (${f(core.median_ms)} vs ${f(row(c.name, 'tfjs-wasm').median_ms)} ms)` });
  }
  const big = row('1200x1200x64', 'core-wasm');
  if (big) t.push({ target: '1200x1200x64: core-wasm >= 40% of native', met: big.speed_vs_native >= 0.4, measured: `${f(big.speed_vs_native * 100, 0)}% (${f(big.median_ms)} vs ${f(row('1200x1200x64', 'native', 'native').median_ms)} ms)` });
  if (result.page) {
    const p = result.page;
    t.push({ target: 'first verdict within 300 ms of navigation', met: p.first_verdict_ms <= 300, measured: `${f(p.first_verdict_ms, 1)} ms` });
    for (const [id, limit] of [['article-1', 16], ['article-2', 50], ['article-3', 16]]) {
      t.push({ target: `re-run after an edit, ${id}, within ${limit} ms`, met: p.rerun_ms[id] <= limit, measured: `${f(p.rerun_ms[id], 1)} ms` });
    }
  }
  const sz = result.sizes;
  t.push({ target: '.wasm the first load needs (primary module) <= 150 KB gzip', met: sz.wasm_primary_gzip_bytes <= 150 * 1024, measured: `${sz.wasm_primary_gzip_bytes} bytes` });
  if (result.sizes.first_load_measured) {
    t.push({ target: 'first load <= 350 KB gzip', met: result.sizes.first_load_gzip_bytes <= 350 * 1024, measured: `${result.sizes.first_load_gzip_bytes} bytes` });
  } else {
    t.push({ target: 'first load <= 350 KB gzip', met: null, measured: 'not measured (--skip-page)' });
  }
  return t;
}

// ---- main ----------------------------------------------------------------------------
const loadStart = loadavg();
build();
const { server, url: base } = await serve();
const result = { machine: { cpu: cpus()[0]?.model ?? '?', cores: cpus().length, node: process.version, load_start: loadStart }, kernel: [], page: null };
try {
  const browser = await launch();
  result.machine.chromium = browser.context.browser()?.version() ?? execFileSync(CHROMIUM, ['--version']).toString().trim();
  if (!SKIP_KERNELS) {
    const k = await benchKernels(browser, base);
    result.kernel = k.rows;
    result.kernel_checks = k.checks;
    result.machine.tfjs = k.info;
  }
  let fetched = null;
  if (!SKIP_PAGE) {
    const siteUrl = `${base}/${SITE}/`;
    log('page: first verdict (fresh profile each sample)');
    const first = await firstVerdict(siteUrl, 5);
    fetched = first.fetched;
    log('page: re-runs after edits');
    const rerun = await reruns(browser, siteUrl, 12);
    log('page: heap over 100 re-runs');
    const heap = await heapGrowth(browser, siteUrl, 100);
    result.page = {
      first_verdict_ms: first.median_ms,
      rerun_ms: Object.fromEntries(Object.entries(rerun).map(([k, v]) => [k, v.median_ms])),
      heap_growth_bytes: heap.heap_growth_bytes,
      first_verdict: { median_ms: first.median_ms, min_ms: first.min_ms, max_ms: first.max_ms, samples: first.samples },
      rerun,
      heap,
    };
  }
  result.sizes = sizes(fetched);
  await browser.close();
} finally {
  server.close();
}
result.machine.load_end = loadavg();
result.targets = targets(result);
mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
console.log(report(result));
console.log(`\nJSON: ${path.relative(root, OUT)}`);
