// Composition root of the playground page: wires the state store, the engine
// client (a Web Worker) and the small UI modules, each owning one element.
// Untrusted text (the learner's code, the run document, the link) only ever
// reaches DOM through textContent / DOM nodes.
//
// Start-up order (the target: the first verdict within 300 ms of navigation):
// this module and its static imports are only what the first verdict needs.
// The engine worker is created first, so the worker script and the WASM load
// while the rest of this module runs; the code shows as read-only text
// (ui/code-placeholder.ts); the first run is posted at once. Right after the
// first verdict (or at once when there is no run to wait for) web/full.ts is
// imported: the CodeMirror editor with the same text, error card, fixes,
// walkthrough, outputs, share bar and the link in the URL.
// body[data-ui="ready"] marks it mounted.
//
// The state is read from the link once (and again on a hashchange the user
// makes); from then on the hash is derived from the state with
// history.replaceState, never the other way round. With ?embed=1 the same
// page is an embed (web/embed/): compact, no URL or storage writes, sized by
// its host page through postMessage.
import './styles.css';
import './share/share.css';
import { createEngineClient, type EngineClient } from './core/client';
import { compileDeferredEngineModule, compileEngineModule } from './core/engine-module';
import { DEFERRED_LOAD_FAILED, EngineError } from './core/types';
import { embedLayout, readEmbedOptions, withEmbedOptions } from './embed/options';
import { fromParent, parseParentMessage } from './embed/messages';
import { reportHeight, type HeightReporter } from './embed/resize';
import type { FullUi, LastRun } from './full';
import { playgroundLink } from './share/links';
import type { LinkContext, LinkProblem } from './share/url-state';
import { createStore, effectiveStep, initialState, nextTheme } from './state';
import { setupCodePlaceholder } from './ui/code-placeholder';
import type { Editor } from './ui/editor';
import { setupViews } from './ui/layout';
import { setupNarrative } from './ui/narrative';
import { setupPicker } from './ui/picker';
import { setupProfile } from './ui/profile';
import { setupRunStatus } from './ui/run-status';
import { SCENARIOS, scenarioById, type Scenario } from './ui/scenario-data';
import { setupLinkNotice } from './ui/share-notice';
import { setupTheme } from './ui/theme';
import { h } from './ui/dom';

performance.mark('ap:main-start');

const params = new URLSearchParams(location.search);
const embed = readEmbedOptions(location.search);
/** False until an embed with ctl=1 is clicked: no worker, no WASM before. */
let engineWanted = !embed?.clickToLoad;

// Wall-time limit of one run (the worker is then replaced). Browser tests may
// shorten it with ?test-hooks=1&run-timeout-ms=N, so they need no 10 s program.
const RUN_TIMEOUT_MS = ((): number => {
  const custom = Number(params.get('run-timeout-ms'));
  return params.get('test-hooks') === '1' && Number.isInteger(custom) && custom > 0 ? custom : 10_000;
})();

// The engine first: the page fetches and compiles the WASM while the worker
// starts, and the page reads its link and builds its first view meanwhile.
const client: EngineClient = createEngineClient({
  timeoutMs: RUN_TIMEOUT_MS,
  engineModule: compileEngineModule,
  deferredEngineModule: compileDeferredEngineModule,
});
if (engineWanted) client.start();

// index.html loads this module with `async`: it runs as soon as it arrives,
// which may be before the body is parsed; the engine above is already
// starting, the UI below waits for the document.
if (document.readyState === 'loading') await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));

const EDIT_DEBOUNCE_MS = 300;
/** A superseded run older than this is cancelled (worker restarted) rather
 *  than waited for: its result would be thrown away. */
const SUPERSEDE_CANCEL_MS = 250;
/** The rest of the UI loads after the first verdict, or after this long if
 *  the engine is slower than that (a slow network, a busy machine). */
const FULL_UI_FALLBACK_MS = 1500;

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html is missing #${id}`);
  return el as T;
}

const firstScenario = SCENARIOS[0];
if (!firstScenario) throw new Error('no scenarios in web/scenarios/index.json');
const linkContext: LinkContext = { scenarios: SCENARIOS, defaultScenarioId: firstScenario.id };

// The link is read before anything renders, so the first run is the linked
// one. Without a hash (the common case) the decoder is not even loaded.
const opened = location.hash.length > 1 ? await (await import('./share/open-link')).openLink(location.hash, linkContext) : null;
const store = createStore(((state) => (embed ? withEmbedOptions(state, embed) : state))(opened?.link.state ?? initialState(firstScenario.id)));

