// The one vocabulary of axes on the page (the same names the core writes in
// every "axes" string: batch, Tq, Tv, dim, num_heads, key_dim, value_dim).
// Each axis has a colour per theme AND a non-colour cue (a letter tag and a
// stroke dash pattern), so colour is never the only signal. The colours are
// single-sourced here and reach CSS as custom properties (--ap-axis-<name>)
// through ensureAxisStyles(); viz.css and the SVG only refer to the variables.

export type Theme = 'light' | 'dark';

export const AXIS_NAMES = ['batch', 'Tq', 'Tv', 'dim', 'num_heads', 'key_dim', 'value_dim'] as const;
export type AxisName = (typeof AXIS_NAMES)[number];

export interface AxisInfo {
  /** The vocabulary name, as in the run document ("Tq"); "" for an unnamed axis. */
  name: string;
  /** A short label for tight spaces ("B", "Tq", "H"). */
  short: string;
  /** One line for tooltips and the accessible description. */
  description: string;
  /** A single-letter tag drawn next to the axis (the non-colour cue). */
  tag: string;
  /** SVG stroke-dasharray of the axis' outlines ("" = solid): the second non-colour cue. */
  dash: string;
  /** CSS custom property holding the axis colour for the current theme. */
  cssVar: string;
  /** Contrast ≥ 4.5:1 against the theme's backgrounds (tests/js/axes.test.ts): usable for text too. */
  colors: Record<Theme, string>;
}

/** Backgrounds the axis colours are checked against (page and node fills). */
export const THEME_BACKGROUNDS: Record<Theme, readonly string[]> = {
  light: ['#ffffff', '#f4f4f6'],
  dark: ['#121417', '#1b1e23', '#26292f'],
};

// Okabe–Ito hues (distinguishable with the common colour-vision deficiencies),
// darkened for the light theme so that each reaches 4.5:1 on white.
export const AXES: Readonly<Record<AxisName, AxisInfo>> = {
  batch: {
    name: 'batch', short: 'B', tag: 'B', dash: '1 3',
    description: 'batch: independent examples; never mixed by attention',
    cssVar: '--ap-axis-batch', colors: { light: '#5f6670', dark: '#a3aab4' },
  },
  Tq: {
    name: 'Tq', short: 'Tq', tag: 'Q', dash: '',
    description: 'Tq: query steps (one output row per query step)',
    cssVar: '--ap-axis-tq', colors: { light: '#0072b2', dark: '#56b4e9' },
  },
  Tv: {
    name: 'Tv', short: 'Tv', tag: 'V', dash: '6 3',
    description: 'Tv: key/value steps (what each query step attends over)',
    cssVar: '--ap-axis-tv', colors: { light: '#ad4500', dark: '#e69f00' },
  },
  dim: {
    name: 'dim', short: 'D', tag: 'D', dash: '2 2',
    description: 'dim: features of each step',
    cssVar: '--ap-axis-dim', colors: { light: '#00785a', dark: '#2ec4a0' },
  },
  num_heads: {
    name: 'num_heads', short: 'H', tag: 'H', dash: '8 2 2 2',
    description: 'num_heads: parallel attention heads (MultiHeadAttention)',
    cssVar: '--ap-axis-num-heads', colors: { light: '#a8457f', dark: '#e08ec0' },
  },
  key_dim: {
    name: 'key_dim', short: 'Dk', tag: 'K', dash: '4 2 1 2',
    description: 'key_dim: features per head of the projected query and key',
    cssVar: '--ap-axis-key-dim', colors: { light: '#7a6a00', dark: '#f0e442' },
  },
  value_dim: {
    name: 'value_dim', short: 'Dv', tag: 'U', dash: '10 3',
    description: 'value_dim: features per head of the projected value',
    cssVar: '--ap-axis-value-dim', colors: { light: '#6a4fb0', dark: '#b39ddb' },
  },
};

