// The shape-flow SVG, built from real run documents of the WASM engine: roles
// and flags from the call's inputs, named dims, the failing stage and axis.
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../web/core/engine';
import type { RunCall, RunError, RunResult } from '../../web/core/types';
import { buildShapeFlow } from '../../web/ui/shape-flow-model';
import { renderShapeFlow } from '../../web/ui/shape-flow-view';
import { loadTestEngine } from './engine-fixture';

let engine: Engine;
const document = new Window().document as unknown as Document;
beforeAll(async () => {
  engine = await loadTestEngine();
});

function scenario(name: string): string {
  return readFileSync(new URL(`../../web/scenarios/${name}.py`, import.meta.url), 'utf8');
}

function attentionCall(result: RunResult): RunCall {
  const call = result.steps.flatMap((s) => s.calls ?? []).find((c) => /Attention$/.test(c.callee));
  if (!call) throw new Error('no attention call in the run');
  return call;
}

function render(result: RunResult): SVGSVGElement {
  const container = document.createElement('div');
  document.body.append(container);
  renderShapeFlow(container, attentionCall(result), result.error);
  const svg = container.querySelector('svg');
  if (!svg) throw new Error('no svg');
  return svg;
}

const node = (svg: Element, id: string): Element => {
  const found = svg.querySelector(`[data-node="${id}"]`);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};
/** The visible text: the <text> lines joined with spaces (wrapping splits sentences). */
const text = (el: Element | null): string => [...(el?.querySelectorAll('text') ?? [])].map((t) => t.textContent).join(' ');
const chips = (el: Element): string[] => [...el.querySelectorAll('.apv-chip')].map((c) => `${c.getAttribute('data-axis')}=${c.getAttribute('data-size')}`);

describe('article scenario 1: [query_tensor, key_tensor, value_tensor]', () => {
  let svg: SVGSVGElement;
  beforeAll(() => {
    svg = render(engine.runProgram(scenario('article-1'), { seed: 0 }));
  });

  // An accessible image: role, and a title/desc pair that says it in words.
  it('is an accessible image with a title and a description', () => {
    expect(svg.getAttribute('role')).toBe('img');
    const [titleId, descId] = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
    expect(svg.querySelector(`title#${titleId}`)?.textContent).toBe("Shape flow of Attention 'attention'");
    const desc = svg.querySelector(`desc#${descId}`)?.textContent ?? '';
    expect(desc).toContain('key_tensor (inputs[1])');
    expect(desc).toContain('FLAGGED: `key_tensor` is passed as inputs[1], which Keras uses as the value');
    expect(desc).toContain('scores:, (1, 32, 1200): batch=1, Tq=32, Tv=1200.');
  });

  // Keras reads the list as [query, value, key]: key_tensor is the value, value_tensor the key; both flagged.
  it('shows the roles Keras gave and flags the swapped names', () => {
    expect(node(svg, 'query').getAttribute('data-flagged')).toBe('false');
    const value = node(svg, 'value');
    expect(value.getAttribute('data-flagged')).toBe('true');
    expect(value.querySelector('[data-source]')?.textContent).toBe('key_tensor');
    expect(value.querySelector('[data-arg-path]')?.textContent).toBe('inputs[1]');
    expect(text(value)).toContain('named like a key, used as the value');
    const key = node(svg, 'key');
    expect(key.getAttribute('data-flagged')).toBe('true');
    expect(key.querySelector('[data-source]')?.textContent).toBe('value_tensor');
    expect(key.querySelector('[data-arg-path]')?.textContent).toBe('inputs[2]');
  });

  // Every tensor carries its named dims: scores and weights (batch, Tq, Tv), output (batch, Tq, dim).
  it('names and colours the dimensions of every tensor', () => {
    expect(chips(node(svg, 'query'))).toEqual(['batch=1', 'Tq=32', 'dim=2']);
    expect(chips(node(svg, 'scores_t'))).toEqual(['batch=1', 'Tq=32', 'Tv=1200']);
    expect(chips(node(svg, 'weights'))).toEqual(['batch=1', 'Tq=32', 'Tv=1200']);
    expect(chips(node(svg, 'output'))).toEqual(['batch=1', 'Tq=32', 'dim=2']);
    const tq = svg.querySelector('[data-node="scores_t"] [data-axis="Tq"] rect') as SVGRectElement;
    expect(tq.style.stroke).toBe('var(--ap-axis-tq)');
    const tv = svg.querySelector('[data-node="scores_t"] [data-axis="Tv"] rect');
    expect(tv?.getAttribute('stroke-dasharray')).toBe('6 3');
    expect(svg.getAttribute('data-failed')).toBe('false');
    expect(svg.querySelectorAll('[data-failed="true"]')).toHaveLength(0);
  });

  // The ops appear in Keras' order, joined by edges.
  it('draws Q·Kᵀ → scores → mask → softmax → weights·V → output', () => {
    const ops = [...svg.querySelectorAll('.apv-op')].map((o) => o.getAttribute('data-op'));
    expect(ops).toEqual(['scores', 'mask', 'softmax', 'weighted']);
    const edges = [...svg.querySelectorAll('.apv-edge')].map((e) => e.getAttribute('data-edge'));
    expect(edges).toEqual(expect.arrayContaining(['query->scores', 'key->scores', 'value->weighted', 'weighted->output']));
  });
});

