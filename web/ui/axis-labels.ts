// Axis names as shown in tables ("batch 1 · Tq 32 · dim 2"), in the page's
// one axis vocabulary (web/ui/axes.ts: colour per theme, tag letter,
// description). The name is always text, so colour is never the only cue.
import { ensureAxisStyles, labelDims } from './axes';
import { h } from './dom';

/** Spans "name size" for each axis, or a dash when the axes are unknown. */
export function axisCells(axes: string, shape: readonly number[]): (HTMLElement | string)[] {
  if (!axes) return [shape.length === 0 ? 'scalar' : '—'];
  ensureAxisStyles();
  const out: (HTMLElement | string)[] = [];
  labelDims(axes, shape).forEach((d, i) => {
    if (i > 0) out.push(' · ');
    out.push(
      h(
        'span',
        { class: 'axis', 'data-axis': d.axis, title: d.info.description, style: `color: var(${d.info.cssVar})` },
        d.axis ? `${d.axis} ${d.size}` : String(d.size),
      ),
    );
  });
  return out;
}
