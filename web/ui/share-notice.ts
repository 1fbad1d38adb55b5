// What the page could not use from a link (or what to know about it: another
// engine version made it). Owns #link-notice. Messages are text only.
import type { LinkProblem } from '../share/url-state';
import { h } from './dom';

export interface LinkNotice {
  show(problems: readonly LinkProblem[]): void;
}

export function setupLinkNotice(el: HTMLElement): LinkNotice {
  const list = h('ul', { class: 'link-notice-list' });
  const dismiss = h('button', { type: 'button', class: 'link-notice-dismiss' }, 'Dismiss');
  dismiss.addEventListener('click', () => {
    el.hidden = true;
  });
  const heading = h('p', { class: 'link-notice-heading', id: 'link-notice-heading' });
  el.replaceChildren(heading, list, dismiss);
  el.setAttribute('role', 'status');
  el.setAttribute('aria-labelledby', 'link-notice-heading');
  el.hidden = true;
  return {
    show(problems) {
      el.hidden = problems.length === 0;
      const worst = problems.some((p) => p.level === 'error') ? 'error' : problems.some((p) => p.level === 'warning') ? 'warning' : 'info';
      el.dataset['level'] = worst;
      heading.textContent = worst === 'info' ? 'About this link' : worst === 'error' ? 'This link could not be opened as it was made' : 'Part of this link was not used';
      list.replaceChildren(...problems.map((p) => h('li', { 'data-level': p.level }, p.text)));
    },
  };
}
