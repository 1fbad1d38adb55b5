// The WASM engine and the native one (attn-run, same cpp/core) must give the
// same run document for the same program, seed and profile: catches
// differences of the WASM build (exception model, SIMD, libc++ vs libstdc++
// random distributions, 32-bit size_t) that native tests cannot see.
// Programs: the shared corpus (tests/corpus/public.json) plus a few edge cases.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../web/core/engine';
import type { Profile } from '../../web/core/types';
import { loadTestEngine } from './engine-fixture';

const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const attnRun = process.env['AP_ATTN_RUN'] ?? repo('build-native/attn-run');
const haveNative = existsSync(attnRun);

interface CorpusCase { id: string; code: string }
const corpus = JSON.parse(readFileSync(repo('tests/corpus/public.json'), 'utf8')) as CorpusCase[];
const programs: [string, string][] = [
  ...corpus.map((c): [string, string] => [c.id, c.code]),
  ['syntax error', 'x = (1,\n'],
  ['name error', 'y = x + 1\n'],
  ['random values', 'import tensorflow as tf\nx = tf.random.normal((3, 4))\ny = tf.random.uniform((2,))\n'],
];

function runNative(source: string, profile: Profile, seed: number): unknown {
  const out = execFileSync(attnRun, ['--json', '--profile', profile, '--seed', String(seed), '-'], {
    input: source,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out);
}

/** Deep equality, numbers within a relative 1e-5 (float32 sums may round differently). */
function expectSame(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const tolerance = 1e-5 * Math.max(1, Math.abs(expected));
    if (!(Math.abs(actual - expected) <= tolerance || Object.is(actual, expected))) {
      expect.fail(`${path}: wasm ${actual} vs native ${expected}`);
    }
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    expect(actual.length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => expectSame(actual[i], e, `${path}[${i}]`));
    return;
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    expect(Object.keys(actual).sort(), `${path} keys`).toEqual(Object.keys(expected).sort());
    for (const [k, e] of Object.entries(expected)) expectSame((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}

let engine: Engine;
beforeAll(async () => {
  engine = await loadTestEngine();
});

describe.skipIf(!haveNative)(`WASM and native attn-run agree (${attnRun})`, () => {
  for (const [name, source] of programs) {
    for (const profile of ['keras3', 'tf_keras'] as const) {
      it(`${name} [${profile}]`, () => {
        const wasm = engine.runProgram(source, { profile, seed: 7 });
        expectSame(wasm, runNative(source, profile, 7));
      });
    }
  }
});
