// Composition root of the playground page: wires the state store, the engine
// client (a Web Worker) and the small UI modules, each owning one element.
// Untrusted text (the learner's code, the run document) only ever reaches
// the DOM through textContent / DOM nodes.
import './styles.css';
import { createEngineClient, EngineError, type EngineClient, type RunResult } from './core';
import type { Profile } from './core/types';
import { createStore, effectiveStep, initialState, nextTheme } from './state';
import { setupEditor } from './ui/editor';
import { setupErrorCard } from './ui/error-card';
import { fixesFor, locateFix } from './ui/fix-logic';
import { setupFixes } from './ui/fixes';
import { setupViews } from './ui/layout';
import { setupNarrative } from './ui/narrative';
import { setupOutputs, type FetchTensor } from './ui/outputs';
import { setupPicker } from './ui/picker';
import { setupProfile } from './ui/profile';
import { setupRunStatus } from './ui/run-status';
import { SCENARIOS, scenarioById, type Scenario } from './ui/scenario-data';
import { lineAnnotations } from './ui/steps';
import { setupTheme } from './ui/theme';
import { setupWalkthrough } from './ui/walkthrough';

const RUN_TIMEOUT_MS = 10_000;
const EDIT_DEBOUNCE_MS = 300;
/** A superseded run older than this is cancelled (worker restarted) rather
 *  than waited for: its result would be thrown away. */
const SUPERSEDE_CANCEL_MS = 250;

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html is missing #${id}`);
  return el as T;
}

const firstScenario = SCENARIOS[0];
if (!firstScenario) throw new Error('no scenarios in web/scenarios/index.json');
const store = createStore(initialState(firstScenario.id));
const client: EngineClient = createEngineClient({ timeoutMs: RUN_TIMEOUT_MS });

/** The last finished run and the code + profile it ran. */
let last: { result: RunResult; code: string; profile: Profile } | null = null;
let running = false;
let runSeq = 0;
let runStarted = 0;
let runsDone = 0;
let debounce: ReturnType<typeof setTimeout> | undefined;

const scenario = (): Scenario => scenarioById(store.get().scenarioId) ?? firstScenario;
const currentCode = (): string => store.get().code ?? scenario().source;

// The heatmap fetches the weights' values by id from the worker's last run.
// While a newer run is queued the ids would name that run's tensors, so the
// fetch is refused; the newer result re-renders the heatmap when it lands.
const fetchTensor: FetchTensor = (id) =>
  running ? Promise.reject(new Error('a newer run is in progress')) : client.tensor(id);

const picker = setupPicker(byId('picker'), SCENARIOS, (id) => store.dispatch({ type: 'pick', scenarioId: id }));
const narrative = setupNarrative(byId('narrative'), () => store.dispatch({ type: 'pick', scenarioId: store.get().scenarioId }));
const editor = setupEditor(byId('editor'), currentCode(), (code) => store.dispatch({ type: 'edit', code, scenarioSource: scenario().source }));
const status = setupRunStatus(byId('run-status'), () => client.cancel(), () => scheduleRun(0));
const errorCard = setupErrorCard(byId('error-card'), (on) => store.dispatch({ type: 'fullErrorText', on }));
const fixes = setupFixes(
  (fix) => {
    const change = locateFix(editor.getCode(), fix);
    if (change) editor.applyChange(change);
  },
  () => editor.undo(),
);
const views = setupViews(byId('views'), (view) => store.dispatch({ type: 'view', view }));
const walkthrough = setupWalkthrough(views.walkthrough, (step) => store.dispatch({ type: 'step', step }));
const outputs = setupOutputs(views.outputs, fetchTensor);
const profile = setupProfile(byId('profile'), (p) => store.dispatch({ type: 'profile', profile: p }));
const theme = setupTheme(byId<HTMLButtonElement>('theme-toggle'), () => store.dispatch({ type: 'theme', theme: nextTheme(store.get().theme) }));
byId('undo').addEventListener('click', () => editor.undo());

