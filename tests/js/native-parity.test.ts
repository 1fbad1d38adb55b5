// The WASM engine and the native one (attn-run, same cpp/core) must give the
// same run document for the same program, seed and profile: catches
// differences of the WASM build (exception model, SIMD, libc++ vs libstdc++
// random distributions, 32-bit size_t) that native tests cannot see.
// Programs: the shared corpus (tests/corpus/public.json), a few edge cases,
// and one failing call per op family.
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

// Every op family's error path (and a few layers'): the JS tests otherwise
// reach few of them, and a WASM-only fault there (a throw that does not
// unwind, a recursion) would go unseen. Each must fail, alike in both builds.
const OP_ERROR_PREAMBLE = 'import tensorflow as tf\nfrom tensorflow.keras import layers\n';
const opErrors: [string, string][] = [
  ['add', 'tf.ones((32, 2)) + tf.ones((1200, 2))'],
  ['matmul', 'tf.matmul(tf.ones((2, 3)), tf.ones((4, 5)))'],
  ['batch_matmul', 'tf.matmul(tf.ones((2, 2, 3)), tf.ones((3, 3, 4)))'],
  ['concat', 'tf.concat([tf.ones((2, 3)), tf.ones((4, 5))], axis=0)'],
  ['concat_axis', 'tf.concat([tf.ones((2, 3)), tf.ones((2, 3))], axis=5)'],
  ['stack', 'tf.stack([tf.ones((2, 3)), tf.ones((3, 2))])'],
  ['reshape', 'tf.reshape(tf.ones((2, 3)), (4, 2))'],
  ['reshape_two_unknown', 'tf.reshape(tf.ones((2, 3)), (-1, -1))'],
  ['transpose', 'tf.transpose(tf.ones((2, 3)), perm=[0, 0])'],
  ['slice_index', 'tf.ones((2, 3))[5]'],
  ['slice_rank', 'tf.ones((2, 3))[0, 0, 0]'],
  ['gather', 'tf.gather(tf.ones((2, 3)), [7])'],
  ['pad', 'tf.pad(tf.ones((2, 3)), [[1, 1]])'],
  ['reduce_axis', 'tf.reduce_sum(tf.ones((2, 3)), axis=4)'],
  ['split', 'tf.split(tf.ones((2, 3)), 2, axis=1)'],
  ['tile', 'tf.tile(tf.ones((2, 3)), [2])'],
  ['expand_dims', 'tf.expand_dims(tf.ones((2, 3)), 7)'],
  ['squeeze', 'tf.squeeze(tf.ones((2, 3)), axis=0)'],
  ['where', 'tf.where(tf.ones((2, 3)) > 0, tf.ones((4,)), tf.ones((2, 3)))'],
  ['softmax_axis', 'tf.nn.softmax(tf.ones((2, 3)), axis=3)'],
  ['oom', 'tf.zeros((100000, 100000))'],
  ['negative_dim', 'tf.zeros((-1, 3))'],
  ['argmax_axis', 'tf.argmax(tf.ones((2, 3)), axis=2, output_type=tf.int32)'],
  ['cumsum_axis', 'tf.math.cumsum(tf.ones((2, 3)), axis=3)'],
  ['one_hot_like_eye', 'tf.eye(-2)'],
  ['sequence_mask', 'tf.sequence_mask([1, 2], maxlen=-1)'],
  ['int_float_add', 'tf.constant([1, 2]) + tf.constant([1.0, 2.0])'],
  ['attention_feature', 'layers.Attention()([tf.ones((1, 32, 2)), tf.ones((1, 1200, 3))])'],
  ['mha_build', 'layers.MultiHeadAttention(num_heads=2, key_dim=4)(tf.ones((1, 5, 8)), tf.ones((1, 6)))'],
  ['dense_spec', 'd = layers.Dense(4); d(tf.ones((2, 3))); d(tf.ones((2, 5)))'],
];
const opErrorPrograms: [string, string][] = opErrors.map(([name, line]) => [`op error: ${name}`, `${OP_ERROR_PREAMBLE}${line}\n`]);

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
  for (const [name, source] of opErrorPrograms) {
    it(name, () => {
      const wasm = engine.runProgram(source, { profile: 'keras3', seed: 7 });
      expect(wasm.ok, `${name} should fail`).toBe(false);
      expectSame(wasm, runNative(source, 'keras3', 7));
    });
  }
});
