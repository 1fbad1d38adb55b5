// The page's pure logic on real run documents from the WASM engine: live
// tensors per step, per-line annotations, verdicts, ANSI bold, error
// explanations, and one-click fixes (manifest and derived) that really fix.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../web/core/engine';
import type { RunResult } from '../../web/core/types';
import { ansiSegments, boldPart } from '../../web/ui/ansi';
import { explainError } from '../../web/ui/explain';
import { applyFix, deriveFixes, fixesFor, locateFix, type Fix } from '../../web/ui/fix-logic';
import { SCENARIOS, scenarioById } from '../../web/ui/scenario-data';
import { attentionWeights, failingStep, formatShape, lineAnnotations, liveTensors } from '../../web/ui/steps';
import { agreesWithPinned, verdictText } from '../../web/ui/verdict';
import { loadTestEngine } from './engine-fixture';

let engine: Engine;
beforeAll(async () => {
  engine = await loadTestEngine();
});
const run = (code: string): RunResult => engine.runProgram(code, { profile: 'keras3', seed: 0 });
const source = (id: string): string => {
  const s = scenarioById(id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s.source;
};

describe('scenario data', () => {
  // The picker lists the article's three scenarios first, in its order.
  it('puts the article scenarios first in order, then the gallery', () => {
    expect(SCENARIOS.slice(0, 3).map((s) => s.id)).toEqual(['article-1', 'article-2', 'article-3']);
    expect(SCENARIOS.slice(3).every((s) => s.kind === 'gallery')).toBe(true);
    expect(source('article-1')).toBe(readFileSync(new URL('../../web/scenarios/article-1.py', import.meta.url), 'utf8'));
  });

  // Every scenario's live verdict agrees with the manifest's pinned Keras verdict.
  it('agrees with every pinned verdict', () => {
    for (const s of SCENARIOS) expect(agreesWithPinned(run(s.source), s.kerasVerdict), s.id).toBe(true);
  });
});

describe('steps', () => {
  // Scenario 1: the live tensors grow statement by statement, with traced axes.
  it('lists live tensors per step with their axes', () => {
    const r = run(source('article-1'));
    const at = (name: string) => r.steps.findIndex((s) => s.bindings.some((b) => b.name === name));
    const afterQuery = liveTensors(r, at('query_tensor'));
    expect(afterQuery.map((t) => t.name)).toEqual(['query_tensor']);
    expect(afterQuery[0]).toMatchObject({ shape: [1, 32, 2], dtype: 'float32', axes: 'batch,Tq,dim', changed: true, line: 5 });
    const end = liveTensors(r, r.steps.length - 1);
    expect(end.map((t) => `${t.name} ${formatShape(t.shape)}`)).toEqual([
      'query_tensor (1, 32, 2)',
      'key_tensor (1, 1200, 2)',
      'value_tensor (1, 1200, 2)',
      'output (1, 32, 2)',
      'weights (1, 32, 1200)',
    ]);
    expect(end.find((t) => t.name === 'key_tensor')?.changed).toBe(false);
  });

  // Annotations sit on the line a statement ends on; the failing line is marked.
  it('annotates lines and marks the failing one', () => {
    const ok = lineAnnotations(run(source('article-1')));
    expect(ok.find((a) => a.line === 5)?.texts).toEqual(['query_tensor: (1, 32, 2) float32']);
    expect(ok.find((a) => a.line === 12)?.texts).toEqual(['output: (1, 32, 2) float32', 'weights: (1, 32, 1200) float32']);
    const failed = run(source('article-2'));
    const anns = lineAnnotations(failed);
    expect(anns.find((a) => a.error)?.line).toBe(17);
    expect(anns.find((a) => a.line === 4)?.texts).toEqual(['query_len = 32']);
    expect(failingStep(failed)).toBe(failed.steps.length - 1);
    expect(liveTensors(failed, failingStep(failed)).map((t) => t.name)).toEqual(['query', 'key', 'value', 'padded_query', 'query_mask']);
  });

  // The heatmap gets the last attention call's weights (and its score mask).
  it('picks the attention weights for the heatmap', () => {
    const w = attentionWeights(run(source('article-1')));
    expect(w?.weights).toMatchObject({ label: 'attention_scores', shape: [1, 32, 1200] });
    const causal = attentionWeights(run(source('causal-self-attention')));
    expect(causal?.mask?.label).toBe('score_mask');
    expect(attentionWeights(run(source('mha-heads')))?.weights.shape).toEqual([2, 4, 10, 20]);
    expect(attentionWeights(run(source('elementwise-instead-of-matmul')))).toBeNull();
  });

  // The verdict sentence names the outputs or the error and its line.
  it('states the verdict', () => {
    expect(verdictText(run(source('article-1')))).toBe('Runs without error: Attention returns output (1, 32, 2), attention_scores (1, 32, 1200).');
    expect(verdictText(run(source('article-2')))).toBe('Raises ValueError on line 17.');
  });

  // A variable's name suggests a role only when exactly one role word is in
  // it; the engine states it on the inputs Keras used otherwise.
  it('reads the roles names suggest from the run document', () => {
    const suggested = (code: string): (string | null)[] =>
      (run(code).steps.flatMap((s) => s.calls ?? []).find((c) => c.callee === 'Attention')?.inputs ?? []).map((i) => i.suggested_role ?? null);
    const tf = 'import tensorflow as tf\nfrom tensorflow.keras import layers\n';
    const call = (names: string[]): string =>
      `${tf}${names.map((n) => `${n} = tf.ones((1, 4, 2))`).join('\n')}\ny = layers.Attention()([${names.join(', ')}])\n`;
    expect(suggested(call(['q', 'key_tensor', 'value_proj']))).toEqual([null, 'key', 'value']);
    expect(suggested(call(['query', 'value', 'key']))).toEqual([null, null, null]);
    expect(suggested(call(['x', 'kv', 'k']))).toEqual([null, null, null]);
  });
});

describe('error text', () => {
  // Keras 3's bold inner message comes out as a bold run, the wrapper as plain.
  it('splits ANSI bold', () => {
    expect(ansiSegments('a\u001b[1mB\u001b[0mc')).toEqual([
      { text: 'a', bold: false },
      { text: 'B', bold: true },
      { text: 'c', bold: false },
    ]);
    expect(ansiSegments('x\u001b[31my')).toEqual([{ text: 'xy', bold: false }]);
    // A program's own escapes are shown, not obeyed and not dropped (a clear
    // screen would otherwise leave the message blank).
    expect(ansiSegments('\u001b[2J\u001b[Hgone\u0007')).toEqual([{ text: '␛[2J␛[Hgone␇', bold: false }]);
    expect(ansiSegments('tab\tand\nnewline\u0000')).toEqual([{ text: 'tab\tand\nnewline␀', bold: false }]);
    const e = run(source('article-2')).error;
    expect(boldPart(e?.message ?? '')).toMatch(/^Attention layer accepts mask list of length 2 or 3\. Received: inputs=/);
    expect(ansiSegments(e?.message ?? '').map((s) => s.text).join('')).toBe(e?.plain_message);
  });

  // The explanation names the failing axis and sizes from the error's structure.
  it('explains from structure', () => {
    const mul = run(source('elementwise-instead-of-matmul')).error;
    expect(mul && explainError(mul).join(' ')).toContain('Axis 0 is 32 in the first and 1200 in the second.');
    const mm = run(source('query-key-feature-mismatch')).error;
    expect(mm && explainError(mm).join(' ')).toContain('(1, 10, 4) has 4 there and (1, 6, 20) has 6');
    expect(mm?.kind).toBe('MatMulSizeIncompatible');
    // Keras' mask-list rule, from the call's arguments (a list of one mask).
    const masks = run(source('article-2')).error;
    expect(masks?.kind).toBeNull();
    expect(masks && explainError(masks).join(' ')).toContain('Attention takes mask=[query_mask, value_mask]');
    const where = run('import tensorflow as tf\nx = tf.where(tf.ones((2, 3)) > 0, tf.ones((4,)), 0.0)\n').error;
    expect(where?.kind).toBe('SelectNotBroadcastable');
    expect(where && explainError(where).join(' ')).toContain('needs the condition, the values and the fallback to broadcast');
  });
});

describe('fixes', () => {
  // Every manifest fix applies to its scenario and the fixed code gives the expected verdict.
  it('applies every manifest fix and the result runs', () => {
    for (const s of SCENARIOS) {
      for (const fix of s.fixes) {
        const fixed = applyFix(s.source, fix);
        expect(fixed, `${s.id}: ${fix.label}`).not.toBeNull();
        expect(run(fixed ?? '').ok, `${s.id}: ${fix.label}`).toBe(true);
      }
    }
  });

  // A fix whose text is gone does not apply (the button is not offered).
  it('does not locate a fix whose text is gone', () => {
    const fix: Fix = { label: 'x', find: 'nope', replace: 'yes', origin: 'scenario' };
    expect(locateFix('abc', fix)).toBeNull();
    expect(applyFix('abc', fix)).toBeNull();
    // An offset that no longer matches falls back to the first occurrence.
    expect(locateFix('xx ab', { ...fix, find: 'ab', from: 0 })).toEqual({ from: 3, to: 5, insert: 'yes' });
  });

  // Edited code: mask=[m] on the failing line → mask=[m, None], and it runs.
  it('derives the mask fix from the ValueError', () => {
    const code = source('article-2').replace(/query_mask/g, 'qm');
    const r = run(code);
    const fixes = deriveFixes(code, r);
    expect(fixes.map((f) => f.replace)).toEqual(['mask=[qm, None]']);
    const fixed = applyFix(code, fixes[0] as Fix) ?? '';
    expect(fixed).toContain('mask=[qm, None]');
    const after = run(fixed);
    expect(after.ok).toBe(true);
    expect(after.variables['output']).toMatchObject({ shape: [1, 1200, 2] });
  });

  // Edited code: a * b on rank-2 tensors with equal features → tf.matmul(a, b, transpose_b=True).
  it('derives the matmul fix from Incompatible shapes', () => {
    const code = 'import tensorflow as tf\nqq = tf.random.normal((32, 2))\nkk = tf.random.normal((1200, 2))\ns = qq * kk\n';
    const fixes = deriveFixes(code, run(code));
    expect(fixes.map((f) => f.replace)).toEqual(['tf.matmul(qq, kk, transpose_b=True)']);
    const after = run(applyFix(code, fixes[0] as Fix) ?? '');
    expect(after.ok).toBe(true);
    expect(after.variables['s']).toMatchObject({ shape: [32, 1200] });
    // Same features and same steps: not a matmul mistake, no fix offered.
    const broadcast = 'import tensorflow as tf\na = tf.ones((3, 2))\nb = tf.ones((4, 5))\nc = a * b\n';
    expect(deriveFixes(broadcast, run(broadcast))).toEqual([]);
  });

  // Scenario 1's silent swap: [q, k, v] → [q, v, k], derived from the roles.
  it('derives the [query, value, key] reorder and dedupes it with the manifest fix', () => {
    const code = source('article-1');
    const r = run(code);
    const derived = deriveFixes(code, r);
    expect(derived.map((f) => f.replace)).toEqual(['[query_tensor, value_tensor, key_tensor]']);
    const scenario = scenarioById('article-1');
    expect(fixesFor(code, r, scenario?.fixes ?? []).map((f) => f.origin)).toEqual(['scenario']);
    const fixed = applyFix(code, derived[0] as Fix) ?? '';
    expect(deriveFixes(fixed, run(fixed))).toEqual([]);
  });
});
