// Step controls over the executed statements (first / previous / next / last,
// a slider, arrow keys when focused), the current statement, the attention
// calls it made (roles + shape flow), and the live tensors. Owns #walkthrough.
import type { RunResult } from '../core/types';
import { h } from './dom';
import { renderFlows } from './flow';
import { renderLiveTable } from './live-table';
import { renderRoles } from './roles';
import { attentionCalls, liveTensors } from './steps';

export interface Walkthrough {
  render(result: RunResult | null, step: number, code: string): void;
}

export function setupWalkthrough(el: HTMLElement, onStep: (step: number | null) => void): Walkthrough {
  let count = 0;
  let current = -1;
  const go = (step: number): void => {
    if (count === 0) return;
    const clamped = Math.max(0, Math.min(count - 1, step));
    onStep(clamped === count - 1 ? null : clamped);
  };
  const button = (action: string, text: string, onClick: () => void): HTMLButtonElement => {
    const b = h('button', { type: 'button', 'data-action': action }, text);
    b.addEventListener('click', onClick);
    return b;
  };
  const first = button('first', '« First', () => go(0));
  const prev = button('previous', '‹ Previous', () => go(current - 1));
  const next = button('next', 'Next ›', () => go(current + 1));
  const last = button('last', 'Last »', () => go(count - 1));
  const slider = h('input', { type: 'range', min: '0', max: '0', value: '0', id: 'step-slider', 'aria-label': 'Step' });
  slider.addEventListener('input', () => go(Number(slider.value)));
  const position = h('p', { class: 'step-position', id: 'step-position' });
  const source = h('pre', { class: 'step-source', 'aria-label': 'Current statement' });
  const controls = h('div', { class: 'step-controls', role: 'group', 'aria-label': 'Step through the program (arrow keys, Home, End)' }, first, prev, slider, next, last);
  controls.addEventListener('keydown', (event) => {
    if (event.target === slider) return; // the slider handles its own keys
    const moves: Record<string, () => void> = {
      ArrowLeft: () => go(current - 1),
      ArrowUp: () => go(current - 1),
      ArrowRight: () => go(current + 1),
      ArrowDown: () => go(current + 1),
      Home: () => go(0),
      End: () => go(count - 1),
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      move();
    }
  });
  const stepOut = h('pre', { class: 'step-stdout', hidden: true, 'aria-label': 'Printed by this step' });
  const stepError = h('p', { class: 'step-error', hidden: true });
  const calls = h('div', { class: 'step-calls' });
  const flows = h('div', { class: 'flows', id: 'shape-flows' });
  const table = h('div', { class: 'live-table', id: 'live-table' });
  el.replaceChildren(
    controls,
    position,
    source,
    stepError,
    stepOut,
    h('h3', null, 'Attention calls at this step'),
    calls,
    flows,
    h('h3', null, 'Live tensors'),
    table,
  );

  return {
    render(result, step, code) {
      count = result?.steps.length ?? 0;
      current = step;
      slider.max = String(Math.max(0, count - 1));
      slider.value = String(Math.max(0, step));
      slider.disabled = count <= 1;
      for (const b of [first, prev]) b.disabled = count === 0 || step <= 0;
      for (const b of [next, last]) b.disabled = count === 0 || step >= count - 1;
      const s = result?.steps[step];
      if (!result || !s) {
        position.textContent = result ? 'No statement ran.' : 'Waiting for the first run…';
        slider.setAttribute('aria-valuetext', position.textContent);
        source.textContent = '';
        calls.replaceChildren();
        flows.replaceChildren();
        table.replaceChildren();
        stepOut.hidden = true;
        stepError.hidden = true;
        return;
      }
      const lines = code.split('\n');
      const end = s.end_line && s.end_line >= s.line ? s.end_line : s.line;
      const lineLabel = end > s.line ? `lines ${s.line}–${end}` : `line ${s.line}`;
      position.textContent = `Step ${step + 1} of ${count}${result.steps_truncated ? '+' : ''}, ${lineLabel}`;
      slider.setAttribute('aria-valuetext', position.textContent);
      el.dataset['step'] = String(step);
      el.dataset['line'] = String(s.line);
      source.textContent = lines.slice(s.line - 1, end).join('\n');

      stepError.hidden = !s.error;
      stepError.textContent = s.error ? `${s.caught ? 'Raised and caught' : 'Raises'} ${s.error.type} here.` : '';
      stepOut.hidden = !s.stdout;
      stepOut.textContent = s.stdout ?? '';

      const attention = attentionCalls(s);
      calls.replaceChildren();
      if (!attention.length) calls.append(h('p', { class: 'muted' }, 'No attention-layer call at this step.'));
      for (const call of attention) {
        const box = h('div', { class: 'roles-box' });
        renderRoles(box, call, 'Call');
        calls.append(box);
      }
      renderFlows(flows, attention, s.error ?? null);
      renderLiveTable(table, liveTensors(result, step), `Tensors bound to names after step ${step + 1}`, 'No tensor is bound to a name yet.');
    },
  };
}
