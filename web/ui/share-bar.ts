// The share buttons: copy link, copy embed snippet, copy as Markdown, download
// the heatmap as PNG, copy as runnable Python; the long-link warning. Owns
// #share. The texts are built by web/share/* from the state; this module only
// puts them on the clipboard (or, when the clipboard is refused, in a text box
// to copy by hand).
import { h } from './dom';

export interface ShareActions {
  link(): Promise<string>;
  embed(): Promise<string>;
  markdown(): Promise<string>;
  python(): Promise<string>;
  /** Resolves false when there is no heatmap to download. */
  downloadPng(): Promise<boolean>;
}

export interface ShareView {
  /** Characters in the link's hash. */
  hashLength: number;
  long: boolean;
  heatmap: boolean;
}

export interface ShareBar {
  render(view: ShareView): void;
}

export function setupShareBar(el: HTMLElement, actions: ShareActions): ShareBar {
  const status = h('p', { class: 'share-status', id: 'share-status', role: 'status', 'aria-live': 'polite' });
  const warning = h('p', { class: 'share-warning', id: 'link-length-warning', hidden: true });
  const fallback = h('textarea', { class: 'share-fallback', id: 'share-fallback', readonly: true, rows: 4, hidden: true, 'aria-label': 'Text to copy' });

  const copy = async (what: string, make: () => Promise<string>): Promise<void> => {
    fallback.hidden = true;
    const text = await make();
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = `${what} copied (${text.length.toLocaleString('en-US')} characters).`;
    } catch {
      fallback.value = text;
      fallback.hidden = false;
      fallback.focus();
      fallback.select();
      status.textContent = `The browser did not allow copying: the ${what.toLowerCase()} is selected in the box below; copy it with Ctrl+C.`;
    }
    el.dataset['copied'] = what;
  };
  const button = (action: string, label: string, onClick: () => void | Promise<void>): HTMLButtonElement => {
    const b = h('button', { type: 'button', 'data-action': action }, label);
    b.addEventListener('click', () => void onClick());
    return b;
  };
  const png = button('download-png', 'Download heatmap (PNG)', async () => {
    status.textContent = (await actions.downloadPng()) ? 'Heatmap downloaded as attention-weights.png.' : 'There is no heatmap to download for this run.';
  });
  el.replaceChildren(
    h('h2', { class: 'visually-hidden', id: 'share-heading' }, 'Share'),
    h(
      'div',
      { class: 'share-buttons', role: 'group', 'aria-labelledby': 'share-heading' },
      button('copy-link', 'Copy link', () => copy('Link', actions.link)),
      button('copy-embed', 'Copy embed', () => copy('Embed snippet', actions.embed)),
      button('copy-markdown', 'Copy as Markdown', () => copy('Markdown', actions.markdown)),
      button('copy-python', 'Copy as Python', () => copy('Python program', actions.python)),
      png,
    ),
    warning,
    status,
    fallback,
  );
  el.setAttribute('aria-labelledby', 'share-heading');

  return {
    render(view) {
      el.dataset['hashLength'] = String(view.hashLength);
      warning.hidden = !view.long;
      warning.textContent = view.long
        ? `⚠ The link is long (${view.hashLength.toLocaleString('en-US')} characters of state): it works here, but some chat apps, mail clients and browsers cut links over 2,000 characters. For a long program, share the code as a file (Copy as Python).`
        : '';
      png.disabled = !view.heatmap;
    },
  };
}