/** Neutral look for axes outside the vocabulary (d1, units, unnamed op axes). */
const OTHER: Omit<AxisInfo, 'name' | 'short' | 'description'> = {
  tag: '·', dash: '3 1', cssVar: '--ap-axis-other', colors: { light: '#55555c', dark: '#b4b4bc' },
};

/** Colour of a failing axis / failing op (also marked with ✕ and text). */
export const ERROR_COLORS: Record<Theme, string> = { light: '#b0003a', dark: '#ff6b8b' };

export function isAxisName(name: string): name is AxisName {
  return (AXIS_NAMES as readonly string[]).includes(name);
}

/** The info for any axis name; names outside the vocabulary get a neutral look. */
export function axisInfo(name: string): AxisInfo {
  if (isAxisName(name)) return AXES[name];
  // Project synonyms the core uses on non-attention layers.
  if (name === 'T') return { ...OTHER, name, short: 'T', description: 'T: steps' };
  if (name === 'units') return { ...OTHER, name, short: 'units', description: 'units: output features of Dense' };
  return { ...OTHER, name, short: name || '?', description: name ? `${name}: axis` : 'unnamed axis' };
}

export interface LabelledDim {
  /** Position in the shape. */
  index: number;
  /** Axis name ("" when the document names no axis here). */
  axis: string;
  size: number;
  info: AxisInfo;
}

/** Splits an "axes" string ("batch,Tq,Tv") into names; "" gives []. */
export function parseAxes(axes: string | null | undefined): string[] {
  if (!axes) return [];
  return axes.split(',').map((name) => name.trim());
}

/**
 * Names every dimension of `shape` with the axes string. When the counts
 * differ the names are aligned to the trailing dimensions (the feature and
 * sequence axes are the meaningful ones); leading extra dims stay unnamed.
 * labelDims("batch,Tq,Tv", [1, 32, 1200]) → batch=1, Tq=32, Tv=1200.
 */
export function labelDims(axes: string | null | undefined, shape: readonly number[]): LabelledDim[] {
  const names = parseAxes(axes);
  const offset = shape.length - names.length;
  return shape.map((size, index) => {
    const axis = names[index - offset] ?? '';
    return { index, axis, size, info: axisInfo(axis) };
  });
}

/** "(1, 32, 1200)", Python's tuple spelling (a 1-tuple keeps its comma). */
export function formatShape(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** "batch=1, Tq=32, Tv=1200" (unnamed dims print as their size only). */
export function formatLabelledDims(dims: readonly LabelledDim[]): string {
  return dims.map((d) => (d.axis ? `${d.axis}=${d.size}` : String(d.size))).join(', ');
}

/** "(1, 32, 1200): batch=1, Tq=32, Tv=1200", for text alternatives. */
export function describeShape(axes: string | null | undefined, shape: readonly number[]): string {
  const dims = labelDims(axes, shape);
  const named = dims.some((d) => d.axis !== '');
  return named ? `${formatShape(shape)}: ${formatLabelledDims(dims)}` : formatShape(shape);
}

/** The CSS that defines --ap-axis-* for light and dark (built from AXES only). */
export function axisStyleSheet(): string {
  const block = (theme: Theme): string => {
    const lines = [...Object.values(AXES), { ...OTHER }].map((a) => `  ${a.cssVar}: ${a.colors[theme]};`);
    lines.push(`  --ap-viz-error: ${ERROR_COLORS[theme]};`);
    return lines.join('\n');
  };
  // Light by default; dark from the OS unless the page forces a theme with
  // <html data-theme="light|dark">.
  return [
    `:root {\n${block('light')}\n}`,
    `@media (prefers-color-scheme: dark) {\n:root:not([data-theme="light"]) {\n${block('dark')}\n}\n}`,
    `:root[data-theme="dark"] {\n${block('dark')}\n}`,
  ].join('\n');
}

/** Adds the axis colour variables to `doc` once (idempotent). */
export function ensureAxisStyles(doc: Document = document): void {
  const id = 'ap-axis-colors';
  if (doc.getElementById(id)) return;
  const style = doc.createElement('style');
  style.id = id;
  style.textContent = axisStyleSheet();
  doc.head.append(style);
}
