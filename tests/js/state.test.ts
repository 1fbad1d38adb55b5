// The page's one state object: reducers are pure, serialisable, and reset
// what a new scenario or program invalidates.
import { describe, expect, it } from 'vitest';
import { createStore, effectiveStep, initialState, nextTheme, reduce } from '../../web/state';

describe('state reducers', () => {
  const s0 = initialState('article-1');

  // The page opens on the article's first scenario, Keras 3, the last step.
  it('starts on the given scenario with the defaults', () => {
    expect(s0).toEqual({ scenarioId: 'article-1', code: null, profile: 'keras3', step: null, view: 'walkthrough', theme: 'system', fullErrorText: false });
    expect(JSON.parse(JSON.stringify(s0))).toEqual(s0);
  });

  // Picking a scenario drops the edited code and the walkthrough position.
  it('pick resets code, step and the error-text toggle', () => {
    const edited = { ...s0, code: 'x = 1', step: 3, fullErrorText: true };
    expect(reduce(edited, { type: 'pick', scenarioId: 'article-2' })).toMatchObject({ scenarioId: 'article-2', code: null, step: null, fullErrorText: false });
    // Picking the current scenario again resets its code (the Reset button).
    expect(reduce(edited, { type: 'pick', scenarioId: 'article-1' }).code).toBeNull();
    expect(reduce(s0, { type: 'pick', scenarioId: 'article-1' })).toBe(s0);
  });

  // Edited code is stored; typing the original back means "the scenario" again.
  it('edit stores the code unless it equals the scenario source', () => {
    const edited = reduce({ ...s0, step: 2 }, { type: 'edit', code: 'a', scenarioSource: 'src' });
    expect(edited).toMatchObject({ code: 'a', step: null });
    expect(reduce(edited, { type: 'edit', code: 'src', scenarioSource: 'src' }).code).toBeNull();
    expect(reduce(edited, { type: 'edit', code: 'a', scenarioSource: 'src' })).toBe(edited);
  });

  // A no-op action returns the same object, so listeners are not called.
  it('returns the same state for no-op actions and notifies only on change', () => {
    expect(reduce(s0, { type: 'profile', profile: 'keras3' })).toBe(s0);
    expect(reduce(s0, { type: 'view', view: 'walkthrough' })).toBe(s0);
    const store = createStore(s0);
    const seen: string[] = [];
    store.subscribe((s, p) => seen.push(`${p.profile}->${s.profile}`));
    store.dispatch({ type: 'profile', profile: 'keras3' });
    store.dispatch({ type: 'profile', profile: 'tf_keras' });
    expect(seen).toEqual(['keras3->tf_keras']);
    expect(store.get().profile).toBe('tf_keras');
  });

  // The theme toggle cycles system → light → dark → system.
  it('cycles the theme', () => {
    expect([nextTheme('system'), nextTheme('light'), nextTheme('dark')]).toEqual(['light', 'dark', 'system']);
  });

  // null means "the last step"; positions clamp to the run's steps.
  it('clamps the walkthrough step', () => {
    expect(effectiveStep({ step: null }, 9)).toBe(8);
    expect(effectiveStep({ step: 20 }, 9)).toBe(8);
    expect(effectiveStep({ step: -3 }, 9)).toBe(0);
    expect(effectiveStep({ step: 4 }, 9)).toBe(4);
    expect(effectiveStep({ step: null }, 0)).toBe(-1);
  });
});
