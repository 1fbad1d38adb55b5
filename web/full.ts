// The rest of the page, loaded lazily by web/main.ts right after the first
// verdict (so the first load carries only what that verdict needs): the
// CodeMirror editor (it replaces the read-only placeholder with the same
// text), the error card and one-click fixes, the walkthrough and outputs
// views (shape flow, heatmap), the share bar, and the link in the URL (the
// hash derived from the state, and hashes the reader types or follows).
import type { EngineClient } from './core/client';
import type { RunResult } from './core/types';
import type { Profile } from './core/types';
import type { EmbedOptions } from './embed/options';
import { BUILD_ENGINE_VERSION } from './share/engine-version';
import { embedSnippet, newEmbedId, playgroundLink } from './share/links';
import { asMarkdown } from './share/markdown';
import { openLink } from './share/open-link';
import { asRunnablePython } from './share/python';
import { encodeState, LONG_LINK_CHARS, type LinkContext } from './share/url-state';
import type { AppState, Store } from './state';
import { setupEditor, type Editor } from './ui/editor';
import { setupErrorCard } from './ui/error-card';
import { fixesFor, locateFix } from './ui/fix-logic';
import { setupFixes } from './ui/fixes';
import type { Views } from './ui/layout';
import type { Narrative } from './ui/narrative';
import { setupOutputs, type FetchTensor } from './ui/outputs';
import type { Scenario } from './ui/scenario-data';
import { setupShareBar } from './ui/share-bar';
import type { LinkNotice } from './ui/share-notice';
import { lineAnnotations } from './ui/steps';
import { PROFILE_LABEL } from './ui/verdict';
import { setupWalkthrough } from './ui/walkthrough';

export interface LastRun {
  result: RunResult;
  code: string;
  profile: Profile;
}

/** What the page (web/main.ts) lends the lazily loaded part. */
export interface FullUiHost {
  store: Store;
  client: EngineClient;
  embed: EmbedOptions | null;
  /** The embed's "Open in playground" link (null on the page). */
  embedOpen: HTMLAnchorElement | null;
  linkContext: LinkContext;
  notice: LinkNotice;
  views: Views;
  narrative: Narrative;
  editorEl: HTMLElement;
  errorCardEl: HTMLElement;
  shareEl: HTMLElement;
  scenario(): Scenario;
  last(): LastRun | null;
  isRunning(): boolean;
}

export interface FullRenderView {
  state: AppState;
  scenario: Scenario;
  result: RunResult | null;
  step: number;
  /** The editor's text, and whether the last run ran exactly that text. */
  code: string;
  fresh: boolean;
}

export interface FullUi {
  /** The CodeMirror editor, holding the placeholder's text. */
  editor: Editor;
  render(view: FullRenderView): void;
  /** A new scenario: forget the last applied fix. */
  resetFixes(): void;
  /** The state changed: derive the URL's hash from it. */
  stateChanged(state: AppState): void;
}

