// The URL hash, derived from the page state (web/state.ts) and read back into
// it. The hash is the only input the page takes from a link, so decoding is
// validation: every field is checked against an allowlist, every failure is
// a message for the reader, and nothing from the hash is ever executed or
// inserted as HTML (the page shows these messages as text nodes).
//
// Schema 1 (the `v` field; a hash without `v` is schema 1, so hand-written
// links like `#s=article-2` work):
//   s=<scenario id>          the built-in scenario (the base of edited code)
//   c=z1.<base64url>         edited code: UTF-8, raw DEFLATE, base64url ("z1." = that packing, version 1)
//   step=<n>                 walkthrough position, 0-based (absent = the last step)
//   p=tf_keras               profile (absent = keras3)
//   view=outputs             selected view (absent = walkthrough)
//   theme=light|dark         theme override (absent = follow the system)
//   full=1                   error card shows Keras' whole wrapper text
//   v=1                      schema version
//   e=<engine version>       the engine that made the link (cpp/core/api.h kEngineVersion)
// Defaults are omitted so built-in scenarios get short readable links.
// Never change what an existing schema version means: add version 2 beside
// it, keep decodeV1, and add its links to tests/golden-links/.
import type { Profile } from '../core/types';
import type { AppState, Theme, View } from '../state';
import { deflateRaw, fromBase64Url, InflateError, inflateRaw, toBase64Url } from './compress';

export const SCHEMA_VERSION = 1;
/** The packing of edited code in `c=` (see above). */
export const CODE_PREFIX = 'z1.';
/** Longer hashes are refused before any decoding. */
export const MAX_HASH_CHARS = 100_000;
/** Edited code larger than this (UTF-8 bytes, after inflating) is refused. */
export const MAX_CODE_BYTES = 256 * 1024;
/** Above this many characters the page warns that the link is long. */
export const LONG_LINK_CHARS = 2000;

const PROFILES: readonly Profile[] = ['keras3', 'tf_keras'];
const VIEWS: readonly View[] = ['walkthrough', 'outputs'];
const THEMES: readonly Theme[] = ['system', 'light', 'dark'];
const KEYS = ['s', 'c', 'step', 'p', 'view', 'theme', 'full', 'v', 'e'] as const;
type Key = (typeof KEYS)[number];
const MAX_STEP = 1_000_000;

export interface LinkContext {
  /** The built-in scenarios (web/scenarios/index.json), in picker order. */
  scenarios: readonly { id: string; source: string }[];
  /** Opened when the link names none (or an unknown one). */
  defaultScenarioId: string;
}

export type NoticeLevel = 'error' | 'warning' | 'info';
export interface LinkProblem {
  level: NoticeLevel;
  text: string;
}

export interface DecodedLink {
  /** The state to open: defaults wherever the link said nothing usable. */
  state: AppState;
  /** Why parts of the link were not used, for the reader. Empty = all read. */
  problems: LinkProblem[];
  /** The schema version the link declared (1 when it declared none). */
  schema: number;
  /** The engine version the link names, or null. */
  engineVersion: string | null;
  /** The hash was empty: nothing to restore. */
  empty: boolean;
}

const defaults = (scenarioId: string): AppState => ({
  scenarioId,
  code: null,
  profile: 'keras3',
  step: null,
  view: 'walkthrough',
  theme: 'system',
  fullErrorText: false,
});

/** The hash (without '#') for `state`. Async only because of compression. */
export async function encodeState(state: AppState, engineVersion: string): Promise<string> {
  const parts: string[] = [`s=${encodeURIComponent(state.scenarioId)}`];
  if (state.code !== null) parts.push(`c=${await packCode(state.code)}`);
  if (state.step !== null) parts.push(`step=${state.step}`);
  if (state.profile !== 'keras3') parts.push(`p=${state.profile}`);
  if (state.view !== 'walkthrough') parts.push(`view=${state.view}`);
  if (state.theme !== 'system') parts.push(`theme=${state.theme}`);
  if (state.fullErrorText) parts.push('full=1');
  parts.push(`v=${SCHEMA_VERSION}`, `e=${encodeURIComponent(engineVersion)}`);
  return parts.join('&');
}

export async function packCode(code: string): Promise<string> {
  return CODE_PREFIX + toBase64Url(await deflateRaw(new TextEncoder().encode(code)));
}

/** A user-supplied value, shortened, with control and bidi characters escaped, for
 *  quoting inside a message (shown as text, never as HTML). */
export function quote(value: string, max = 40): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut).replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Reads a location hash ('#…' or '…'). Never throws: whatever the hash
 *  holds, the result is a valid state plus messages about what was not used. */
