// The Chromium side of the kernel benchmark: the same suite as in Node,
// exposed to tests/bench/run.mjs as window.bench.
import { CASES, coreWasmImpl, jsImpl, tfjsImpl, timeCalls } from '../kernel-suite.mjs';

// ?core=DIR (under the repo root): the core's bench module to load, by default
// build-wasm/bench (the drivers pass AP_BENCH_MODULE_DIR).
const coreDir = new URLSearchParams(location.search).get('core') ?? 'build-wasm/bench';
const { default: createAttentionBench } = await import(`/${coreDir}/attention_bench.mjs`);

const tf = globalThis.tf;
tf.wasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');

const impls = {
  'core-wasm': coreWasmImpl(await createAttentionBench()),
  'tfjs-wasm': tfjsImpl(tf, 'wasm'),
  'tfjs-cpu': tfjsImpl(tf, 'cpu'),
  js: jsImpl(),
};
// ?ab=DIR,DIR: more bench builds (each DIR, under the repo root, holds an
// attention_bench.{mjs,wasm}) as impls 'ab:DIR', for tests/bench/ab-chromium.mjs.
for (const dir of new URLSearchParams(location.search).get('ab')?.split(',').filter(Boolean) ?? []) {
  const { default: create } = await import(`/${dir}/attention_bench.mjs`);
  impls[`ab:${dir}`] = coreWasmImpl(await create());
}
let current = null;

window.bench = {
  /** Prepares `impl` on case `name`; returns the output checksum of one run. */
  async prepare(impl, name) {
    const c = CASES.find((x) => x.name === name);
    if (current && current !== impls[impl]) current.dispose?.();
    current = impls[impl];
    await current.init?.();
    current.prepare(c);
    current.run();
    return current.checksum();
  },
  time: (calls) => timeCalls(current, calls, () => performance.now()),
  info: async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    return { tfjsWasmSimd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), tfjsWasmThreads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') };
  },
};
window.benchReady = true;
