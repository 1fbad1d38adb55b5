// The messages between an embed and its host page. Documented in
// public/embed.js; anything else is ignored.
//   embed → parent: {type: "attention-playground:resize", v: 1, id, height}
//                   and AMP's {sentinel: "amp", type: "embed-size", height}
//   parent → embed: {type: "attention-playground:theme", v: 1, theme: "auto"|"light"|"dark"}
//                   {type: "attention-playground:step",  v: 1, step: <integer ≥ 0> | null}
import type { Theme } from '../state';

export const RESIZE = 'attention-playground:resize';
export const SET_THEME = 'attention-playground:theme';
export const SET_STEP = 'attention-playground:step';

export interface ResizeMessage {
  type: typeof RESIZE;
  v: 1;
  id: string;
  height: number;
}

export const resizeMessage = (id: string, height: number): ResizeMessage => ({ type: RESIZE, v: 1, id, height });
export const ampResizeMessage = (height: number): { sentinel: 'amp'; type: 'embed-size'; height: number } => ({ sentinel: 'amp', type: 'embed-size', height });

export type ParentMessage = { type: 'theme'; theme: Theme } | { type: 'step'; step: number | null };

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null);

/** A documented message from the parent, or null (everything else). Exact
 *  keys, exact types: a message with anything more is not one of ours. */
export function parseParentMessage(data: unknown): ParentMessage | null {
  if (!isPlainObject(data) || data['v'] !== 1) return null;
  const keys = Object.keys(data).sort().join(',');
  if (data['type'] === SET_THEME && keys === 'theme,type,v') {
    const theme = data['theme'];
    if (theme === 'auto') return { type: 'theme', theme: 'system' };
    if (theme === 'light' || theme === 'dark') return { type: 'theme', theme };
    return null;
  }
  if (data['type'] === SET_STEP && keys === 'step,type,v') {
    const step = data['step'];
    if (step === null) return { type: 'step', step: null };
    if (typeof step === 'number' && Number.isInteger(step) && step >= 0 && step <= 1_000_000) return { type: 'step', step };
    return null;
  }
  return null;
}

/** Whether a message event comes from our parent window, and, where the
 *  browser names the embedding origin (location.ancestorOrigins), from it. */
export function fromParent(event: Pick<MessageEvent, 'source' | 'origin'>, parent: unknown, ancestorOrigin: string | null): boolean {
  if (parent === null || event.source !== parent) return false;
  return ancestorOrigin === null || event.origin === ancestorOrigin;
}
