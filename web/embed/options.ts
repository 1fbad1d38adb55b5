// Embed mode (index.html?embed=1): the query parameters it accepts, from an
// allowlist; anything else is ignored. Pure, so tests can feed it anything.
//   id=<[A-Za-z0-9_-]{1,64}>            names this iframe in its resize messages
//   theme=auto|light|dark               theme (overrides the link's)
//   view=code|diagram|heatmap|error|all what the embed shows (default all)
//   step=<n>                            walkthrough position (overrides the link's)
//   readonly=1                          the code cannot be edited
//   hide=<part>[,<part>…]               hide parts: title, narrative, code, error, steps, profile, open
//   ctl=1                               click to load: the WASM engine loads only on click
import type { AppState, Theme, View } from '../state';

export type EmbedView = 'code' | 'diagram' | 'heatmap' | 'error' | 'all';
export const EMBED_VIEWS: readonly EmbedView[] = ['code', 'diagram', 'heatmap', 'error', 'all'];
export const HIDEABLE = ['title', 'narrative', 'code', 'error', 'steps', 'profile', 'open'] as const;
export type Hideable = (typeof HIDEABLE)[number];

export interface EmbedOptions {
  id: string;
  theme: Theme | null;
  view: EmbedView;
  step: number | null;
  readonly: boolean;
  hide: ReadonlySet<Hideable>;
  clickToLoad: boolean;
  /** Values of known parameters that were not valid (reported, then ignored). */
  problems: string[];
}

/** The embed's options, or null when `search` does not ask for embed mode. */
export function readEmbedOptions(search: string): EmbedOptions | null {
  const params = new URLSearchParams(search);
  if (params.get('embed') !== '1') return null;
  const problems: string[] = [];
  const bad = (name: string, value: string, expected: string): void => {
    problems.push(`The embed parameter ${name}=${JSON.stringify(value.slice(0, 30))} is not valid (${expected}); ignored.`);
  };
  const options: EmbedOptions = { id: '', theme: null, view: 'all', step: null, readonly: false, hide: new Set(), clickToLoad: false, problems };

  const id = params.get('id');
  if (id !== null) {
    if (/^[A-Za-z0-9_-]{1,64}$/.test(id)) options.id = id;
    else bad('id', id, 'letters, digits, - and _');
  }
  const theme = params.get('theme');
  if (theme !== null) {
    if (theme === 'auto') options.theme = 'system';
    else if (theme === 'light' || theme === 'dark') options.theme = theme;
    else bad('theme', theme, 'auto, light or dark');
  }
  const view = params.get('view');
  if (view !== null) {
    if ((EMBED_VIEWS as readonly string[]).includes(view)) options.view = view as EmbedView;
    else bad('view', view, EMBED_VIEWS.join(', '));
  }
  const step = params.get('step');
  if (step !== null) {
    if (/^(0|[1-9][0-9]{0,5})$/.test(step)) options.step = Number(step);
    else bad('step', step, 'a step number');
  }
  const readonly = params.get('readonly');
  if (readonly !== null) options.readonly = readonly === '1';
  const ctl = params.get('ctl');
  if (ctl !== null) options.clickToLoad = ctl === '1';
  const hide = params.get('hide');
  if (hide !== null) {
    const set = new Set<Hideable>();
    for (const part of hide.split(',').filter(Boolean)) {
      if ((HIDEABLE as readonly string[]).includes(part)) set.add(part as Hideable);
      else bad('hide', part, HIDEABLE.join(', '));
    }
    options.hide = set;
  }
  return options;
}

export type Part = 'title' | 'narrative' | 'code' | 'error' | 'views' | 'profile' | 'open';

/** Which parts of the page an embed shows, and the page view it selects. */
export function embedLayout(options: EmbedOptions): { parts: Record<Part, boolean>; pageView: View | null } {
  const show: Record<EmbedView, Part[]> = {
    code: ['code'],
    diagram: ['views'],
    heatmap: ['views'],
    error: ['error'],
    all: ['narrative', 'code', 'error', 'views'],
  };
  const shown = new Set<Part>(['title', 'profile', 'open', ...show[options.view]]);
  for (const h of options.hide) shown.delete(h === 'steps' ? 'views' : h);
  const parts = Object.fromEntries((['title', 'narrative', 'code', 'error', 'views', 'profile', 'open'] as Part[]).map((p) => [p, shown.has(p)])) as Record<Part, boolean>;
  const pageView: View | null = options.view === 'diagram' ? 'walkthrough' : options.view === 'heatmap' ? 'outputs' : null;
  return { parts, pageView };
}

/** The linked state with the embed's own parameters on top (they win). */
export function withEmbedOptions(state: AppState, options: EmbedOptions): AppState {
  const { pageView } = embedLayout(options);
  return {
    ...state,
    ...(options.theme !== null ? { theme: options.theme } : {}),
    ...(options.step !== null ? { step: options.step } : {}),
    ...(pageView !== null ? { view: pageView } : {}),
  };
}