export async function decodeHash(hash: string, ctx: LinkContext): Promise<DecodedLink> {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const base = defaults(ctx.defaultScenarioId);
  if (raw === '') return { state: base, problems: [], schema: SCHEMA_VERSION, engineVersion: null, empty: true };
  const problems: LinkProblem[] = [];
  const fail = (text: string): DecodedLink => ({ state: base, problems: [{ level: 'error', text }], schema: SCHEMA_VERSION, engineVersion: null, empty: false });
  if (raw.length > MAX_HASH_CHARS) {
    return fail(`This link could not be opened: its state is ${raw.length.toLocaleString('en-US')} characters long, more than the ${MAX_HASH_CHARS.toLocaleString('en-US')} a playground link can have. Showing the first scenario instead.`);
  }

  // key=value pairs: only known keys, each at most once, values URI-decodable.
  const params = new Map<Key, string>();
  const ignored: string[] = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey);
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, '%20'));
    } catch {
      problems.push({ level: 'error', text: `Part of the link is not valid URL encoding (${quote(part)}); it was ignored.` });
      continue;
    }
    if (!(KEYS as readonly string[]).includes(key)) {
      ignored.push(quote(key, 20));
      continue;
    }
    if (params.has(key as Key)) {
      problems.push({ level: 'warning', text: `The link gives "${key}" more than once; the first value was used.` });
      continue;
    }
    params.set(key as Key, value);
  }
  if (ignored.length) {
    problems.push({ level: 'warning', text: `The link has ${ignored.length === 1 ? 'a part' : 'parts'} this playground does not know (${ignored.slice(0, 5).join(', ')}${ignored.length > 5 ? ', …' : ''}); ignored.` });
  }
  if (params.size === 0) {
    return { state: base, problems: problems.length ? problems : [{ level: 'error', text: 'This link holds no playground state. Showing the first scenario.' }], schema: SCHEMA_VERSION, engineVersion: null, empty: false };
  }

  let schema = SCHEMA_VERSION;
  const v = params.get('v');
  if (v !== undefined) {
    if (!/^[1-9][0-9]{0,5}$/.test(v)) {
      problems.push({ level: 'error', text: `The link's schema version ${quote(v)} is not a version number; read it as version ${SCHEMA_VERSION}.` });
    } else {
      schema = Number(v);
    }
  }
  if (schema > SCHEMA_VERSION) {
    problems.push({ level: 'warning', text: `This link was made by a newer version of the playground (link format ${schema}; this page reads up to ${SCHEMA_VERSION}). It opened what this version understands.` });
  }

  let engineVersion: string | null = null;
  const e = params.get('e');
  if (e !== undefined) {
    if (/^[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}$/.test(e)) engineVersion = e;
    else problems.push({ level: 'warning', text: `The link's engine version ${quote(e)} is not a version; ignored.` });
  }

  // Every schema so far is read by decodeV1 (newer ones: best effort).
  const state = await decodeV1(params, ctx, base, problems);
  return { state, problems, schema, engineVersion, empty: false };
}

async function decodeV1(params: Map<Key, string>, ctx: LinkContext, base: AppState, problems: LinkProblem[]): Promise<AppState> {
  const state = { ...base };
  const s = params.get('s');
  if (s !== undefined) {
    if (ctx.scenarios.some((x) => x.id === s)) state.scenarioId = s;
    else problems.push({ level: 'error', text: `The link names a scenario this playground does not have (${quote(s)}). Showing the first scenario instead.` });
  }

  const c = params.get('c');
  if (c !== undefined) {
    const code = await unpackCode(c);
    if (typeof code === 'string') {
      const source = ctx.scenarios.find((x) => x.id === state.scenarioId)?.source;
      state.code = code === source ? null : code; // as the 'edit' reducer does
    } else {
      problems.push({ level: 'error', text: `${code.error} Showing the scenario's own code instead.` });
    }
  }

  const step = params.get('step');
  if (step !== undefined) {
    if (/^(0|[1-9][0-9]{0,6})$/.test(step) && Number(step) <= MAX_STEP) state.step = Number(step);
    else problems.push({ level: 'warning', text: `The link's step ${quote(step)} is not a step number (0, 1, 2, …); showing the last step.` });
  }

  const p = params.get('p');
  if (p !== undefined) {
    if ((PROFILES as readonly string[]).includes(p)) state.profile = p as Profile;
    else problems.push({ level: 'warning', text: `The link's framework ${quote(p)} is unknown (keras3 or tf_keras); using Keras 3.` });
  }

  const view = params.get('view');
  if (view !== undefined) {
    if ((VIEWS as readonly string[]).includes(view)) state.view = view as View;
    else problems.push({ level: 'warning', text: `The link's view ${quote(view)} is unknown (walkthrough or outputs); showing the walkthrough.` });
  }

  const theme = params.get('theme');
  if (theme !== undefined) {
    if ((THEMES as readonly string[]).includes(theme)) state.theme = theme as Theme;
    else problems.push({ level: 'warning', text: `The link's theme ${quote(theme)} is unknown (light, dark or system); following the system.` });
  }

  const full = params.get('full');
  if (full !== undefined) {
    if (full === '1' || full === '0') state.fullErrorText = full === '1';
    else problems.push({ level: 'warning', text: `The link's "full" ${quote(full)} should be 1 or 0; ignored.` });
  }
  return state;
}

/** The code packed in `c=`, or why it cannot be read. */
export async function unpackCode(packed: string): Promise<string | { error: string }> {
  if (!packed.startsWith(CODE_PREFIX)) {
    const prefix = /^[a-z][0-9]{1,3}\./.exec(packed)?.[0];
    return { error: prefix ? `The code in this link is packed in a format this playground does not know (${quote(prefix)}).` : 'The code in this link is not in a format the playground knows (it should start with "z1.").' };
  }
  const bytes = fromBase64Url(packed.slice(CODE_PREFIX.length));
  if (!bytes || bytes.length === 0) return { error: 'The code in this link is damaged: it is not valid base64url. The link may have been cut short or altered.' };
  let inflated: Uint8Array;
  try {
    inflated = await inflateRaw(bytes, MAX_CODE_BYTES);
  } catch (error) {
    if (error instanceof InflateError && error.kind === 'too-large') {
      return { error: `The code in this link is larger than ${MAX_CODE_BYTES / 1024} KB unpacked, more than the playground accepts.` };
    }
    return { error: 'The code in this link is damaged: it does not unpack. The link may have been cut short or altered.' };
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(inflated);
  } catch {
    return { error: 'The code in this link is damaged: it unpacks to bytes that are not UTF-8 text.' };
  }
}
