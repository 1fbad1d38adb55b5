// Composition root of the playground page: wires the state store, the engine
// client (a Web Worker) and the small UI modules, each owning one element.
// Untrusted text (the learner's code, the run document, the link) only ever
// reaches the DOM through textContent / DOM nodes.
//
// The state is read from the link once (and again on a hashchange the user
// makes); from then on the hash is derived from the state with
// history.replaceState, never the other way round. With ?embed=1 the same
// page is an embed (web/embed/): compact, no URL or storage writes, sized by
// its host page through postMessage.
import './styles.css';
import './share/share.css';
import { createEngineClient, EngineError, type EngineClient, type RunResult } from './core';
import type { Profile } from './core/types';
import { embedLayout, readEmbedOptions, withEmbedOptions } from './embed/options';
import { fromParent, parseParentMessage } from './embed/messages';
import { reportHeight, type HeightReporter } from './embed/resize';
import { BUILD_ENGINE_VERSION } from './share/engine-version';
import { embedSnippet, newEmbedId, playgroundLink } from './share/links';
import { asMarkdown } from './share/markdown';
import { asRunnablePython } from './share/python';
import { decodeHash, encodeState, LONG_LINK_CHARS, quote, type DecodedLink, type LinkContext, type LinkProblem } from './share/url-state';
import { createStore, effectiveStep, nextTheme, type AppState } from './state';
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
import { setupShareBar } from './ui/share-bar';
import { setupLinkNotice } from './ui/share-notice';
import { lineAnnotations } from './ui/steps';
import { setupTheme } from './ui/theme';
import { setupWalkthrough } from './ui/walkthrough';
import { h } from './ui/dom';
import { PROFILE_LABEL } from './ui/verdict';

performance.mark('ap:main-start');

// Wall-time limit of one run (the worker is then replaced). Browser tests may
// shorten it with ?test-hooks=1&run-timeout-ms=N, so they need no 10 s program.
const RUN_TIMEOUT_MS = ((): number => {
  const params = new URLSearchParams(location.search);
  const custom = Number(params.get('run-timeout-ms'));
  return params.get('test-hooks') === '1' && Number.isInteger(custom) && custom > 0 ? custom : 10_000;
})();
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
const linkContext: LinkContext = { scenarios: SCENARIOS, defaultScenarioId: firstScenario.id };
const embed = readEmbedOptions(location.search);

/** What to tell the reader about a link, beyond the decoder's problems. */
function linkProblems(link: DecodedLink): LinkProblem[] {
  const problems = [...link.problems];
  if (link.engineVersion !== null && link.engineVersion !== BUILD_ENGINE_VERSION) {
    problems.push({
      level: 'info',
      text: `This link was made with engine ${quote(link.engineVersion)}; this page runs engine ${quote(BUILD_ENGINE_VERSION)}. The code and settings are as the link's author left them, but shapes, errors and messages may differ from what they saw.`,
    });
  }
  return problems;
}

// The link is read before anything renders, so the first run is the linked one.
const opened = await decodeHash(location.hash, linkContext);
const store = createStore(embed ? withEmbedOptions(opened.state, embed) : opened.state);
const client: EngineClient = createEngineClient({ timeoutMs: RUN_TIMEOUT_MS });
// Test hook (browser tests force a real WASM trap/abort to check recovery);
// only with ?test-hooks=1, and it can only crash this page's own worker.
if (new URLSearchParams(location.search).get('test-hooks') === '1') {
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
/** False until an embed with ctl=1 is clicked: no worker, no WASM before. */
let engineWanted = !embed?.clickToLoad;

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
const editor = setupEditor(byId('editor'), currentCode(), (code) => store.dispatch({ type: 'edit', code, scenarioSource: scenario().source }), { readOnly: embed?.readonly ?? false });
const status = setupRunStatus(byId('run-status'), () => client.cancel(), () => (engineWanted ? scheduleRun(0) : startEngine()));
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
const notice = setupLinkNotice(byId('link-notice'));
notice.show([...linkProblems(opened), ...(embed?.problems ?? []).map((text): LinkProblem => ({ level: 'warning', text }))]);

// ------------------------------------------------------------ share and link

/** The hash derived from the current state (without '#'), once computed. */
let currentHash = '';
let hashSeq = 0;
const hashOf = (state: AppState): Promise<string> => encodeState(state, BUILD_ENGINE_VERSION);
const linkFor = (hash: string): string => playgroundLink(location.href, hash);
const freshLink = async (): Promise<string> => linkFor(await hashOf(store.get()));

const shareBar = setupShareBar(byId('share'), {
  link: freshLink,
  async embed() {
    const sc = scenario();
    return embedSnippet({ href: location.href, hash: await hashOf(store.get()), title: store.get().code === null ? sc.title : `${sc.title} (edited)`, id: newEmbedId() });
  },
  async markdown() {
    const state = store.get();
    const code = editor.getCode();
    const fresh = last !== null && last.code === code && last.profile === state.profile;
    return asMarkdown({
      title: state.code === null ? scenario().title : `${scenario().title} (edited)`,
      code,
      profile: state.profile,
      profileLabel: PROFILE_LABEL[state.profile],
      result: fresh && last ? last.result : null,
      annotations: fresh && last ? lineAnnotations(last.result) : [],
      link: await freshLink(),
    });
  },
  async python() {
    return asRunnablePython(editor.getCode(), store.get().profile, await freshLink());
  },
  async downloadPng() {
    if (!(await outputs.heatmap.toPngBlob())) return false;
    await outputs.heatmap.downloadPng(`attention-weights-${store.get().scenarioId}.png`);
    return true;
  },
});

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
  const open = h('a', { class: 'embed-open', id: 'open-in-playground', target: '_blank', rel: 'noopener', href: linkFor('') }, 'Open in playground ↗');
  const load = h('button', { type: 'button', class: 'embed-load', id: 'embed-load', hidden: !options.clickToLoad }, 'Load the playground and run');
  load.addEventListener('click', startEngine);
  const bar = h('div', { class: 'embed-bar', id: 'embed-bar' }, title, byId('profile'), open, load);
  document.body.prepend(bar);
  if (options.clickToLoad) status.failed('Not loaded yet: press "Load the playground and run".');
  return { title, open, load };
}

