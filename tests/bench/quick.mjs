#!/usr/bin/env node
// Quick interleaved kernel comparison in Node (development aid, not part of
// `npm run bench`): node tests/bench/quick.mjs [--rounds N] [--cases a,b]
// [--tfjs] DIR... where each DIR holds an attention_bench.{mjs,wasm} build;
// prints the median ms per case and module (and TF.js wasm with --tfjs), with
// ratios to the first module, interleaved so machine load hits all alike;
// process CPU time per call.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { CASES, coreWasmImpl, tfjsImpl, timeCalls } from './kernel-suite.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const rounds = Number(opt('--rounds', '5'));
const pick = opt('--cases', '');
const tfjs = argv.includes('--tfjs');
const phases = argv.includes('--phases');
const dirs = argv.filter((a) => !a.startsWith('--'));
const cases = pick ? CASES.filter((c) => pick.split(',').includes(c.name)) : CASES;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const impls = [];
for (const dir of dirs) {
  const { default: create } = await import(path.resolve(dir, 'attention_bench.mjs'));
  const module = await create({ wasmBinary: readFileSync(path.resolve(dir, 'attention_bench.wasm')) });
  impls.push({ name: dir, impl: coreWasmImpl(module), module });
}
if (tfjs) {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-wasm');
  const t = tfjsImpl(tf, 'wasm');
  await t.init();
  impls.push({ name: 'tfjs-wasm', impl: t });
}
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const c of cases) {
  const samples = impls.map(() => []);
  const sums = [];
  for (const { impl } of impls) {
    impl.prepare(c);
    impl.run();
    sums.push(impl.checksum());
  }
  const calls = impls.map(({ impl }) => {
    impl.prepare(c);
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < 300) {
      impl.run();
      n += 1;
    }
    return Math.max(1, Math.ceil((n * 25) / 300));
  });
  for (let r = 0; r < rounds; r += 1) {
    for (let j = 0; j < impls.length; j += 1) {
      const k = (j + r) % impls.length;
      impls[k].impl.prepare(c);
      // Process CPU time, not wall time: on a loaded machine the wall clock
      // also counts the time other processes held the core.
      samples[k].push(timeCalls(impls[k].impl, calls[k], cpuMs));
    }
  }
  const ms = samples.map(median);
  if (phases) {
    for (const { name, impl, module } of impls) {
      if (!module?._bench_phases) continue;
      impl.prepare(c);
      const p = module._bench_phases(Math.max(2, calls[0])) >> 3;
      const v = [...module.HEAPF64.subarray(p, p + 4)].map((x) => x.toFixed(3));
      console.log(`  ${path.basename(name)} phases: transpose ${v[0]} mm1 ${v[1]} softmax ${v[2]} mm2 ${v[3]}`);
    }
  }
  console.log(
    `${c.name.padEnd(14)} ` +
      impls.map(({ name }, i) => `${path.basename(name)} ${ms[i].toFixed(3)} ms (x${(ms[0] / ms[i]).toFixed(2)}, sum ${sums[i].toFixed(3)})`).join('  '),
  );
}