// Test hook (browser tests force a real WASM trap/abort to check recovery);
// only with ?test-hooks=1, and it can only crash this page's own worker.
if (params.get('test-hooks') === '1') {
  (window as unknown as { apTest: unknown }).apTest = {
    crash: (how: 'trap' | 'abort') =>
      client.debugCrash(how).catch((error: unknown) => {
        document.body.dataset['run'] = 'failed';
        status.failed(describeFailure(error));
      }),
    hang: () =>
      client.debugHang().catch((error: unknown) => {
        document.body.dataset['run'] = 'failed';
        status.failed(describeFailure(error));
      }),
  };
}

/** The last finished run and the code + profile it ran. */
let last: LastRun | null = null;
let running = false;
let runSeq = 0;
let runStarted = 0;
let runsDone = 0;
let debounce: ReturnType<typeof setTimeout> | undefined;

const scenario = (): Scenario => scenarioById(store.get().scenarioId) ?? firstScenario;
const currentCode = (): string => store.get().code ?? scenario().source;

const picker = setupPicker(byId('picker'), SCENARIOS, (id) => store.dispatch({ type: 'pick', scenarioId: id }));
const narrative = setupNarrative(byId('narrative'), () => store.dispatch({ type: 'pick', scenarioId: store.get().scenarioId }));
/** The read-only placeholder until web/full.ts swaps in CodeMirror. */
let editor: Editor = setupCodePlaceholder(byId('editor'), currentCode());
const status = setupRunStatus(byId('run-status'), () => client.cancel(), () => (engineWanted ? scheduleRun(0) : startEngine()));
const views = setupViews(byId('views'), (view) => store.dispatch({ type: 'view', view }));
const profile = setupProfile(byId('profile'), (p) => store.dispatch({ type: 'profile', profile: p }));
const theme = setupTheme(byId<HTMLButtonElement>('theme-toggle'), () => store.dispatch({ type: 'theme', theme: nextTheme(store.get().theme) }));
byId('undo').addEventListener('click', () => editor.undo());
const notice = setupLinkNotice(byId('link-notice'));
notice.show([...(opened?.problems ?? []), ...(embed?.problems ?? []).map((text): LinkProblem => ({ level: 'warning', text }))]);

/** The embed's bar: title, profile, "Open in playground", click-to-load. */
const embedBar = embed ? setupEmbedBar() : null;

function setupEmbedBar(): { title: HTMLElement; open: HTMLAnchorElement; load: HTMLButtonElement } {
  const options = embed;
  if (!options) throw new Error('not an embed');
  const { parts } = embedLayout(options);
  const root = document.documentElement;
  root.classList.add('embed');
  for (const [part, shown] of Object.entries(parts)) if (!shown) root.classList.add(`embed-hide-${part}`);
  if (options.readonly) root.classList.add('embed-readonly');
  const title = h('span', { class: 'embed-title', id: 'embed-title' });
  const open = h('a', { class: 'embed-open', id: 'open-in-playground', target: '_blank', rel: 'noopener', href: playgroundLink(location.href, '') }, 'Open in playground ↗');
  const load = h('button', { type: 'button', class: 'embed-load', id: 'embed-load', hidden: !options.clickToLoad }, 'Load the playground and run');
  load.addEventListener('click', startEngine);
  const bar = h('div', { class: 'embed-bar', id: 'embed-bar' }, title, byId('profile'), open, load);
  document.body.prepend(bar);
  if (options.clickToLoad) status.failed('Not loaded yet: press "Load the playground and run".');
  return { title, open, load };
}

// Messages from the host page: only the documented ones, only from the parent.
let heightReporter: HeightReporter | null = null;
if (embed && window.parent !== window) {
  const ancestor = location.ancestorOrigins?.[0] ?? null;
  window.addEventListener('message', (event) => {
    if (!fromParent(event, window.parent, ancestor)) return;
    const message = parseParentMessage(event.data);
    if (!message) return;
    if (message.type === 'theme') store.dispatch({ type: 'theme', theme: message.theme });
    else store.dispatch({ type: 'step', step: message.step });
  });
  heightReporter = reportHeight(embed.id, document.body);
}

// ------------------------------------------------------- the lazily loaded rest
let full: FullUi | null = null;
let fullRequested = false;

function loadFullUi(): void {
  if (fullRequested) return;
  fullRequested = true;
  import('./full').then(
    ({ mountFullUi }) => {
      full = mountFullUi({
        store,
        client,
        embed,
        embedOpen: embedBar?.open ?? null,
        linkContext,
        notice,
        views,
        narrative,
        editorEl: byId('editor'),
        errorCardEl: byId('error-card'),
        shareEl: byId('share'),
        scenario,
        last: () => last,
        isRunning: () => running,
      });
      editor = full.editor;
      render();
      document.body.dataset['ui'] = 'ready';
    },
    (error: unknown) => {
      status.failed(`Part of the page could not load (${String(error)}); reload to try again.`);
    },
  );
}

