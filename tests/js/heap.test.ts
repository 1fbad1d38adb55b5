// Running the same program 1000 times does not grow the WASM heap. Loads the real generated module (as the worker does) and runs a
// program 1000 times through ap::Session (what the worker uses) and through
// runProgram, after a warm-up; then the WASM memory (HEAP8.buffer.byteLength)
// must be unchanged and the allocator's bytes in use (mallinfo, exposed thinly
// by the binding's heapStats, engine.heapStats()) back where they were.
// Through web/core/engine.ts, so the JS side of the boundary (the strings
// Embind's glue copies in and out of the heap, the Session objects) is
// covered too.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../web/core/engine';
import type { RunResult } from '../../web/core/types';
import { loadTestEngine } from './engine-fixture';

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');

let engine: Engine;
beforeAll(async () => {
  engine = await loadTestEngine();
});

const WARM_UP = 20;
// Bytes in use may differ by allocator bookkeeping between two identical
// states; a leak of even 100 bytes per run would be 100 KB here.
const TOLERANCE = 16 * 1024;

// [name, source, options, runs]. The error-heavy case (every iteration raises
// and catches, about 0.3 ms a step in WASM) runs 200 times at 300 steps.
const programs: [string, string, { maxSteps?: number }, number][] = [
  ['article-1 (runs)', read('../../web/scenarios/article-1.py'), {}, 1000],
  ['article-2 (Keras error)', read('../../web/scenarios/article-2.py'), {}, 1000],
  ['a limit error (endless loop, caught errors, a cycle)',
    'import tensorflow as tf\na = []\na.append(a)\nwhile True:\n    try:\n        x = tf.ones((2, 3)) + tf.ones((4,))\n    except Exception as e:\n        pass\n',
    { maxSteps: 300 }, 200],
];

function measure(runs: number, run: () => RunResult) {
  for (let i = 0; i < WARM_UP; ++i) run();
  const before = engine.heapStats();
  let last: RunResult | null = null;
  for (let i = 0; i < runs; ++i) last = run();
  const after = engine.heapStats();
  return { before, after, last: last! };
}

describe.each(programs)('%s', (name, source, options, runs) => {
  it('through a Session (as the worker runs it) leaves the heap as it was', () => {
    const session = engine.createSession();
    const { before, after, last } = measure(runs, () => session.run(source, options));
    session.dispose();
    console.log(`heap ${name}, ${runs} runs via Session: memory ${before.memory} -> ${after.memory} bytes; in use ${before.allocated} -> ${after.allocated}`);
    expect(typeof last.ok).toBe('boolean');
    expect(after.memory).toBe(before.memory);
    expect(Math.abs(after.allocated - before.allocated)).toBeLessThanOrEqual(TOLERANCE);
  }, 300_000);

  it('through runProgram leaves the heap as it was', () => {
    const { before, after } = measure(runs, () => engine.runProgram(source, options));
    console.log(`heap ${name}, ${runs} runs via runProgram: memory ${before.memory} -> ${after.memory} bytes; in use ${before.allocated} -> ${after.allocated}`);
    expect(after.memory).toBe(before.memory);
    expect(Math.abs(after.allocated - before.allocated)).toBeLessThanOrEqual(TOLERANCE);
  }, 300_000);
});
