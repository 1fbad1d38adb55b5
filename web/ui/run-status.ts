// The run status line: running (with a Cancel button), the time it took, or
// why there is no result (cancelled, timed out, the engine failed). Owns #run-status.
import { h } from './dom';

export interface RunStatus {
  running(): void;
  done(ms: number): void;
  failed(message: string): void;
}

export function setupRunStatus(el: HTMLElement, onCancel: () => void, onRerun: () => void): RunStatus {
  const text = h('span', { class: 'run-status-text', role: 'status' });
  const cancel = h('button', { type: 'button', class: 'cancel', disabled: true }, 'Cancel run');
  const rerun = h('button', { type: 'button', class: 'rerun', hidden: true }, 'Run again');
  cancel.addEventListener('click', onCancel);
  rerun.addEventListener('click', onRerun);
  el.replaceChildren(text, cancel, rerun);
  const set = (state: string, message: string, canCancel: boolean, canRerun: boolean): void => {
    el.dataset['state'] = state;
    text.textContent = message;
    cancel.disabled = !canCancel;
    rerun.hidden = !canRerun;
  };
  return {
    running: () => set('running', 'Running…', true, false),
    done: (ms) => set('done', `Ran in ${Math.round(ms)} ms.`, false, false),
    failed: (message) => set('failed', message, false, true),
  };
}
