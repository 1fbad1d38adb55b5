// Transfer-size budgets of the production build (issue 6), deterministic so
// they can fail the suite: the engine's two .wasm parts, what a first load
// fetches before the first verdict, and the whole built site (index.html and
// every JS, CSS and WASM file `vite build` emits).
// Speed targets are not tested here: they live in `npm run bench`.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const KIB = 1024;
// Issue 6's targets: the .wasm a first load needs at most 150 KiB, and
// everything the first load needs (HTML, JS, CSS, WASM) at most 350 KiB.
// The engine is split in two (scripts/split-engine.mjs): the primary module
// holds what the first verdict runs and is all the first load fetches; the
// deferred part follows the verdict. Below the targets, the budgets are a
// ratchet at the measured sizes plus a little headroom, so nothing grows
// unnoticed. Lower them as the engine shrinks; never raise them without a
// reason. (History of the whole module: 290,863 B at the start of issue 6's
// size work, 246,851 B before the split; see git log of this file.)
export const WASM_GZIP_TARGET = 150 * KIB;
export const FIRST_LOAD_GZIP_TARGET = 350 * KIB;
// Measured 126,949 B (124.0 KiB) with the first scenario's profile; was
// 123,863 B before the fixes real TensorFlow's verdicts asked for (eager
// envelope by call, NumPy 2.4 printing, Keras 3's backend einsum, masks
// carried by tensors).
export const PRIMARY_WASM_GZIP_BUDGET = 125 * KIB;
// Measured 146,118 B (142.7 KiB; 139,742 B before the same fixes). Both
// parts: 273,067 B; the split adds ~17 KB over the module unsplit (the names
// of the functions one part calls in the other, and a placeholder per moved
// function).
export const DEFERRED_WASM_GZIP_BUDGET = 144 * KIB;
// What the first load fetches before the first verdict: index.html, its
// stylesheet, the entry chunk and its modulepreloads, the engine worker, and
// the primary module. Measured 152,125 B (148.6 KiB; 149,029 B before the
// fidelity fixes above, 270,969 B unsplit). Target: 350 KiB.
export const FIRST_LOAD_NEEDS_GZIP_BUDGET = 149 * KIB;
// Every HTML/JS/CSS/WASM file of the build, lazy chunks and the deferred
// part included (an upper bound). Measured 446,618 B (436.2 KiB; 437,104 B
// before the fidelity fixes, 419,303 B before the split).
export const SITE_GZIP_BUDGET = 437 * KIB;
// The JavaScript a first load runs before the first verdict: the entry chunk
// and the chunks index.html modulepreloads, plus the engine worker (its
// Emscripten loader included). The editor and the rest of the UI are loaded
// lazily after the verdict (web/full.ts) and not counted. Measured 18.8 KiB
// gzip (19286 B; 25.8 KiB = 26400 B with Embind's glue in the worker, ~169 KB
// before the split); a ratchet with ~1 KB of headroom.
export const FIRST_LOAD_JS_GZIP_BUDGET = 20 * KIB;

const repo = fileURLToPath(new URL('../../', import.meta.url));
const gzipSize = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).length;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('production transfer size (gzip -9)', () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'ap-size-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it(`the engine's primary .wasm is at most ${PRIMARY_WASM_GZIP_BUDGET / KIB} KiB, its deferred part ${DEFERRED_WASM_GZIP_BUDGET / KIB} KiB`, () => {
    const primary = gzipSize(path.join(repo, 'web/generated/attention_engine.wasm'));
    const deferred = gzipSize(path.join(repo, 'web/generated/attention_engine.deferred.wasm'));
    expect(PRIMARY_WASM_GZIP_BUDGET).toBeLessThanOrEqual(WASM_GZIP_TARGET);
    expect(primary, `attention_engine.wasm is ${primary} bytes gzip`).toBeLessThanOrEqual(PRIMARY_WASM_GZIP_BUDGET);
    expect(deferred, `attention_engine.deferred.wasm is ${deferred} bytes gzip`).toBeLessThanOrEqual(DEFERRED_WASM_GZIP_BUDGET);
  });

  it(`the first load needs at most ${FIRST_LOAD_NEEDS_GZIP_BUDGET / KIB} KiB; the whole site is at most ${SITE_GZIP_BUDGET / KIB} KiB`, async () => {
    await build({ root: repo, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const files = filesUnder(outDir).filter((f) => /\.(html|m?js|css|wasm)$/.test(f));
    const sizes = files.map((f) => [path.relative(outDir, f), gzipSize(f)] as const);
    const total = sizes.reduce((sum, [, s]) => sum + s, 0);
    expect(files.some((f) => f.endsWith('.wasm')), 'the build contains the engine').toBe(true);
    expect(total, `the site is ${total} bytes gzip: ${JSON.stringify(sizes)}`).toBeLessThanOrEqual(SITE_GZIP_BUDGET);

    // (the same build) What runs before the first verdict: index.html's
    // module script and modulepreloads, and the worker. (The entry is a
    // `<script async type="module">`: attributes in any order.)
    const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    const linked = [...html.matchAll(/<(?:script[^>]*type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\.\/([^"]+\.js)"/g)].map((m) => m[1] as string);
    const styles = [...html.matchAll(/<link rel="stylesheet"[^>]*href="\.\/([^"]+\.css)"/g)].map((m) => m[1] as string);
    const assets = filesUnder(path.join(outDir, 'assets')).map((f) => path.relative(outDir, f));
    const workers = assets.filter((f) => /\/worker-[^/]+\.js$/.test(f));
    const primaryWasm = assets.filter((f) => /\/attention_engine-[^/.]+\.wasm$/.test(f));
    expect(linked.length, 'index.html loads an entry chunk').toBeGreaterThan(0);
    expect(styles.length, 'index.html links its stylesheet').toBeGreaterThan(0);
    expect(workers, 'the build has one engine worker').toHaveLength(1);
    expect(primaryWasm, 'the build has one primary engine module').toHaveLength(1);
    const firstJs = [...linked, ...workers].map((f) => [f, gzipSize(path.join(outDir, f))] as const);
    const jsTotal = firstJs.reduce((sum, [, s]) => sum + s, 0);
    expect(jsTotal, `first-load JS is ${jsTotal} bytes gzip: ${JSON.stringify(firstJs)}`).toBeLessThanOrEqual(FIRST_LOAD_JS_GZIP_BUDGET);
    const needed = ['index.html', ...styles, ...linked, ...workers, ...primaryWasm]
      .map((f) => [f, gzipSize(path.join(outDir, f))] as const);
    const neededTotal = needed.reduce((sum, [, s]) => sum + s, 0);
    expect(FIRST_LOAD_NEEDS_GZIP_BUDGET).toBeLessThanOrEqual(FIRST_LOAD_GZIP_TARGET);
    expect(neededTotal, `the first load needs ${neededTotal} bytes gzip: ${JSON.stringify(needed)}`).toBeLessThanOrEqual(
      FIRST_LOAD_NEEDS_GZIP_BUDGET,
    );
  }, 120_000);
});
