// Transfer-size budgets of the production build, deterministic so they can
// fail the suite: the engine's two .wasm parts, what a first load fetches
// before the first verdict, and the whole built site (index.html and every
// JS, CSS and WASM file `vite build` emits).
// Speed targets are not tested here: they live in `npm run bench`.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const KIB = 1024;
// The targets: the .wasm a first load needs at most 150 KiB, and everything
// the first load needs (HTML, JS, CSS, WASM) at most 350 KiB.
// The engine is split in two (scripts/split-engine.mjs): the primary module
// holds what the first verdict runs and is all the first load fetches; the
// deferred part follows the verdict. Below the targets, the budgets are a
// ratchet at the measured sizes plus a little headroom, so nothing grows
// unnoticed. Lower them as the engine shrinks; never raise them without a
// reason. (History of the whole module: 290,863 B at the start of the size
// work, 246,851 B before the split; see git log of this file.)
//
// What the Embind binding costs (cpp/wasm/bindings.cc, replacing hand-written
// C exports; measured on the same core, gzip -9): primary .wasm +2,542 B
// (126,937 -> 129,479: Embind's registration code and type names, which run
// at instantiation), deferred part +770 B (146,619 -> 147,389), the worker
// +6,718 B (4,156 -> 10,874: Embind's glue, minified by Vite), so the first
// load +9,262 B (152,106 -> 161,368).
//
// What the core's redesign costs (2026-12-07, gzip -9; the first verdict
// runs the new code, so it lands in the primary module): the Keras layers'
// one call path with Keras' argument binding, structured attention stages in
// the trace, the Python runtime's static builtin tables and the Eigen
// kernels: primary +5,201 B (129,479 -> 134,680), deferred +4,565 B
// (147,389 -> 151,954). Shape inference split from every op's compute (with
// partial shapes, for symbolic Keras tensors): primary +170 B, deferred
// +3,027 B (-> 154,981). The primary is still below the 150 KiB target with
// 15 KiB to spare.
//
// What real Keras programs cost (2026-12-07, node zlib -9): symbolic Keras
// (KerasTensor, Model, Sequential, summary), float64/int64, Python classes
// and iterators, Embedding / RNN / Conv1D / pooling / reshaping layers.
// Primary 134,850 -> 152,491 B (+17.6 KB), deferred 154,981 -> 241,751 B.
// Most of the primary's growth is not code the first verdict runs (+1.1 KB
// gzip) but data: wasm-split leaves every data segment in the primary, so
// the message texts, vtables and type names of deferred code land there
// (+9.5 KB gzip), and each moved function adds a placeholder import
// (+1.2 KB). Clawed back: the attr-list texts built from a table (-1.1 KB),
// a one-letter placeholder namespace (-0.4 KB), plain function pointers
// instead of std::function in the iterators and small callables (-1.2 KB).
// 1.1 KB below the 150 KiB target: new deferred features now need their
// data out of the primary (or an equal saving) first.
//
// Which is what the next round did (2026-12-07, node zlib -9): numpy,
// model.fit / evaluate / predict, subclassed layers and models, the
// MultiHeadAttention ranks and the keras.ops / keras.random / keras.src
// gaps grew the primary to 157,653 B, its data again the larger part.
// scripts/move-deferred-data.mjs now moves every data object the primary
// cannot reach (by the link map: strings, vtables, type names, tables) into
// the deferred module, which writes it back when it is instantiated
// (-15.2 KB: 1,806 of 3,488 objects, 59 KB raw), and the keras submodules
// other than layers are built on first use (keras.ops, losses, optimizers,
// activations, random, src: -1.0 KB of registration code). Primary
// 149,789 B (146.3 KiB); deferred 241,751 -> 329,872 B: the new features
// (+56 KB) and the data it now carries (+25 KB). The Keras 2-era backend
// (`K.dot`, ...) and keras.utils, built on first use: primary 151,540 B,
// deferred 345,746 B.
//
// tf-keras 2.21's symbolic models (2026-12-07, node zlib -9): keras.Input,
// layer calls on stand-ins, graph node names, keras.Model and Sequential
// under tf-keras, its summary table, and Keras 3 beside tf-keras. Their
// texts pushed the primary to 154,866 B, again through data: a code
// constant that looks like an address pins the object it points into, and
// a literal the linker merged into the tail of a longer one pinned the
// whole longer string. The data mover now keeps only the tail from the
// first reference on (the heads of 283 strings move) and no longer reads
// data-segment offsets as code references: primary 150,817 B (147.3 KiB),
// deferred 366,130 B (the new features, +14 KB, and the data moved, +6 KB);
// 369,812 B with prints in symbolic calls, ModuleNotFoundError for Keras
// 2-era imports and subclassed models' summaries.
//
// This session's traced-step errors, layer API and tf.data (2026-12-07):
// primary 152,291 B, deferred 382,953 B, again through data pinned by code
// constants (~80 more objects than before). Static data now starts at
// 2,752,512 (-sGLOBAL_BASE, cpp/wasm/CMakeLists.txt) instead of 1024, where
// the small integers code uses (sizes, dims, line numbers) fell on data
// objects: 2,663 of 4,034 objects move (was 2,283 of 3,927), primary
// 149,498 B (146.0 KiB), deferred 390,673 B (+8.8 KB of new features, +12 KB
// of data moved out of the first load), site 722,113 B. With Dataset.map,
// the layer API, Masking, gelu and tf-keras' traced loss errors: primary
// 147,135 B, deferred 406,672 B, site 735,750 B.
//
// Training as users write it and symbolic keras.ops (2026-12-08): models of
// several outputs with per-output losses / weights / metrics, the program's
// loss functions, callbacks, *_on_batch, keras.ops on KerasTensors as graph
// operations, the merge layers' mask ops, dict views, from_config and
// np.bincount, metric objects: primary 148,081 B (+946 B, still 1.9 KiB
// under the target), deferred 430,605 B (+23.9 KB, all code and texts of
// deferred features), site 760,628 B.
export const WASM_GZIP_TARGET = 150 * KIB;
export const FIRST_LOAD_GZIP_TARGET = 350 * KIB;
// Measured 134,850 B (131.7 KiB) after the redesign; 129,479 B before it; 126,937 B
// with C exports instead of Embind; 123,863 B before the fixes real
// TensorFlow's verdicts asked for (eager envelope by call, NumPy 2.4
// printing, Keras 3's backend einsum, masks carried by tensors).
export const PRIMARY_WASM_GZIP_BUDGET = 150 * KIB;
// Measured 154,981 B (151.3 KiB) after the redesign; 147,389 B before it
// (146,619 B with C exports, 139,742 B before
// the same fixes). Both parts: 276,868 B; the split adds ~17 KB over the
// module unsplit (the names of the functions one part calls in the other,
// and a placeholder per moved function).
export const DEFERRED_WASM_GZIP_BUDGET = 425 * KIB;
// What the first load fetches before the first verdict: index.html, its
// stylesheet, the entry chunk and its modulepreloads, the engine worker, and
// the primary module. Measured 166,600 B (162.7 KiB) after the redesign;
// 161,368 B before it (152,106 B with C
// exports, 149,029 B before the fidelity fixes above, 270,969 B unsplit).
// Target: 350 KiB.
// 184,311 B (180.0 KiB) with real Keras programs (the primary's growth, above).
export const FIRST_LOAD_NEEDS_GZIP_BUDGET = 181 * KIB;
// Every HTML/JS/CSS/WASM file of the build, lazy chunks and the deferred
// part included (an upper bound). Measured 469,992 B (459.0 KiB) after the
// redesign; 457,132 B before it (447,100 B
// with C exports, 437,104 B before the fidelity fixes, 419,303 B before the
// split).
// 661,607 B (646.1 KiB) with numpy, training and subclassing (above);
// 679,231 B with the legacy backend; 698,889 B with tf-keras' symbolic
// models (above); 722,113 B with tf.data and the data moved out of the
// first load (above); 735,750 B with the rest of that session's features;
// 760,628 B with several-output training and symbolic keras.ops (above).
export const SITE_GZIP_BUDGET = 750 * KIB;
// The JavaScript a first load runs before the first verdict: the entry chunk
// and the chunks index.html modulepreloads, plus the engine worker (its
// Emscripten loader and Embind's glue included). The editor and the rest of
// the UI are loaded lazily after the verdict (web/full.ts) and not counted.
// Measured 27,156 B (26.5 KiB; 20,436 B with C exports, ~169 KB before the
// split); a ratchet with ~1.5 KB of headroom. 28,979 B with the four
// gallery programs of real Keras code (functional mask, encoder-decoder,
// Transformer block, model.fit: +1.9 KB), whose sources and explanations
// the entry chunk bundles with the rest of the gallery.
export const FIRST_LOAD_JS_GZIP_BUDGET = 30 * KIB;

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