export function mountFullUi(host: FullUiHost): FullUi {
  const { store, embed } = host;

  // The editor replaces the placeholder with the same text (the placeholder is
  // read-only, so the learner cannot have typed anything it would lose).
  const hadFocus = host.editorEl.contains(document.activeElement);
  const initialCode = store.get().code ?? host.scenario().source;
  host.editorEl.replaceChildren();
  const editor = setupEditor(host.editorEl, initialCode, (code) => store.dispatch({ type: 'edit', code, scenarioSource: host.scenario().source }), { readOnly: embed?.readonly ?? false });
  if (hadFocus) editor.focus();

  // The heatmap fetches the weights' values by id from the worker's last run.
  // While a newer run is queued the ids would name that run's tensors, so the
  // fetch is refused; the newer result re-renders the heatmap when it lands.
  const fetchTensor: FetchTensor = (id) =>
    host.isRunning() ? Promise.reject(new Error('a newer run is in progress')) : host.client.tensor(id);

  const errorCard = setupErrorCard(host.errorCardEl, (on) => store.dispatch({ type: 'fullErrorText', on }));
  const fixes = setupFixes(
    (fix) => {
      const change = locateFix(editor.getCode(), fix);
      if (change) editor.applyChange(change);
    },
    () => editor.undo(),
  );
  const walkthrough = setupWalkthrough(host.views.walkthrough, (step) => store.dispatch({ type: 'step', step }));
  const outputs = setupOutputs(host.views.outputs, fetchTensor);

  // ---------------------------------------------------------- share and link
  /** The hash derived from the current state (without '#'), once computed. */
  let currentHash = '';
  let hashSeq = 0;
  const hashOf = (state: AppState): Promise<string> => encodeState(state, BUILD_ENGINE_VERSION);
  const linkFor = (hash: string): string => playgroundLink(location.href, hash);
  const freshLink = async (): Promise<string> => linkFor(await hashOf(store.get()));

  const shareBar = setupShareBar(host.shareEl, {
    link: freshLink,
    async embed() {
      const sc = host.scenario();
      return embedSnippet({ href: location.href, hash: await hashOf(store.get()), title: store.get().code === null ? sc.title : `${sc.title} (edited)`, id: newEmbedId() });
    },
    async markdown() {
      const state = store.get();
      const code = editor.getCode();
      const last = host.last();
      const fresh = last !== null && last.code === code && last.profile === state.profile;
      return asMarkdown({
        title: state.code === null ? host.scenario().title : `${host.scenario().title} (edited)`,
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

  /** Derives the hash from the state; on the page it becomes the URL's hash. */
  async function deriveHash(state: AppState): Promise<void> {
    const seq = ++hashSeq;
    const hash = await hashOf(state);
    if (seq !== hashSeq) return; // a newer state is being encoded
    currentHash = hash;
    if (embed) {
      // An embed never touches the URL (its own or the host's): its state
      // leaves only through "Open in playground".
      if (host.embedOpen) host.embedOpen.href = linkFor(hash);
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
  async function followLink(hash: string): Promise<void> {
    const seq = ++linkSeq;
    const { link, problems } = await openLink(hash, host.linkContext);
    if (seq !== linkSeq) return;
    host.notice.show(problems);
    store.dispatch({ type: 'restore', state: link.state });
    await deriveHash(store.get()); // the URL shows what was opened
    document.body.dataset['linksRead'] = String(++linksRead);
  }
  if (!embed) {
    window.addEventListener('hashchange', () => {
      if (location.hash.slice(1) !== currentHash) void followLink(location.hash);
    });
  }

  // What each view last rendered, so typing and the 'running' state (which
  // re-render the page) do not rebuild views whose inputs did not change.
  let outputsShown: RunResult | null | undefined;
  let errorShown: { result: RunResult | null; fullText: boolean } | null = null;
  let walkShown: { result: RunResult | null; step: number; code: string } | null = null;
  let marksShown: { result: RunResult; step: number } | null = null;
  void deriveHash(store.get());

  return {
    editor,
    resetFixes: () => fixes.reset(),
    stateChanged: (state) => void deriveHash(state),
    render({ state, scenario, result, step, code, fresh }) {
      if (errorShown?.result !== result || errorShown.fullText !== state.fullErrorText) {
        errorShown = { result, fullText: state.fullErrorText };
        errorCard.render(errorShown);
      }
      // Fixes: the scenario's that still apply, and those derived from this run
      // (only while the run matches the editor's text: they carry offsets).
      fixes.render(fixesFor(code, fresh ? result : null, scenario.fixes));
      const slot = result?.error ? errorCard.fixesSlot : host.narrative.fixesSlot;
      if (fixes.el.parentElement !== slot) slot.append(fixes.el);
      if (!result || !fresh) {
        marksShown = null; // (once the text matches a run again, its marks are set again)
      } else if (marksShown?.result !== result || marksShown.step !== step) {
        marksShown = { result, step };
        const s = result.steps[step];
        editor.setMarks({
          annotations: lineAnnotations(result),
          step: s ? { line: s.line, endLine: s.end_line && s.end_line >= s.line ? s.end_line : s.line } : null,
        });
      }
      const walkCode = host.last()?.code ?? code;
      if (walkShown?.result !== result || walkShown.step !== step || walkShown.code !== walkCode) {
        walkShown = { result, step, code: walkCode };
        walkthrough.render(result, step, walkCode);
      }
      if (outputsShown !== result) {
        outputsShown = result;
        outputs.render(result);
        renderShare();
      }
    },
  };
}
