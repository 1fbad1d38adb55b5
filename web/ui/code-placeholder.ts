// The code as plain preformatted text, shown from the first paint until the
// CodeMirror editor (web/ui/editor.ts, loaded lazily after the first verdict)
// replaces it with the same text. Read-only meanwhile, so nothing typed can be
// lost in the swap. Implements the editor's interface (edits are no-ops).
import { h } from './dom';
import type { Editor } from './editor';

export function setupCodePlaceholder(el: HTMLElement, initial: string): Editor {
  let code = initial;
  const gutter = h('div', { class: 'code-placeholder-gutter', 'aria-hidden': 'true' });
  const text = h('pre', {
    class: 'code-placeholder-text',
    id: 'code-placeholder',
    role: 'textbox',
    'aria-multiline': 'true',
    'aria-readonly': 'true',
    'aria-label': 'Program (Python), read-only while the editor loads.',
    tabindex: '0',
  });
  // One block per line, numbered by a CSS counter beside it (so a wrapped
  // line keeps one number); the line breaks are hidden text nodes, so the
  // element's text is exactly the code.
  const show = (): void => {
    const lines = code.split('\n');
    text.replaceChildren(
      ...lines.flatMap((line, i) => [
        h('span', { class: 'code-placeholder-line' }, line),
        i < lines.length - 1 ? h('span', { class: 'code-placeholder-nl' }, '\n') : null,
      ]).filter((node): node is HTMLSpanElement => node !== null),
    );
  };
  show();
  el.replaceChildren(h('div', { class: 'code-placeholder' }, gutter, text));
  return {
    getCode: () => code,
    setCode(next) {
      if (next === code) return;
      code = next;
      show();
    },
    applyChange: () => undefined,
    undo: () => undefined,
    setMarks: () => undefined,
    focus: () => text.focus(),
  };
}
