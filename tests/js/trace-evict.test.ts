// Eviction under memory pressure in the WASM engine: a loop over large
// temporaries runs (the trace gives its copies back to the program), early
// steps' tensors come without an id and with values_dropped, and the page
// says so in plain text instead of fetching values that are gone.
import { Window } from 'happy-dom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../web/core/engine';
import { isTensorValue, valuesNotKeptNote, type RunResult, type TensorValue, type TracedTensor } from '../../web/core/types';
import { createHeatmap } from '../../web/ui/heatmap';
import { attentionWeights } from '../../web/ui/steps';
import { loadTestEngine } from './engine-fixture';

let engine: Engine;
beforeAll(async () => {
  engine = await loadTestEngine();
});

const loop = (iterations: number): string =>
  [
    'import tensorflow as tf',
    'x = tf.random.normal((1200, 1200))',
    `for i in range(${iterations}):`,
    '    y = x + x * 2.0 - 1.0',
    '    m = tf.where(y > 0, y, tf.zeros_like(y))',
    '    print(i)',
    '',
  ].join('\n');

const bindings = (result: RunResult, name: string): TensorValue[] =>
  result.steps.flatMap((s) => s.bindings.filter((b) => b.name === name).map((b) => b.value)).filter(isTensorValue);

describe('trace eviction in the WASM engine', () => {
  // The program from the bug report failed at iteration 7 with a false OOM.
  it('runs the loop over 5.76 MB temporaries to the end', () => {
    const result = engine.runProgram(loop(10), { profile: 'keras3', seed: 0 });
    expect(result.error).toBeNull();
    expect(result.ok).toBe(true);
    expect(result.stdout).toBe('0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n');
  });

  // The first iteration's y is summarised without an id and flagged; the
  // last one keeps its id; the page's note is plain text naming the limit.
  it('reports values_dropped for an early step and keeps the latest', () => {
    const result = engine.runProgram(loop(10), { profile: 'keras3', seed: 0 });
    const ys = bindings(result, 'y');
    expect(ys).toHaveLength(10);
    const first = ys[0]!;
    expect(first.values_dropped).toBe(true);
    expect(first.id).toBeUndefined();
    expect(first).toMatchObject({ shape: [1200, 1200], dtype: 'float32' });
    expect(typeof first.min).toBe('number');
    expect(Array.isArray(first.values) && first.values.length).toBe(8);
    expect(valuesNotKeptNote(first)).toBe('Values not kept: the trace released this tensor to free memory for the program (live-memory limit 256 MiB).');
    const last = ys[ys.length - 1]!;
    expect(last.values_dropped).toBeUndefined();
    expect(typeof last.id).toBe('number');
    expect(valuesNotKeptNote(last)).toBeNull();
  });

  // The heatmap's tensor: the last Attention call's weights keep an id the
  // session can serve; the first call's were released.
  it('keeps the last attention weights fetchable', () => {
    const session = engine.createSession();
    try {
      const src = [
        'import tensorflow as tf',
        'from tensorflow.keras import layers',
        'q = tf.random.normal((1, 1200, 8))',
        'v = tf.random.normal((1, 1200, 8))',
        'attn = layers.Attention()',
        'for i in range(40):',
        '    out = attn([q, v])',
        '',
      ].join('\n');
      const result = session.run(src, { profile: 'keras3', seed: 0 });
      expect(result.error).toBeNull();
      const picked = attentionWeights(result);
      expect(picked?.weights.values_dropped).toBeUndefined();
      const id = picked?.weights.id;
      expect(typeof id).toBe('number');
      expect(session.tensor(id as number)?.shape).toEqual([1, 1200, 1200]);
      const firstCall = result.steps.flatMap((s) => s.calls ?? []).find((c) => c.callee === 'Attention');
      const firstWeights = firstCall?.intermediates?.find((t) => t.label === 'weights');
      expect(firstWeights?.values_dropped).toBe(true);
      expect(firstWeights?.id).toBeUndefined();
    } finally {
      session.dispose();
    }
  });
});

describe('the heatmap of released weights', () => {
  // No fetch for a tensor without an id; the reason is shown as text, never
  // parsed as HTML.
  it('shows the plain-text note instead of fetching', () => {
    const document = new Window().document as unknown as Document;
    const container = document.createElement('div');
    document.body.append(container);
    let fetches = 0;
    const heatmap = createHeatmap(container, () => {
      fetches++;
      return Promise.reject(new Error('no values'));
    });
    const weights: TracedTensor = {
      label: 'weights',
      axes: 'batch,Tq,Tv',
      shape: [1, 1200, 1200],
      dtype: 'float32',
      values_dropped: true,
      values_dropped_reason: '<b>the trace released this tensor</b>',
    };
    heatmap.show(weights);
    const status = container.querySelector('.ap-heatmap-empty');
    expect(status?.textContent).toBe('Values not kept: <b>the trace released this tensor</b>.');
    expect(status?.querySelector('b')).toBeNull();
    expect(fetches).toBe(0);
  });
});
