// Scenario picker: the article's three scenarios first (in its order), then
// the gallery. Owns #picker.
import { h } from './dom';
import type { Scenario } from './scenario-data';

export interface Picker {
  render(scenarioId: string, edited: boolean): void;
}

export function setupPicker(el: HTMLElement, scenarios: readonly Scenario[], onPick: (id: string) => void): Picker {
  const select = h('select', { id: 'scenario-select', name: 'scenario' });
  const groups: [string, Scenario[]][] = [
    ["The article's scenarios", scenarios.filter((s) => s.kind === 'article')],
    ['Gallery', scenarios.filter((s) => s.kind === 'gallery')],
  ];
  for (const [label, list] of groups) {
    const group = h('optgroup', { label });
    for (const s of list) group.append(h('option', { value: s.id }, s.title));
    select.append(group);
  }
  select.addEventListener('change', () => onPick(select.value));
  const hint = h('span', { class: 'picker-hint muted', id: 'picker-hint' });
  el.replaceChildren(h('label', { for: 'scenario-select' }, 'Scenario'), select, hint);
  return {
    render(scenarioId, edited) {
      if (select.value !== scenarioId) select.value = scenarioId;
      hint.textContent = edited ? '(code edited)' : '';
    },
  };
}
