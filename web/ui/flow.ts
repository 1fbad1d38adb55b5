// Mounts the shape-flow diagram (web/ui/shape-flow-view.ts) once per
// attention-layer call of the current step.
import type { Call, RunError } from '../core/types';
import { h } from './dom';
import { renderShapeFlow } from './shape-flow-view';

export function renderFlows(container: HTMLElement, calls: readonly Call[], error: RunError | null): void {
  container.replaceChildren();
  for (const call of calls) {
    const box = h('figure', { class: 'shape-flow', 'data-callee': call.callee });
    container.append(box);
    try {
      renderShapeFlow(box, call, call.failed ? error : null);
    } catch (e) {
      box.replaceChildren(h('p', { class: 'muted' }, `The diagram could not be drawn: ${String(e)}`));
    }
  }
}