function render(): void {
  const state = store.get();
  const sc = scenario();
  const result = last?.result ?? null;
  const step = result ? effectiveStep(state, result.steps.length) : -1;
  const edited = state.code !== null;
  const code = editor.getCode();
  picker.render(state.scenarioId, edited);
  if (embedBar) embedBar.title.textContent = edited ? `${sc.title} (edited)` : sc.title;
  profile.render(state.profile);
  theme.render(state.theme);
  views.render(state.view);
  narrative.render({ scenario: sc, edited, profile: state.profile, result, running });
  full?.render({ state, scenario: sc, result, step, code, fresh: last !== null && last.code === code });
  // (timers, not animation frames: those do not run in an out-of-view iframe)
  if (heightReporter) for (const ms of [0, 300]) setTimeout(() => heightReporter?.check(), ms);
}

function scheduleRun(delay: number): void {
  clearTimeout(debounce);
  debounce = setTimeout(() => void runNow(), delay);
}

async function runNow(): Promise<void> {
  if (!engineWanted) return; // an embed waiting for its click
  const seq = ++runSeq;
  if (running && performance.now() - runStarted > SUPERSEDE_CANCEL_MS) client.cancel();
  const code = editor.getCode();
  const { profile: runProfile } = store.get();
  running = true;
  document.body.dataset['run'] = 'running';
  status.running();
  const started = (runStarted = performance.now());
  // Posted before the render below, so the worker starts at once.
  const pending = client.runProgram(code, { profile: runProfile, seed: 0 });
  performance.mark('ap:run-posted');
  render();
  try {
    const result = await pending;
    performance.mark('ap:result');
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
  performance.mark('ap:rendered');
  // (a task later: the verdict is laid out and painted before the rest of
  // the page is requested; a no-op after the first time)
  if (!fullRequested) setTimeout(loadFullUi, 0);
}

function describeFailure(error: unknown): string {
  if (!(error instanceof EngineError)) return `The engine failed: ${String(error)}`;
  switch (error.kind) {
    case 'timeout':
      return `The run took longer than ${RUN_TIMEOUT_MS / 1000} s and was stopped; the engine was restarted. Shorten the program or press "Run again".`;
    case 'cancelled':
      return 'The run was cancelled and the engine restarted. Edit the code or press "Run again".';
    case 'crash':
      if (error.message.includes(DEFERRED_LOAD_FAILED)) {
        // (a network failure, not a fault of the program or the engine)
        const cause = error.message.slice(error.message.indexOf(DEFERRED_LOAD_FAILED) + DEFERRED_LOAD_FAILED.length)
          .replace(/^: /, '').replace(/\)\);.*$/s, '');
        return `This program needs a part of the engine that could not be loaded (attention_engine.deferred.wasm: ${cause}). Your code is unchanged; check the connection and press "Run again".`;
      }
      return `The engine crashed (${error.message.replace(/^the engine crashed \((.*)\);.*$/s, '$1')}). It was restarted and your code is unchanged; press "Run again".`;
    default:
      return `The engine failed (${error.kind}): ${error.message}`;
  }
}

store.subscribe((state, previous) => {
  const newScenario = state.scenarioId !== previous.scenarioId || (state.code === null && previous.code !== null);
  // A new scenario, or code restored from a link (typing keeps them equal).
  if (newScenario || editor.getCode() !== currentCode()) {
    editor.setCode(currentCode());
    full?.resetFixes();
  }
  if (state.code !== previous.code || state.scenarioId !== previous.scenarioId || state.profile !== previous.profile) {
    // Typing waits for a pause; a new scenario or profile runs at once.
    const typed = state.scenarioId === previous.scenarioId && state.profile === previous.profile && !newScenario;
    scheduleRun(typed ? EDIT_DEBOUNCE_MS : 0);
  }
  render();
  full?.stateChanged(state);
});

function startEngine(): void {
  engineWanted = true;
  if (embedBar) embedBar.load.hidden = true;
  void runNow();
  client.engineVersion().then(
    (version) => (byId('engine-version').textContent = version),
    (error: unknown) => (byId('engine-version').textContent = `failed to load (${String(error)})`),
  );
}

if (engineWanted) startEngine();
else render();
// Without a run to wait for (click-to-load), or if the engine is slow, the
// rest of the page does not wait for the first verdict.
if (!engineWanted) loadFullUi();
else setTimeout(loadFullUi, FULL_UI_FALLBACK_MS);