// Scenario 2 fixed (mask=[query_mask, None]): it runs; the query mask appears as its own step.
it('article scenario 2 with the fix shows the query mask step', () => {
  const source = scenario('article-2').replace('mask=[query_mask]', 'mask=[query_mask, None]');
  const result = engine.runProgram(source, { seed: 0 });
  expect(result.ok).toBe(true);
  const svg = render(result);
  expect(chips(node(svg, 'query_mask_in'))).toEqual(['batch=1', 'Tq=1200']);
  expect(svg.querySelector('[data-op="query_mask"]')).not.toBeNull();
  expect(chips(node(svg, 'output'))).toEqual(['batch=1', 'Tq=1200', 'dim=2']);
  expect(svg.getAttribute('data-failed')).toBe('false');
});

// Scenario 2 as written: Keras' ValueError comes before any op, so a banner carries it.
it('article scenario 2 as written shows Keras\' ValueError in a banner', () => {
  const svg = render(engine.runProgram(scenario('article-2'), { seed: 0 }));
  const banner = svg.querySelector('.apv-banner');
  expect(text(banner)).toContain('ValueError: Attention layer accepts mask list of length 2 or 3.');
  expect(node(svg, 'scores_t').getAttribute('data-computed')).toBe('false');
  // The inputs come from Keras' "Arguments received" list: the padded query and both (1, 1200, 2) tensors.
  expect(chips(node(svg, 'query'))).toEqual(['batch=1', 'Tq=1200', 'dim=2']);
  expect(chips(node(svg, 'key'))).toEqual(['batch=1', 'Tv=1200', 'dim=2']);
  expect(chips(node(svg, 'query_mask_in'))).toEqual(['batch=1', 'Tq=1200']);
});

// BatchMatMulV2 In[0] [1,10,4] vs In[1] [1,6,20]: query dim 4 against key dim 6 (the value, as no key was given).
it('marks the failing Q·Kᵀ and the mismatching dim, expected versus got', () => {
  const result = engine.runProgram(scenario('query-key-feature-mismatch'), { seed: 0 });
  expect(result.error?.op).toBe('BatchMatMulV2');
  const model = buildShapeFlow(attentionCall(result), result.error);
  expect(model.failure).toMatchObject({ stage: 'scores', op: 'BatchMatMulV2', expected: 4, got: 6, axis: 'dim' });
  const svg = render(result);
  const failedOp = svg.querySelector('[data-op="scores"]');
  expect(failedOp?.getAttribute('data-failed')).toBe('true');
  expect(failedOp?.textContent).toContain('✕ Q·Kᵀ failed');
  expect(text(failedOp)).toContain('expected keyᵀ dim = 4, got 6');
  expect(node(svg, 'query').querySelector('[data-axis="dim"]')?.getAttribute('data-failing')).toBe('true');
  expect(node(svg, 'key').querySelector('[data-axis="dim"]')?.getAttribute('data-failing')).toBe('true');
  expect(node(svg, 'key').textContent).toContain('no key given');
  expect(node(svg, 'query').querySelector('[data-axis="Tq"]')?.getAttribute('data-failing')).toBeNull();
  expect(svg.querySelector('[data-op="weighted"]')?.getAttribute('data-reached')).toBe('false');
  expect(svg.querySelector('desc')?.textContent).toMatch(/^FAILED at Q·Kᵀ\. BatchMatMulV2:/);
});

// The second matmul: weights Tv (18, from the key) against value Tv (20).
it('marks weights·V when the key and value lengths differ', () => {
  const result = engine.runProgram(scenario('key-value-length-mismatch'), { seed: 0 });
  const model = buildShapeFlow(attentionCall(result), result.error);
  expect(model.failure).toMatchObject({ stage: 'weighted', expected: 18, got: 20, axis: 'Tv' });
  const svg = render(result);
  expect(svg.querySelector('[data-op="weighted"]')?.getAttribute('data-failed')).toBe('true');
  expect(node(svg, 'value').querySelector('[data-axis="Tv"]')?.getAttribute('data-failing')).toBe('true');
  expect(node(svg, 'weights').querySelector('[data-axis="Tv"]')?.getAttribute('data-failing')).toBe('true');
});

// SelectV2 of the query mask (Tq 1200) against the output (Tq 32): the mask is what is wrong.
it('marks the query mask step when the mask has the padded length', () => {
  const result = engine.runProgram(scenario('mask-wrong-length'), { seed: 0 });
  const model = buildShapeFlow(attentionCall(result), result.error);
  expect(model.failure).toMatchObject({ stage: 'query_mask', expected: 32, got: 1200, axis: 'Tq' });
  const svg = render(result);
  expect(node(svg, 'query_mask_in').querySelector('[data-axis="Tq"]')?.getAttribute('data-failing')).toBe('true');
});

