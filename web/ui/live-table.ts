// A table of tensors and their shapes (the walkthrough's live tensors, and
// the error card's shapes up to the failure).
import { axisCells } from './axis-labels';
import { h } from './dom';
import { formatShape, type LiveTensor } from './steps';

export function renderLiveTable(container: HTMLElement, tensors: readonly LiveTensor[], caption: string, emptyText: string): void {
  if (tensors.length === 0) {
    container.replaceChildren(h('p', { class: 'muted' }, emptyText));
    return;
  }
  const body = h('tbody');
  for (const t of tensors) {
    const row = h(
      'tr',
      { 'data-name': t.name, class: t.changed ? 'changed' : null },
      h('th', { scope: 'row' }, h('code', null, t.name), t.changed ? h('span', { class: 'tag' }, ' new at this step') : null),
      h('td', { class: 'shape' }, h('code', null, formatShape(t.shape))),
      h('td', { class: 'axes' }, ...axisCells(t.axes, t.shape)),
      h('td', null, t.dtype),
      h('td', { class: 'num' }, String(t.line)),
    );
    body.append(row);
  }
  const table = h(
    'table',
    { class: 'tensor-table' },
    h('caption', null, caption),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Shape'), h('th', { scope: 'col' }, 'Axes'), h('th', { scope: 'col' }, 'dtype'), h('th', { scope: 'col' }, 'Line'))),
    body,
  );
  container.replaceChildren(h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption }, table));
}
