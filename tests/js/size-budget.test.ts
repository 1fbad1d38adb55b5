// Transfer-size budgets of the production build (issue 6), deterministic so
// they can fail the suite: the engine's .wasm alone, and everything a first
// load fetches (index.html and every JS, CSS and WASM file `vite build`
// emits: an upper bound, since lazily loaded chunks are counted too).
// Speed targets are not tested here: they live in `npm run bench`.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const KIB = 1024;
// Issue 6's targets are 150 KiB (.wasm) and 350 KiB (first load). Not met
// yet (README, "Benchmark"): until they are, these budgets are a ratchet at
// the measured sizes plus a little headroom, so nothing grows unnoticed.
// Lower them as the engine shrinks; never raise them without a reason.
export const WASM_GZIP_TARGET = 150 * KIB;
export const FIRST_LOAD_GZIP_TARGET = 350 * KIB;
// Measured 279.0 KiB (285747 B) after the size work, 275.9 KiB (282473 B)
// without Embind (plain C exports), 279.7 KiB (286406 B) with the fused
// attention kernel and its second GEMM micro-kernel variant (+3.9 KB, for
// the speed targets), 282.2 KiB (288986 B) with the trace's eviction under
// memory pressure (interp/trace_store.cc, tensor_digest.cc: +2.3 KB over
// 286635 B; without it a loop over large temporaries ran out of memory),
// 283.3 KiB (290075 B) with packed-A tiles and SIMD transposes in the GEMM
// (+1.1 KB, for 1.27-1.39x over TF.js at d >= 64 in Chromium), 260.2 KiB
// (266433 B) with the size work of branch size3 (minsize orchestration in
// the ops, dtype-generic copies, function-pointer builtins, parameter lists
// as strings: -23.6 KB), 254.7 KiB (260863 B) with callback parameters as
// FunctionRef and Error's members out of line (-5.6 KB), 252.4 KiB
// (258462 B) with Reduce/Transpose/Where's checks for size and a second
// wasm-opt pass (-2.9 KB), 251.9 KiB (257979 B) without vector<bool> and
// vector::insert in the -O3 ops, 250.5 KiB (256519 B) with the op families'
// bodies as plain functions with an integer of data, 246.4 KiB (252321 B)
// with the run document built member by member (no nlohmann initializer-
// list objects), 245.3 KiB (251233 B) with 39 error kinds' texts as format
// strings, 242.6 KiB (248428 B) with the Keras layers' parameter lists as
// strings; merged with main's tiny-head-dim scores (+2 KB, for 1.18x at
// 1200x1200x2) and emmalloc (-3.2 KB): 241.1 KiB (246851 B).
export const WASM_GZIP_BUDGET = 242 * KIB;
// Every HTML/JS/CSS/WASM file of the build, lazy chunks included (an upper bound).
export const FIRST_LOAD_GZIP_BUDGET = 411 * KIB; // measured 409.5 KiB (419303 B) with main merged, 411.0 KiB (420881 B) after the eighth size3 step, 413.8 KiB (423687 B) after the seventh, 414.8 KiB (424773 B) after the sixth, 418.9 KiB (428970 B) after the fifth, 420.3 KiB (430431 B) after the fourth, 420.8 KiB (430913 B) after the third; 423.2 KiB (433314 B) after the second; 428.6 KiB (438884 B) after the size3 work on the .wasm (-24.3 KB); before: 447.9 KiB (458669 B): 444.1 KiB without Embind, +3.9 KB of fused kernel; 450.6 KiB (461436 B) with the trace's eviction (+2.3 KB of .wasm); 452.4 KiB (463214 B) with the packed-A GEMM and fused normalisation (+1.8 KB of .wasm)
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

  it(`the engine .wasm is at most ${WASM_GZIP_BUDGET / KIB} KiB`, () => {
    const size = gzipSize(path.join(repo, 'web/generated/attention_engine.wasm'));
    if (size > WASM_GZIP_TARGET) console.warn(`attention_engine.wasm: ${size} bytes gzip, issue 6 target ${WASM_GZIP_TARGET}`);
    expect(size, `attention_engine.wasm is ${size} bytes gzip`).toBeLessThanOrEqual(WASM_GZIP_BUDGET);
  });

  it(`HTML + JS + CSS + WASM of the built site are at most ${FIRST_LOAD_GZIP_BUDGET / KIB} KiB`, async () => {
    await build({ root: repo, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const files = filesUnder(outDir).filter((f) => /\.(html|m?js|css|wasm)$/.test(f));
    const sizes = files.map((f) => [path.relative(outDir, f), gzipSize(f)] as const);
    const total = sizes.reduce((sum, [, s]) => sum + s, 0);
    expect(files.some((f) => f.endsWith('.wasm')), 'the build contains the engine').toBe(true);
    if (total > FIRST_LOAD_GZIP_TARGET) console.warn(`first load: ${total} bytes gzip, issue 6 target ${FIRST_LOAD_GZIP_TARGET}`);
    expect(total, `first load is ${total} bytes gzip: ${JSON.stringify(sizes)}`).toBeLessThanOrEqual(FIRST_LOAD_GZIP_BUDGET);

    // (the same build) What runs before the first verdict: index.html's
    // module script and modulepreloads, and the worker. (The entry is a
    // `<script async type="module">`: attributes in any order.)
    const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    const linked = [...html.matchAll(/<(?:script[^>]*type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\.\/([^"]+\.js)"/g)].map((m) => m[1] as string);
    const workers = filesUnder(path.join(outDir, 'assets')).filter((f) => /\/worker-[^/]+\.js$/.test(f)).map((f) => path.relative(outDir, f));
    expect(linked.length, 'index.html loads an entry chunk').toBeGreaterThan(0);
    expect(workers, 'the build has one engine worker').toHaveLength(1);
    const firstJs = [...linked, ...workers].map((f) => [f, gzipSize(path.join(outDir, f))] as const);
    const jsTotal = firstJs.reduce((sum, [, s]) => sum + s, 0);
    expect(jsTotal, `first-load JS is ${jsTotal} bytes gzip: ${JSON.stringify(firstJs)}`).toBeLessThanOrEqual(FIRST_LOAD_JS_GZIP_BUDGET);
  }, 120_000);
});