// MultiHeadAttention: projections and the (batch, num_heads, Tq, Tv) scores.
it('draws MultiHeadAttention with projections and per-head scores', () => {
  const svg = render(engine.runProgram(scenario('mha-heads'), { seed: 0 }));
  expect(chips(node(svg, 'projected_query'))).toEqual(['batch=2', 'Tq=10', 'num_heads=4', 'key_dim=8']);
  expect(chips(node(svg, 'weights'))).toEqual(['batch=2', 'num_heads=4', 'Tq=10', 'Tv=20']);
  expect(chips(node(svg, 'output'))).toEqual(['batch=2', 'Tq=10', 'dim=16']);
  expect(svg.querySelector('[data-op="output_projection"]')).not.toBeNull();
});

// Untrusted text (a hostile variable name) stays text: no element is created from it.
it('never turns document strings into markup', () => {
  const call: RunCall = {
    kind: 'layer', callee: 'Attention', layer_name: '<img src=x onerror=alert(1)>', failed: false,
    notes: ['`<b>q</b>` is passed as inputs[1], which Keras uses as the value (the list order is [query, value, key]), not as the query.'],
    inputs: [
      { role: 'query', arg_path: 'inputs[0]', source: '<script>x()</script>', axes: 'batch,Tq,dim', shape: [1, 2, 3], dtype: 'float32' },
      {
        role: 'value', arg_path: 'inputs[1]', source: '<b>q</b>', axes: 'batch,Tv,dim', shape: [1, 4, 3], dtype: 'float32',
        suggested_role: 'query',
        role_note: '`<b>q</b>` is passed as inputs[1], which Keras uses as the value (the list order is [query, value, key]), not as the query.',
      },
    ],
    intermediates: [], outputs: [],
  };
  const container = document.createElement('div');
  renderShapeFlow(container, call, null);
  expect(container.querySelector('script, img, b')).toBeNull();
  expect(container.textContent).toContain('<script>x()</script>');
  expect(node(container, 'value').getAttribute('data-flagged')).toBe('true');
});

// The model reads structure only: the failed stage from the call's stages, the
// inputs Keras rejected from the tensors of its call arguments.
describe('model from the run document structure', () => {
  const stages = (failed: string): RunCall['stages'] =>
    ['validate', 'scores', 'mask', 'softmax', 'output', 'query_mask'].map((stage, i, all) => ({
      stage, shape: null, axes: '', sources: [],
      status: stage === failed ? 'failed' : i < all.indexOf(failed) ? 'done' : 'not_reached',
    }));
  const call = (failed: string): RunCall => ({
    kind: 'layer', callee: 'Attention', layer_name: 'attention', failed: true, notes: [], stages: stages(failed),
    inputs: [
      { role: 'query', arg_path: 'inputs[0]', source: 'q', axes: 'batch,Tq,dim', shape: [1, 2, 3], dtype: 'float32' },
      { role: 'value', arg_path: 'inputs[1]', source: 'v', axes: 'batch,Tv,dim', shape: [1, 4, 3], dtype: 'float32' },
    ],
    intermediates: [], outputs: [],
  });
  const error = (keras_call: RunError['keras_call'] = null): RunError => ({
    type: 'InvalidArgumentError', message: 'm', line: 1, column: 0, op: 'Softmax', shapes: [], failing_axes: [], keras_call,
  });

  it('marks the stage the call failed in', () => {
    const model = buildShapeFlow(call('softmax'), error());
    expect(model.failure?.stage).toBe('softmax');
    expect(model.banner).toBeNull();
    const reached = Object.fromEntries(model.rows.flat().flatMap((i) => (i.type === 'op' ? [[i.id, i.reached]] : [])));
    expect(reached).toEqual({ scores: true, mask: true, softmax: true, weighted: false });
  });

  it('recovers the inputs Keras rejected from the tensors of its call arguments', () => {
    const rejected: RunCall = { ...call('validate'), inputs: [] };
    const model = buildShapeFlow(rejected, error({
      class_name: 'Attention', layer_name: 'attention', arguments: [],
      argument_tensors: [
        { name: 'inputs', value: [{ shape: [1, 5, 2], dtype: 'float32' }, { shape: [1, 7, 2], dtype: 'float32' }] },
        { name: 'mask', value: [{ shape: [1, 5], dtype: 'bool' }, null] },
        { name: 'training', value: null },
      ],
    }));
    expect(model.failure?.stage).toBe('call');
    expect(model.banner).not.toBeNull();
    const tensors = Object.fromEntries(model.rows.flat().flatMap((i) => (i.type === 'tensor' ? [[i.id, i.shape]] : [])));
    expect(tensors).toMatchObject({ query: [1, 5, 2], value: [1, 7, 2], query_mask_in: [1, 5], scores_t: null });
  });
});
