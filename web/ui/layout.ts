// The two views beside the code: Walkthrough and Outputs, as ARIA tabs
// (arrow keys move between tabs). Owns #views.
import type { View } from '../state';
import { h } from './dom';

export interface Views {
  walkthrough: HTMLElement;
  outputs: HTMLElement;
  render(view: View): void;
}

export function setupViews(el: HTMLElement, onSelect: (view: View) => void): Views {
  const names: [View, string][] = [
    ['walkthrough', 'Walkthrough'],
    ['outputs', 'Outputs'],
  ];
  const tablist = h('div', { role: 'tablist', 'aria-label': 'Views of the run', class: 'tablist' });
  const tabs = new Map<View, HTMLButtonElement>();
  const panels = new Map<View, HTMLElement>();
  for (const [view, label] of names) {
    const tab = h('button', { type: 'button', role: 'tab', id: `tab-${view}`, 'aria-controls': `panel-${view}` }, label);
    tab.addEventListener('click', () => onSelect(view));
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      event.preventDefault();
      const i = names.findIndex(([v]) => v === view);
      const next = names[(i + (event.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length];
      if (!next) return;
      onSelect(next[0]);
      tabs.get(next[0])?.focus();
    });
    tabs.set(view, tab);
    tablist.append(tab);
    panels.set(view, h('div', { role: 'tabpanel', id: `panel-${view}`, 'aria-labelledby': `tab-${view}`, tabindex: '0', class: 'panel' }));
  }
  el.replaceChildren(tablist, ...panels.values());
  return {
    walkthrough: panels.get('walkthrough') as HTMLElement,
    outputs: panels.get('outputs') as HTMLElement,
    render(view) {
      for (const [v, tab] of tabs) {
        const selected = v === view;
        tab.setAttribute('aria-selected', String(selected));
        tab.tabIndex = selected ? 0 : -1;
        const panel = panels.get(v);
        if (panel) panel.hidden = !selected;
      }
    },
  };
}
