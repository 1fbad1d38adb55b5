// All user-visible state of the page, in one serialisable object. The UI
// renders from it and the URL hash is derived from it (web/share/url-state.ts),
// never the other way round: a link is read once into a 'restore' action.
// Changes go through `reduce`, a pure function (tests/js/state.test.ts).
import type { Profile } from './core/types';

export type Theme = 'system' | 'light' | 'dark';
export type View = 'walkthrough' | 'outputs';

export interface AppState {
  /** The scenario picked in the picker (web/scenarios/index.json id). */
  scenarioId: string;
  /** The learner's edited code; null = the scenario's own source. */
  code: string | null;
  profile: Profile;
  /** Walkthrough position (index into the run's steps); null = the last step. */
  step: number | null;
  view: View;
  /** null = follow the system (prefers-color-scheme). */
  theme: Theme;
  /** Error card: show Keras' whole wrapper text instead of the kernel message. */
  fullErrorText: boolean;
}

export type Action =
  | { type: 'pick'; scenarioId: string }
  | { type: 'edit'; code: string; scenarioSource: string }
  | { type: 'profile'; profile: Profile }
  | { type: 'step'; step: number | null }
  | { type: 'view'; view: View }
  | { type: 'theme'; theme: Theme }
  | { type: 'fullErrorText'; on: boolean }
  /** A whole state read from a link (already validated). */
  | { type: 'restore'; state: AppState };

export const initialState = (scenarioId: string): AppState => ({
  scenarioId,
  code: null,
  profile: 'keras3',
  step: null,
  view: 'walkthrough',
  theme: 'system',
  fullErrorText: false,
});

export function reduce(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'pick':
      if (action.scenarioId === state.scenarioId && state.code === null) return state;
      return { ...state, scenarioId: action.scenarioId, code: null, step: null, fullErrorText: false };
    case 'edit': {
      // Typing the scenario back to its original text is the scenario again.
      const code = action.code === action.scenarioSource ? null : action.code;
      if (code === state.code) return state;
      return { ...state, code, step: null };
    }
    case 'profile':
      return action.profile === state.profile ? state : { ...state, profile: action.profile, step: null };
    case 'step':
      return action.step === state.step ? state : { ...state, step: action.step };
    case 'view':
      return action.view === state.view ? state : { ...state, view: action.view };
    case 'theme':
      return action.theme === state.theme ? state : { ...state, theme: action.theme };
    case 'fullErrorText':
      return action.on === state.fullErrorText ? state : { ...state, fullErrorText: action.on };
    case 'restore':
      return sameState(action.state, state) ? state : { ...action.state };
  }
}

export function sameState(a: AppState, b: AppState): boolean {
  return (Object.keys(a) as (keyof AppState)[]).every((k) => a[k] === b[k]) && Object.keys(a).length === Object.keys(b).length;
}

/** The next theme of the toggle: system → light → dark → system. */
export function nextTheme(theme: Theme): Theme {
  return theme === 'system' ? 'light' : theme === 'light' ? 'dark' : 'system';
}

/** The walkthrough position in 0..stepCount-1 (null and out-of-range clamp). */
export function effectiveStep(state: Pick<AppState, 'step'>, stepCount: number): number {
  if (stepCount <= 0) return -1;
  if (state.step === null) return stepCount - 1;
  return Math.max(0, Math.min(stepCount - 1, state.step));
}

export interface Store {
  get(): AppState;
  dispatch(action: Action): void;
  /** Called after every change with the new and the previous state. */
  subscribe(listener: (state: AppState, previous: AppState) => void): void;
}

export function createStore(initial: AppState): Store {
  let state = initial;
  const listeners: ((s: AppState, p: AppState) => void)[] = [];
  return {
    get: () => state,
    dispatch(action) {
      const previous = state;
      state = reduce(state, action);
      if (state !== previous) for (const l of listeners) l(state, previous);
    },
    subscribe(listener) {
      listeners.push(listener);
    },
  };
}