/** Derives the hash from the state; on the page it becomes the URL's hash. */
async function deriveHash(state: AppState): Promise<void> {
  const seq = ++hashSeq;
  const hash = await hashOf(state);
  if (seq !== hashSeq) return; // a newer state is being encoded
  currentHash = hash;
  if (embed) {
    // An embed never touches the URL (its own or the host's): its state
    // leaves only through "Open in playground".
    if (embedBar) embedBar.open.href = linkFor(hash);
  } else if (location.hash.slice(1) !== hash) {
    history.replaceState(history.state, '', `#${hash}`);
  }
  document.body.dataset['hash'] = String(hash.length);
  renderShare();
}

function renderShare(): void {
  const heatmapShown = document.querySelector<HTMLElement>('.heatmap-section')?.hidden === false;
  shareBar.render({ hashLength: currentHash.length, long: currentHash.length > LONG_LINK_CHARS, heatmap: heatmapShown });
}

// A hash the reader typed or followed (not one this page wrote) is read as a link.
let linkSeq = 0;
let linksRead = 0;
async function openLink(hash: string): Promise<void> {
  const seq = ++linkSeq;
  const link = await decodeHash(hash, linkContext);
  if (seq !== linkSeq) return;
  notice.show(linkProblems(link));
  store.dispatch({ type: 'restore', state: link.state });
  await deriveHash(store.get()); // the URL shows what was opened
  document.body.dataset['linksRead'] = String(++linksRead);
}
if (!embed) {
  window.addEventListener('hashchange', () => {
    if (location.hash.slice(1) !== currentHash) void openLink(location.hash);
  });
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
  if (embedBar) embedBar.title.textContent = edited ? `${sc.title} (edited)` : sc.title;
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
    renderShare();
  }
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
  render();
  const started = (runStarted = performance.now());
  try {
    performance.mark('ap:run-posted');
    const result = await client.runProgram(code, { profile: runProfile, seed: 0 });
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
}

function describeFailure(error: unknown): string {
  if (!(error instanceof EngineError)) return `The engine failed: ${String(error)}`;
  switch (error.kind) {
    case 'timeout':
      return `The run took longer than ${RUN_TIMEOUT_MS / 1000} s and was stopped; the engine was restarted. Shorten the program or press "Run again".`;
    case 'cancelled':
      return 'The run was cancelled and the engine restarted. Edit the code or press "Run again".';
    case 'crash':
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
    fixes.reset();
  }
  if (state.code !== previous.code || state.scenarioId !== previous.scenarioId || state.profile !== previous.profile) {
    // Typing waits for a pause; a new scenario or profile runs at once.
    const typed = state.scenarioId === previous.scenarioId && state.profile === previous.profile && !newScenario;
    scheduleRun(typed ? EDIT_DEBOUNCE_MS : 0);
  }
  render();
  void deriveHash(state);
});

function startEngine(): void {
  engineWanted = true;
  if (embedBar) embedBar.load.hidden = true;
  client.engineVersion().then(
    (version) => (byId('engine-version').textContent = version),
    (error: unknown) => (byId('engine-version').textContent = `failed to load (${String(error)})`),
  );
  void runNow();
}

render();
void deriveHash(store.get());
if (engineWanted) startEngine();
