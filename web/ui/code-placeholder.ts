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
  const show = (): void => {
    text.textContent = code;
    const lines = code.split('\n').length;
    gutter.textContent = Array.from({ length: lines }, (_, i) => String(i + 1)).join('\n');
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
