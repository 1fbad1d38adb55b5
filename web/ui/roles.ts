// The roles Keras gave each tensor of an attention-layer call: the argument
// slot, the learner's expression, the role (query / value / key / mask), its
// shape, and a flag when the name says one role and Keras used another
// (scenario 1's silent key/value swap, as the run document states it).
// Then the engine's notes.
import type { Call } from '../core/types';
import { h } from './dom';
import { formatShape } from './steps';

export function renderRoles(container: HTMLElement, call: Call, heading: string): void {
  const inputs = call.inputs ?? [];
  const body = h('tbody');
  for (const input of inputs) {
    // The engine names the role a variable's name suggests when Keras used
    // it as another (one rule, in cpp/core/keras/common.cc).
    const named = input.suggested_role ?? null;
    const mismatch = named !== null;
    body.append(
      h(
        'tr',
        { class: mismatch ? 'role-mismatch' : null, 'data-role': input.role, 'data-source': input.source },
        h('th', { scope: 'row' }, h('code', null, input.arg_path)),
        h('td', null, input.source ? h('code', null, input.source) : h('span', { class: 'muted' }, '(expression)')),
        h(
          'td',
          { class: 'role' },
          h('strong', null, input.role.toUpperCase()),
          mismatch ? h('span', { class: 'warning-text' }, ` ⚠ named like a ${named}`) : null,
        ),
        h('td', { title: input.axes ? input.axes.split(',').join(', ') : '' }, h('code', null, formatShape(input.shape))),
      ),
    );
  }
  const layer = call.layer_name ? `${call.callee} “${call.layer_name}”` : call.callee;
  const table = h(
    'table',
    { class: 'roles-table' },
    h('caption', null, `${heading}: ${layer}${call.failed ? ' (failed)' : ''}`),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Argument'), h('th', { scope: 'col' }, 'Your tensor'), h('th', { scope: 'col' }, 'Keras used it as'), h('th', { scope: 'col' }, 'Shape'))),
    body,
  );
  const notes = (call.notes ?? []).length ? h('ul', { class: 'call-notes' }, ...(call.notes ?? []).map((n) => h('li', null, n))) : null;
  const outputs = (call.outputs ?? []).length
    ? h('p', { class: 'call-outputs' }, 'Returns ', ...(call.outputs ?? []).flatMap((o, i) => [i > 0 ? ', ' : '', h('code', null, `${o.label} ${formatShape(o.shape)}`)]), '.')
    : null;
  container.replaceChildren(
    inputs.length
      ? h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `${heading}: ${layer}` }, table)
      : h('p', null, `${heading}: ${layer}${call.failed ? ' rejected its arguments before giving the tensors roles.' : ': no inputs were traced.'}`),
    outputs ?? '',
    notes ?? '',
  );
}
