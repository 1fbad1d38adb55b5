// The error card: the error exactly as the framework prints it (Keras 3's
// ANSI bold as <strong>, built from text nodes), a toggle for Keras' whole
// wrapper text, a plain-language explanation, the fixes, and the shapes
// computed up to the failure. Owns #error-card.
import type { RunError, RunResult } from '../core/types';
import { ansiSegments, boldPart } from './ansi';
import { h } from './dom';
import { explainError } from './explain';
import { renderLiveTable } from './live-table';
import { failingStep, liveTensors } from './steps';

export interface ErrorCardView {
  result: RunResult | null;
  fullText: boolean;
}

export interface ErrorCard {
  render(view: ErrorCardView): void;
  /** Where the page mounts the one-click fixes. */
  fixesSlot: HTMLElement;
}

function messageNodes(message: string): Node[] {
  return ansiSegments(message).map((s) => {
    if (!s.bold) return document.createTextNode(s.text);
    const strong = document.createElement('strong');
    strong.textContent = s.text;
    return strong;
  });
}

function operands(error: RunError): HTMLElement | null {
  const shapes = error.shapes ?? [];
  if (!shapes.length) return null;
  const axes = error.failing_axes ?? [];
  const items = shapes.map((shape, i) => {
    const axis = axes[i];
    const dims = shape.map((d, j) => (j === axis ? h('mark', { class: 'failing-axis', title: `axis ${j} does not fit` }, `${d}`, h('span', { class: 'visually-hidden' }, ' (does not fit)')) : String(d)));
    const parts: (Node | string)[] = ['('];
    dims.forEach((d, j) => parts.push(...(j > 0 ? [', ', d] : [d])));
    parts.push(shape.length === 1 ? ',)' : ')');
    return h('li', null, `Operand ${i + 1}${error.op ? ` of ${error.op}` : ''}: `, h('code', null, ...parts), axis !== undefined ? ` — axis ${axis} is the one that does not fit` : '');
  });
  return h('div', { class: 'operands' }, h('h4', null, 'The shapes the failing op received'), h('ul', null, ...items));
}

export function setupErrorCard(el: HTMLElement, onToggleFull: (on: boolean) => void): ErrorCard {
  const heading = h('h2', { id: 'error-heading' });
  const where = h('p', { class: 'error-where' });
  const message = h('pre', { class: 'error-message', id: 'error-message', tabindex: '0', 'aria-label': 'Error message' });
  const toggle = h('button', { type: 'button', class: 'toggle-full', 'aria-controls': 'error-message', 'aria-pressed': 'false' });
  toggle.addEventListener('click', () => onToggleFull(toggle.getAttribute('aria-pressed') !== 'true'));
  const explain = h('div', { class: 'error-explain' });
  const fixesSlot = h('div', { class: 'fixes-slot' });
  const operandList = h('div');
  const shapes = h('div', { class: 'error-shapes', id: 'error-shapes' });
  el.replaceChildren(heading, where, message, toggle, explain, fixesSlot, operandList, h('h3', null, 'Shapes computed up to the failure'), shapes);
  el.setAttribute('aria-labelledby', 'error-heading');

  return {
    fixesSlot,
    render({ result, fullText }) {
      const error = result?.error ?? null;
      el.hidden = !error;
      if (!result || !error) return;
      el.dataset['errorType'] = error.type;
      heading.textContent = `${error.type}${error.line > 0 ? ` on line ${error.line}` : ''}`;
      const by = error.raised_by_program ? 'your program (a raise statement)' : error.framework === 'keras' ? 'Keras' : error.framework === 'tensorflow' ? 'TensorFlow' : error.framework === 'python' ? 'Python' : 'the playground';
      where.textContent = `Raised by ${by}${error.op ? ` (op ${error.op})` : ''}${error.line > 0 ? `, line ${error.line}, column ${error.column}` : ''}. As it prints:`;

      // Keras 3 wraps a layer's error; its own (inner) message is the bold part.
      const inner = error.keras_call ? boldPart(error.message) : null;
      toggle.hidden = inner === null;
      const full = fullText || inner === null;
      toggle.setAttribute('aria-pressed', String(full && inner !== null));
      toggle.textContent = full ? "Show only the inner error" : "Show Keras' full message (the wrapper with the call's arguments)";
      message.dataset['view'] = full ? 'full' : 'inner';
      message.replaceChildren(document.createTextNode(error.message ? `${error.type}: ` : error.type), ...(full ? messageNodes(error.message) : [h('strong', null, inner ?? '')]));

      explain.replaceChildren(
        h('h3', null, 'What it means'),
        ...explainError(error).map((t) => h('p', null, t)),
      );
      const ops = operands(error);
      operandList.replaceChildren(...(ops ? [ops] : []));
      const at = failingStep(result);
      renderLiveTable(shapes, liveTensors(result, at), `Tensors bound before line ${error.line}`, 'No tensor was bound before the failure.');
    },
  };
}
