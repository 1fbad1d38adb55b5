// Axis names as shown in tables: "batch 1 · Tq 32 · dim 2". Uses the shared
// vocabulary in web/ui/axes.ts (colour, pattern, label) when that module is
// present; plain text labels otherwise. Never colour alone: the name is text.
import { h } from './dom';

interface AxesModule {
  [name: string]: unknown;
}

// import.meta.glob: the page builds whether or not axes.ts has landed yet.
const axesModules = import.meta.glob<AxesModule>('./axes.ts', { eager: true });
const axesModule: AxesModule | undefined = axesModules['./axes.ts'];

/** A CSS class per known axis name (its colour comes from styles.css). */
const KNOWN = new Set(['batch', 'Tq', 'Tv', 'dim', 'num_heads', 'key_dim', 'value_dim']);

export function hasSharedAxes(): boolean {
  return axesModule !== undefined;
}

/** Spans "name size" for each axis, or the bare sizes when axes are unknown. */
export function axisCells(axes: string, shape: readonly number[]): (HTMLElement | string)[] {
  const names = axes ? axes.split(',') : [];
  if (names.length !== shape.length || names.length === 0) return [shape.length === 0 ? 'scalar' : '—'];
  const out: (HTMLElement | string)[] = [];
  names.forEach((name, i) => {
    if (i > 0) out.push(' · ');
    const cls = KNOWN.has(name) ? `axis axis-${name}` : 'axis';
    out.push(h('span', { class: cls, 'data-axis': name }, `${name} ${shape[i] ?? '?'}`));
  });
  return out;
}
