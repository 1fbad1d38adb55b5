// Mounts the shape-flow diagram (web/ui/shape-flow.ts, built by another
// engineer) once per attention-layer call. Until that module lands, a text
// placeholder stands in, called with the same arguments.
import type { Call, RunError } from '../core/types';
import { h } from './dom';
import { formatShape } from './steps';

type RenderShapeFlow = (container: HTMLElement, call: Call, error: RunError | null) => void;

// import.meta.glob: the page builds whether or not shape-flow.ts exists yet.
const modules = import.meta.glob<{ renderShapeFlow?: RenderShapeFlow }>('./shape-flow.ts', { eager: true });
const shared = modules['./shape-flow.ts']?.renderShapeFlow;

const placeholder: RenderShapeFlow = (container, call, error) => {
  const parts = (call.inputs ?? []).map((i) => `${i.role} ${formatShape(i.shape)}`);
  const outs = (call.outputs ?? []).map((o) => `${o.label} ${formatShape(o.shape)}`);
  container.replaceChildren(
    h('p', { class: 'flow-placeholder' }, `${call.callee}: ${parts.join(', ')} → ${outs.length ? outs.join(', ') : error ? `${error.type}` : '…'}`),
  );
};

export const renderShapeFlow: RenderShapeFlow = shared ?? placeholder;

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
