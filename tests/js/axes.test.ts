// The axis vocabulary: names dims from the document's "axes" strings, and
// every axis has a colour (≥ 4.5:1 on the theme's backgrounds) plus a
// non-colour cue, so colour is never the only signal.
import { describe, expect, it } from 'vitest';
import {
  AXES, AXIS_NAMES, ERROR_COLORS, THEME_BACKGROUNDS, axisInfo, axisStyleSheet, describeShape, formatShape,
  labelDims, type Theme,
} from '../../web/ui/axes';

function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [n >> 16, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('labelDims', () => {
  // The article's scores: "(1, 32, 1200)" reads batch=1, Tq=32, Tv=1200.
  it('names each dimension from the axes string', () => {
    const dims = labelDims('batch,Tq,Tv', [1, 32, 1200]);
    expect(dims.map((d) => [d.axis, d.size])).toEqual([['batch', 1], ['Tq', 32], ['Tv', 1200]]);
    expect(dims[1]?.info).toBe(AXES.Tq);
    expect(describeShape('batch,Tq,Tv', [1, 32, 1200])).toBe('(1, 32, 1200): batch=1, Tq=32, Tv=1200');
  });

  // MHA's four axes come through unchanged.
  it('handles the MultiHeadAttention axes', () => {
    expect(labelDims('batch,num_heads,Tq,Tv', [2, 4, 10, 20]).map((d) => d.info.name)).toEqual(['batch', 'num_heads', 'Tq', 'Tv']);
  });

  // Op outputs carry no axes ("") and fewer names than dims align to the end.
  it('leaves unnamed dims unnamed and aligns short axes strings to the end', () => {
    expect(labelDims('', [32, 2]).map((d) => d.axis)).toEqual(['', '']);
    expect(describeShape('', [32, 2])).toBe('(32, 2)');
    expect(labelDims('Tq,dim', [1, 32, 2]).map((d) => d.axis)).toEqual(['', 'Tq', 'dim']);
  });

  // Python's tuple spelling, including the 1-tuple comma and the scalar.
  it('formats shapes as Python tuples', () => {
    expect(formatShape([1, 32, 2])).toBe('(1, 32, 2)');
    expect(formatShape([5])).toBe('(5,)');
    expect(formatShape([])).toBe('()');
  });
});

describe('axis look', () => {
  // Every vocabulary axis has a distinct letter tag and a distinct dash pattern.
  it('gives every axis a unique non-colour cue', () => {
    const tags = AXIS_NAMES.map((n) => AXES[n].tag);
    const dashes = AXIS_NAMES.map((n) => AXES[n].dash);
    expect(new Set(tags).size).toBe(AXIS_NAMES.length);
    expect(new Set(dashes).size).toBe(AXIS_NAMES.length);
  });

  // Graphics need 3:1 against the background (WCAG 1.4.11); the colours reach
  // 4.5:1 so they can colour axis names as text too (1.4.3).
  it('meets 4.5:1 contrast on the light and dark backgrounds', () => {
    for (const theme of ['light', 'dark'] as Theme[]) {
      for (const bg of THEME_BACKGROUNDS[theme]) {
        for (const name of AXIS_NAMES) expect(contrast(AXES[name].colors[theme], bg), `${name} ${theme} on ${bg}`).toBeGreaterThanOrEqual(4.5);
        expect(contrast(ERROR_COLORS[theme], bg)).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  // Unknown names (d1, units, "") get a neutral look instead of throwing.
  it('falls back to a neutral look for names outside the vocabulary', () => {
    expect(axisInfo('d1').cssVar).toBe('--ap-axis-other');
    expect(axisInfo('').short).toBe('?');
  });

  // The stylesheet defines every variable for both themes (light default, dark by media query and data-theme).
  it('emits the CSS variables for both themes', () => {
    const css = axisStyleSheet();
    for (const name of AXIS_NAMES) {
      expect(css).toContain(`${AXES[name].cssVar}: ${AXES[name].colors.light};`);
      expect(css).toContain(`${AXES[name].cssVar}: ${AXES[name].colors.dark};`);
    }
    expect(css).toContain('prefers-color-scheme: dark');
    expect(css).toContain(':root[data-theme="dark"]');
  });
});
