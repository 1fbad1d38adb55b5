// The attention forward pass (scores = q·kᵀ, softmax over Tv, weights·v) in
// every implementation the benchmark compares, for Node and for the Chromium
// bench page alike (no Node or DOM API here). tests/bench/run.mjs drives it.

/** (Tq, Tv, d) cases of the performance budget; `heads` > 1 is the multi-head case. */
export const CASES = [
  { name: '32x1200x2', tq: 32, tv: 1200, d: 2, heads: 1 },
  { name: '32x1200x128', tq: 32, tv: 1200, d: 128, heads: 1 },
  { name: '1200x1200x2', tq: 1200, tv: 1200, d: 2, heads: 1 },
  { name: '1200x1200x64', tq: 1200, tv: 1200, d: 64, heads: 1 },
  { name: '512x512x64', tq: 512, tv: 512, d: 64, heads: 1 },
  { name: 'h8x512x512x64', tq: 512, tv: 512, d: 64, heads: 8 },
];

export const IMPLS = ['core-wasm', 'tfjs-wasm', 'tfjs-cpu', 'js'];

/** Deterministic inputs in [-1, 1]; attention_bench.cc fills the same. */
export function fill(array, which) {
  for (let i = 0; i < array.length; i += 1) array[i] = Math.sin(i * 0.37 + which * 1.3);
  return array;
}

function inputs(c) {
  return {
    q: fill(new Float32Array(c.heads * c.tq * c.d), 0),
    k: fill(new Float32Array(c.heads * c.tv * c.d), 1),
    v: fill(new Float32Array(c.heads * c.tv * c.d), 2),
  };
}

const sum = (a) => a.reduce((s, x) => s + x, 0);

/** This project's core in WASM: tests/bench/attention_bench.cc's exports. */
export function coreWasmImpl(module) {
  let out = 0;
  return {
    prepare(c) {
      module._bench_prepare(c.tq, c.tv, c.d, c.heads);
      const { q, k, v } = inputs(c);
      [q, k, v].forEach((src, which) => module.HEAPF32.set(src, module._bench_buffer(which) >> 2));
      out = c.heads * c.tq * c.d;
    },
    run() {
      module._bench_run();
    },
    checksum() {
      const p = module._bench_buffer(3) >> 2;
      return sum(module.HEAPF32.subarray(p, p + out));
    },
  };
}

/**
 * TensorFlow.js on `backend`, in its fastest call pattern (measured):
 * tf.matMul(q, tf.transpose(k)), tf.softmax, tf.matMul(w, v), one loop
 * iteration per head. dataSync() on the (small) output ends each call.
 */
export function tfjsImpl(tf, backend) {
  let qs = [], ks = [], vs = [], last = [];
  const dispose = () => {
    [...qs, ...ks, ...vs, ...last].forEach((t) => t.dispose());
    qs = []; ks = []; vs = []; last = [];
  };
  return {
    async init() {
      await tf.setBackend(backend);
      await tf.ready();
    },
    prepare(c) {
      if (tf.getBackend() !== backend) throw new Error(`backend ${tf.getBackend()} is not ${backend}`);
      dispose();
      const { q, k, v } = inputs(c);
      for (let h = 0; h < c.heads; h += 1) {
        qs.push(tf.tensor2d(q.subarray(h * c.tq * c.d, (h + 1) * c.tq * c.d), [c.tq, c.d]));
        ks.push(tf.tensor2d(k.subarray(h * c.tv * c.d, (h + 1) * c.tv * c.d), [c.tv, c.d]));
        vs.push(tf.tensor2d(v.subarray(h * c.tv * c.d, (h + 1) * c.tv * c.d), [c.tv, c.d]));
      }
    },
    run() {
      last.forEach((t) => t.dispose());
      last = tf.tidy(() => qs.map((q, h) => tf.matMul(tf.softmax(tf.matMul(q, tf.transpose(ks[h]))), vs[h])));
      last[last.length - 1].dataSync();
    },
    checksum() {
      return sum(last.map((t) => sum(t.dataSync())));
    },
    dispose,
  };
}

/** A plain JavaScript loop over Float32Arrays (what a learner would write). */
export function jsImpl() {
  let c, q, k, v, scores, out;
  return {
    prepare(cs) {
      c = cs;
      ({ q, k, v } = inputs(c));
      scores = new Float32Array(c.tv);
      out = new Float32Array(c.heads * c.tq * c.d);
    },
    run() {
      const { tq, tv, d, heads } = c;
      for (let h = 0; h < heads; h += 1) {
        const qo = h * tq * d, ko = h * tv * d;
        for (let i = 0; i < tq; i += 1) {
          let max = -Infinity;
          for (let j = 0; j < tv; j += 1) {
            let s = 0;
            for (let p = 0; p < d; p += 1) s += q[qo + i * d + p] * k[ko + j * d + p];
            scores[j] = s;
            if (s > max) max = s;
          }
          let total = 0;
          for (let j = 0; j < tv; j += 1) {
            const e = Math.exp(scores[j] - max);
            scores[j] = e;
            total += e;
          }
          const o = qo + i * d;
          for (let p = 0; p < d; p += 1) out[o + p] = 0;
          for (let j = 0; j < tv; j += 1) {
            const w = scores[j] / total;
            for (let p = 0; p < d; p += 1) out[o + p] += w * v[ko + j * d + p];
          }
        }
      }
    },
    checksum() {
      return sum(out);
    },
  };
}

/**
 * Times `calls` back-to-back runs after one untimed warm-up run and returns
 * ms per call. `now` is performance.now in both environments.
 */
export function timeCalls(impl, calls, now) {
  impl.run();
  const t0 = now();
  for (let i = 0; i < calls; i += 1) impl.run();
  return (now() - t0) / calls;
}