let outputsShown: RunResult | null | undefined;

function render(): void {
  const state = store.get();
  const sc = scenario();
  const result = last?.result ?? null;
  const step = result ? effectiveStep(state, result.steps.length) : -1;
  const edited = state.code !== null;
  const code = editor.getCode();
  const fresh = last !== null && last.code === code;

  picker.render(state.scenarioId, edited);
  profile.render(state.profile);
  theme.render(state.theme);
  views.render(state.view);
  narrative.render({ scenario: sc, edited, profile: state.profile, result, running });
  errorCard.render({ result, fullText: state.fullErrorText });

  // Fixes: the scenario's that still apply, and those derived from this run
  // (only while the run matches the editor's text: they carry offsets).
  fixes.render(fixesFor(code, fresh ? result : null, sc.fixes));
  const slot = result?.error ? errorCard.fixesSlot : narrative.fixesSlot;
  if (fixes.el.parentElement !== slot) slot.append(fixes.el);

  if (result && fresh) {
    const s = result.steps[step];
    editor.setMarks({
      annotations: lineAnnotations(result),
      step: s ? { line: s.line, endLine: s.end_line && s.end_line >= s.line ? s.end_line : s.line } : null,
    });
  }
  walkthrough.render(result, step, last?.code ?? code);
  if (outputsShown !== result) {
    outputsShown = result;
    outputs.render(result);
  }
}

function scheduleRun(delay: number): void {
  clearTimeout(debounce);
  debounce = setTimeout(() => void runNow(), delay);
}

async function runNow(): Promise<void> {
  const seq = ++runSeq;
  if (running && performance.now() - runStarted > SUPERSEDE_CANCEL_MS) client.cancel();
  const code = editor.getCode();
  const { profile: runProfile } = store.get();
  running = true;
  document.body.dataset['run'] = 'running';
  status.running();
  render();
  const started = (runStarted = performance.now());
  try {
    const result = await client.runProgram(code, { profile: runProfile, seed: 0 });
    if (seq !== runSeq) return; // a newer run supersedes this one
    last = { result, code, profile: runProfile };
    running = false;
    runsDone += 1;
    document.body.dataset['run'] = 'done';
    document.body.dataset['runs'] = String(runsDone);
    status.done(performance.now() - started);
  } catch (error) {
    if (seq !== runSeq) return;
    running = false;
    document.body.dataset['run'] = 'failed';
    status.failed(describeFailure(error));
  }
  render();
}

function describeFailure(error: unknown): string {
  if (!(error instanceof EngineError)) return `The engine failed: ${String(error)}`;
  switch (error.kind) {
    case 'timeout':
      return `The run took longer than ${RUN_TIMEOUT_MS / 1000} s and was stopped; the engine was restarted. Shorten the program or press "Run again".`;
    case 'cancelled':
      return 'The run was cancelled and the engine restarted. Edit the code or press "Run again".';
    default:
      return `The engine failed (${error.kind}): ${error.message}`;
  }
}

store.subscribe((state, previous) => {
  const newScenario = state.scenarioId !== previous.scenarioId || (state.code === null && previous.code !== null);
  if (newScenario) {
    editor.setCode(currentCode());
    fixes.reset();
  }
  if (state.code !== previous.code || state.scenarioId !== previous.scenarioId || state.profile !== previous.profile) {
    // Typing waits for a pause; a new scenario or profile runs at once.
    const typed = state.scenarioId === previous.scenarioId && state.profile === previous.profile && !newScenario;
    scheduleRun(typed ? EDIT_DEBOUNCE_MS : 0);
  }
  render();
});

client.engineVersion().then(
  (version) => (byId('engine-version').textContent = version),
  (error: unknown) => (byId('engine-version').textContent = `failed to load (${String(error)})`),
);
render();
void runNow();
