// Auto-height: the embed tells its parent its content height whenever it
// changes (ResizeObserver), in the playground's own message and in AMP's.
import { ampResizeMessage, resizeMessage } from './messages';

export function reportHeight(id: string, content: HTMLElement, target: Window = window.parent): () => void {
  if (target === window) return () => undefined; // not framed
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
  return () => observer.disconnect();
}
