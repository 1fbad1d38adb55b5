// One-click fixes: each button edits the code in the editor (one undoable
// change, which re-runs the program). Owns its element; the page mounts it in
// the error card, or under the narrative when the program runs.
import { h } from './dom';
import type { Fix } from './fix-logic';

export interface FixesView {
  el: HTMLElement;
  render(fixes: readonly Fix[]): void;
  /** Forgets the last applied fix (a new scenario). */
  reset(): void;
}

export function setupFixes(onApply: (fix: Fix) => void, onUndo: () => void): FixesView {
  const list = h('ul', { class: 'fix-list' });
  const announce = h('p', { class: 'fix-announce', 'aria-live': 'polite' });
  const undo = h('button', { type: 'button', class: 'undo-fix', hidden: true }, 'Undo the fix');
  undo.addEventListener('click', () => {
    onUndo();
    undo.hidden = true;
    announce.textContent = 'Fix undone.';
  });
  const el = h('section', { class: 'fixes', id: 'fixes', 'aria-labelledby': 'fixes-heading' }, h('h3', { id: 'fixes-heading' }, 'One-click fixes'), list, announce, undo);
  return {
    el,
    reset() {
      undo.hidden = true;
      announce.textContent = '';
    },
    render(fixes) {
      el.hidden = fixes.length === 0 && undo.hidden;
      list.replaceChildren();
      for (const fix of fixes) {
        const button = h('button', { type: 'button', class: 'fix', 'data-origin': fix.origin }, fix.label);
        button.addEventListener('click', () => {
          onApply(fix);
          announce.textContent = `Applied: ${fix.label}. The program re-runs; undo with Ctrl+Z in the editor or the Undo button.`;
          undo.hidden = false;
        });
        const detail = h('span', { class: 'fix-detail' }, h('span', { class: 'visually-hidden' }, 'Replaces '), h('code', { class: 'fix-find' }, fix.find), ' → ', h('code', { class: 'fix-replace' }, fix.replace));
        list.append(h('li', null, button, fix.why ? h('span', { class: 'fix-why' }, fix.why) : null, detail));
      }
    },
  };
}
