// Outputs: a preview of every tensor the program ended with (shape, dtype,
// first values, min / max / mean), what it printed, the engine's notes, and
// the attention-weights heatmap (web/ui/heatmap.ts). Owns #outputs.
import type { RunResult } from '../core/types';
import { isTensorValue, valuesNotKeptNote } from '../core/types';
import { h } from './dom';
import { createHeatmap, type FetchTensor, type Heatmap } from './heatmap';
import { attentionWeights, formatShape, liveTensors } from './steps';

export type { FetchTensor };

export interface Outputs {
  render(result: RunResult | null): void;
  /** The attention-weights heatmap (its PNG export backs the share bar). */
  heatmap: Heatmap;
}

const num = (x: unknown): string => (typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toPrecision(4)) : String(x));

export function setupOutputs(el: HTMLElement, fetchTensor: FetchTensor): Outputs {
  const heatmapCaption = h('p', { class: 'heatmap-caption' });
  const heatmapBox = h('div', { class: 'heatmap', id: 'heatmap' });
  const heatmapSection = h('section', { class: 'heatmap-section', 'aria-labelledby': 'heatmap-heading' }, h('h3', { id: 'heatmap-heading' }, 'Attention weights'), heatmapCaption, heatmapBox);
  const heatmap = createHeatmap(heatmapBox, fetchTensor);
  const tensors = h('div', { class: 'tensor-previews', id: 'tensor-previews' });
  const stdout = h('pre', { class: 'stdout', id: 'stdout', tabindex: '0', 'aria-label': 'Printed output' });
  const notes = h('ul', { class: 'notes' });
  el.replaceChildren(heatmapSection, h('h3', null, 'Tensors at the end of the run'), tensors, h('h3', null, 'Printed output'), stdout, h('h3', null, 'Notes'), notes);

  return {
    heatmap,
    render(result) {
      const picked = result ? attentionWeights(result) : null;
      heatmapSection.hidden = picked === null;
      if (picked) {
        heatmapCaption.textContent = `${picked.call.callee} on line ${picked.line}: ${picked.weights.label} ${formatShape(picked.weights.shape)}${picked.weights.axes ? ` (${picked.weights.axes.split(',').join(', ')})` : ''}${picked.mask ? ', masked entries marked' : ''}.`;
        heatmap.show(picked.weights, picked.mask);
      } else {
        heatmap.clear();
      }

      tensors.replaceChildren();
      // In the order the program first bound them, not the document's key order.
      const order = result ? liveTensors(result, result.steps.length - 1).map((t) => t.name) : [];
      const rank = (name: string): number => (order.includes(name) ? order.indexOf(name) : order.length);
      const entries = result
        ? Object.entries(result.variables)
            .filter(([, v]) => isTensorValue(v))
            .sort(([a], [b]) => rank(a) - rank(b))
        : [];
      if (!entries.length) tensors.append(h('p', { class: 'muted' }, result ? 'The program ended with no tensor bound to a name.' : 'Waiting for the run…'));
      for (const [name, value] of entries) {
        if (!isTensorValue(value)) continue;
        const values = Array.isArray(value.values) ? (value.values as unknown[]) : [];
        const dropped = valuesNotKeptNote(value);
        tensors.append(
          h(
            'article',
            { class: 'tensor-preview', 'data-name': name },
            h('h4', null, h('code', null, name), ' ', h('span', { class: 'shape' }, `${formatShape(value.shape)} ${value.dtype}`)),
            h('p', { class: 'values' }, 'First values: ', h('code', null, values.length ? `${values.map(num).join(', ')}${values.length >= 8 ? ', …' : ''}` : '—')),
            h('p', { class: 'stats' }, `min ${num(value.min)} · max ${num(value.max)} · mean ${num(value.mean)}`),
            dropped === null ? null : h('p', { class: 'muted values-dropped' }, dropped),
          ),
        );
      }
      stdout.textContent = result ? result.stdout || '(nothing printed)' : '';
      notes.replaceChildren(...(result?.notes ?? []).map((n) => h('li', null, n)));
    },
  };
}
