// Auto-height: the embed tells its parent its content height whenever it
// changes, in the playground's own message and in AMP's. A ResizeObserver
// catches layout changes; the page also calls check() after each render,
// because Chromium skips rendering (and so ResizeObserver) in a cross-origin
// iframe that is out of view, and an embed below the fold must still grow.
import { ampResizeMessage, resizeMessage } from './messages';

export interface HeightReporter {
  /** Measures now and posts if the height changed. */
  check(): void;
  stop(): void;
}

export function reportHeight(id: string, content: HTMLElement, target: Window = window.parent): HeightReporter {
  if (target === window) return { check: () => undefined, stop: () => undefined }; // not framed
  let last = -1;
  const post = (): void => {
    const style = getComputedStyle(content);
    const height = Math.ceil(content.getBoundingClientRect().height + parseFloat(style.marginTop) + parseFloat(style.marginBottom));
    if (height === last || !Number.isFinite(height)) return;
    last = height;
    // The height is not secret, and the embed cannot know the host's origin
    // on every browser, so it is posted to any origin.
    target.postMessage(resizeMessage(id, height), '*');
    target.postMessage(ampResizeMessage(height), '*');
  };
  const observer = new ResizeObserver(post);
  observer.observe(content);
  post();
  return { check: post, stop: () => observer.disconnect() };
}
