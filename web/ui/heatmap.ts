// Attention-weights heatmap on a <canvas>: rows = query steps (Tq), columns =
// key steps (Tv). The values are fetched by tensor id (the document carries
// only the first few). Cells are pooled into pixels (max or mean) and written
// as one ImageData, so a 1200 × 1200 matrix draws at once; the mask is drawn
// as hatching (never colour alone); hover, keyboard focus + arrow keys read a
// cell; zoom with buttons, wheel or pinch, pan by dragging; a table toggle is
// the accessible alternative; downloadPng() exports the canvas.
import './viz.css';
import { valuesNotKeptNote, type TensorData, type TracedTensor } from '../core/types';
import { AXES, ensureAxisStyles, formatShape, parseAxes } from './axes';

export type FetchTensor = (id: number) => Promise<TensorData>;
export type Pooling = 'max' | 'mean';

export interface Heatmap {
  show(weights: TracedTensor, mask?: TracedTensor | null): void;
  clear(): void;
  /** The canvas as a PNG (the share bar's "Download PNG"). */
  toPngBlob(): Promise<Blob | null>;
  downloadPng(filename?: string): Promise<void>;
}

// ---------------------------------------------------------------- pure math

/** A rows × cols row-major view into a tensor's values (no copy). */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

/** The (Tq, Tv) matrix at `leading` (e.g. [batch] or [batch, head]) of a
 *  tensor whose last two axes are Tq, Tv. Out-of-range indices clamp. */
export function sliceMatrix(shape: readonly number[], values: Float32Array, leading: readonly number[] = []): Matrix {
  if (shape.length < 2) {
    const cols = shape[0] ?? 1;
    return { rows: 1, cols, data: values.subarray(0, cols) };
  }
  const rows = shape[shape.length - 2]!;
  const cols = shape[shape.length - 1]!;
  let offset = 0;
  for (let i = 0; i < shape.length - 2; i++) {
    const size = shape[i]!;
    const index = Math.min(Math.max(leading[i] ?? 0, 0), size - 1);
    offset = offset * size + index;
  }
  const start = offset * rows * cols;
  return { rows, cols, data: values.subarray(start, start + rows * cols) };
}

/** A window of the matrix in cell units (may be fractional while zooming). */
export interface View {
  row0: number;
  col0: number;
  rows: number;
  cols: number;
}

/** Cell ranges [start, end) covered by each of `out` pixels along one axis. */
export function pixelRanges(start: number, span: number, out: number, size: number): Int32Array {
  const ranges = new Int32Array(out * 2);
  for (let p = 0; p < out; p++) {
    const a = start + (p * span) / out;
    const b = start + ((p + 1) * span) / out;
    let lo = Math.floor(a);
    let hi = Math.ceil(b - 1e-9);
    if (hi <= lo) hi = lo + 1; // zoomed in: the one cell under the pixel
    lo = Math.min(Math.max(lo, 0), size - 1);
    hi = Math.min(Math.max(hi, lo + 1), size);
    ranges[2 * p] = lo;
    ranges[2 * p + 1] = hi;
  }
  return ranges;
}

/**
 * Pools the cells of `view` into an outW × outH grid: each pixel is the max
 * (or mean) of the cells it covers, so no peak disappears when 1200 columns
 * share 300 pixels. Cost: O(cells in view) zoomed out, O(pixels) zoomed in.
 */
export function aggregate(m: Matrix, view: View, outW: number, outH: number, mode: Pooling): Float32Array {
  const out = new Float32Array(outW * outH);
  const rowR = pixelRanges(view.row0, view.rows, outH, m.rows);
  const colR = pixelRanges(view.col0, view.cols, outW, m.cols);
  const max = mode === 'max';
  for (let py = 0; py < outH; py++) {
    const r0 = rowR[2 * py]!;
    const r1 = rowR[2 * py + 1]!;
    for (let px = 0; px < outW; px++) {
      const c0 = colR[2 * px]!;
      const c1 = colR[2 * px + 1]!;
      let acc = max ? -Infinity : 0;
      for (let r = r0; r < r1; r++) {
        const base = r * m.cols;
        for (let c = c0; c < c1; c++) {
          const v = m.data[base + c]!;
          if (max) {
            if (v > acc) acc = v;
          } else acc += v;
        }
      }
      out[py * outW + px] = max ? acc : acc / ((r1 - r0) * (c1 - c0));
    }
  }
  return out;
}

/**
 * A mask lookup broadcast to the (Tq, Tv) matrix at `leading`: true = the
 * entry is kept, false = masked out. Size-1 axes broadcast; a mask one rank
 * short (batch, Tv) is a value mask and gets its Tq axis at -2, as Keras does.
 */
export function maskLookup(
  maskShape: readonly number[], maskValues: Float32Array, weightsShape: readonly number[], leading: readonly number[] = [],
): (row: number, col: number) => boolean {
  let shape = [...maskShape];
  if (shape.length === weightsShape.length - 1 && shape.length >= 1) shape.splice(shape.length - 1, 0, 1);
  while (shape.length < weightsShape.length) shape = [1, ...shape];
  const n = shape.length;
  const strides = new Array<number>(n).fill(0);
  let stride = 1;
  for (let i = n - 1; i >= 0; i--) {
    strides[i] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i]!;
  }
  let base = 0;
  for (let i = 0; i < n - 2; i++) base += Math.min(leading[i] ?? 0, shape[i]! - 1) * strides[i]!;
  const rs = strides[n - 2] ?? 0;
  const cs = strides[n - 1] ?? 0;
  return (row, col) => (maskValues[base + row * rs + col * cs] ?? 1) !== 0;
}

/** Viridis (perceptually uniform, colour-blind safe): a 256 × RGB table from
 *  the standard 6th-order polynomial fit of matplotlib's map. */
export const VIRIDIS: Uint8ClampedArray = (() => {
  const c = [
    [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
    [0.1050930431085774, 1.404613529898575, 1.384590162594685],
    [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
    [-4.634230498983486, -5.799100973351585, -19.33244095627987],
    [6.228269936347081, 14.17993336680509, 56.69055260068105],
    [4.776384997670288, -13.74514537774601, -65.35303263337234],
    [-5.435455855934631, 4.645852612178535, 26.3124352495832],
  ];
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    for (let k = 0; k < 3; k++) {
      let v = c[6]![k]!;
      for (let j = 5; j >= 0; j--) v = v * t + c[j]![k]!;
      lut[i * 3 + k] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
  }
  return lut;
})();

/** Writes pooled values as viridis pixels (0 → dark, `max` → yellow), and
 *  hatches masked pixels with black/white stripes that read on any colour. */
export function paint(image: { data: Uint8ClampedArray; width: number; height: number }, pooled: Float32Array, max: number, masked?: Uint8Array): void {
  const { data, width, height } = image;
  const scale = max > 0 ? 255 / max : 0;
  for (let i = 0; i < width * height; i++) {
    const v = pooled[i]!;
    const k = Number.isFinite(v) ? Math.min(255, Math.max(0, Math.round(v * scale))) * 3 : 0;
    let r = VIRIDIS[k]!;
    let g = VIRIDIS[k + 1]!;
    let b = VIRIDIS[k + 2]!;
    if (masked?.[i]) {
      const stripe = ((i % width) + Math.floor(i / width)) % 8;
      if (stripe < 2) [r, g, b] = [0, 0, 0];
      else if (stripe >= 4 && stripe < 6) [r, g, b] = [255, 255, 255];
    }
    data[4 * i] = r;
    data[4 * i + 1] = g;
    data[4 * i + 2] = b;
    data[4 * i + 3] = 255;
  }
}

/** Indices of the k largest entries of a row, largest first. */
export function topK(row: Float32Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < row.length; i++) {
    if (best.length < k || row[i]! > row[best[best.length - 1]!]!) {
      let j = Math.min(best.length, k - 1);
      best[j] = i;
      while (j > 0 && row[best[j]!]! > row[best[j - 1]!]!) {
        [best[j], best[j - 1]] = [best[j - 1]!, best[j]!];
        j--;
      }
    }
  }
  return best;
}

export function formatWeight(v: number): string {
  if (v === 0) return '0';
  return Math.abs(v) >= 0.001 ? v.toFixed(4) : v.toExponential(2);
}

// ---------------------------------------------------------------- widget

const FULL_TABLE_CELLS = 400; // up to 20 × 20: every value
const SUMMARY_ROWS = 200;
const TOP = 5;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

interface Loaded {
  weights: TracedTensor;
  data: TensorData;
  mask: TensorData | null;
  /** Names of the leading axes (batch, num_heads, ...). */
  leadingNames: string[];
}

export function createHeatmap(container: HTMLElement, fetchTensor: FetchTensor): Heatmap {
  const doc = container.ownerDocument;
  ensureAxisStyles(doc);
  const root = el(doc, 'div', { class: 'ap-heatmap' });
  const toolbar = el(doc, 'div', { class: 'ap-heatmap-toolbar', role: 'toolbar', 'aria-label': 'Heatmap controls' });
  const selectors = el(doc, 'span', { class: 'ap-heatmap-selectors' });
  const zoomIn = el(doc, 'button', { type: 'button', 'aria-label': 'Zoom in', 'data-action': 'zoom-in' }, '+');
  const zoomOut = el(doc, 'button', { type: 'button', 'aria-label': 'Zoom out', 'data-action': 'zoom-out' }, '−');
  const zoomReset = el(doc, 'button', { type: 'button', 'data-action': 'zoom-reset' }, 'Fit');
  const poolLabel = el(doc, 'label', {}, 'Pool ');
  const pool = el(doc, 'select', { 'aria-label': 'How cells that share a pixel are combined' });
  for (const mode of ['max', 'mean']) pool.append(el(doc, 'option', { value: mode }, mode));
  poolLabel.append(pool);
  const tableToggle = el(doc, 'button', { type: 'button', 'aria-expanded': 'false', 'data-action': 'table' }, 'Table');
  toolbar.append(selectors, zoomIn, zoomOut, zoomReset, poolLabel, tableToggle);

  const stage = el(doc, 'div', { class: 'ap-heatmap-stage' });
  const yLabel = el(doc, 'div', { class: 'ap-heatmap-ylabel' }, `${AXES.Tq.tag} Tq: query step ↓`);
  yLabel.style.color = `var(${AXES.Tq.cssVar})`;
  const canvas = el(doc, 'canvas', { tabindex: '0', role: 'img', class: 'ap-heatmap-canvas' });
  const xLabel = el(doc, 'div', { class: 'ap-heatmap-xlabel' }, `${AXES.Tv.tag} Tv: key step →`);
  xLabel.style.color = `var(${AXES.Tv.cssVar})`;
  stage.append(yLabel, canvas, el(doc, 'span'), xLabel);
  const readout = el(doc, 'p', { class: 'ap-heatmap-readout', 'aria-live': 'polite' });
  const legend = el(doc, 'div', { class: 'ap-heatmap-legend' });
  const tableWrap = el(doc, 'div', { class: 'ap-heatmap-table-wrap' });
  tableWrap.hidden = true;
  const status = el(doc, 'p', { class: 'ap-heatmap-empty' });
  root.append(status, toolbar, stage, readout, legend, tableWrap);
  container.replaceChildren(root);

  let loaded: Loaded | null = null;
  let matrix: Matrix | null = null;
  let isKept: ((r: number, c: number) => boolean) | null = null;
  let leading: number[] = [];
  let view: View = { row0: 0, col0: 0, rows: 1, cols: 1 };
  let focus = { row: 0, col: 0, visible: false };
  let token = 0;
  let frame = 0;
  let maxValue = 0;
  const cache = new Map<number, Promise<TensorData>>();

  const fetchCached = (id: number): Promise<TensorData> => {
    let p = cache.get(id);
    if (!p) {
      p = fetchTensor(id);
      cache.set(id, p);
      p.catch(() => cache.delete(id));
    }
    return p;
  };

  function setVisible(on: boolean): void {
    toolbar.hidden = !on;
    stage.hidden = !on;
    legend.hidden = !on;
    readout.hidden = !on;
    if (!on) tableWrap.hidden = true;
  }
  setVisible(false);

  function fitView(): void {
    if (matrix) view = { row0: 0, col0: 0, rows: matrix.rows, cols: matrix.cols };
  }

  function clampView(): void {
    if (!matrix) return;
    view.rows = Math.min(Math.max(view.rows, Math.min(4, matrix.rows)), matrix.rows);
    view.cols = Math.min(Math.max(view.cols, Math.min(4, matrix.cols)), matrix.cols);
    view.row0 = Math.min(Math.max(view.row0, 0), matrix.rows - view.rows);
    view.col0 = Math.min(Math.max(view.col0, 0), matrix.cols - view.cols);
  }

  function zoom(factor: number, fx = 0.5, fy = 0.5): void {
    if (!matrix) return;
    const cx = view.col0 + fx * view.cols;
    const cy = view.row0 + fy * view.rows;
    view.cols /= factor;
    view.rows /= factor;
    view.col0 = cx - fx * view.cols;
    view.row0 = cy - fy * view.rows;
    clampView();
    schedule();
  }

  function canvasSize(): { w: number; h: number } {
    const dpr = Math.min(doc.defaultView?.devicePixelRatio ?? 1, 2);
    const cssW = Math.max(120, container.clientWidth - 28 || 600);
    const rows = matrix?.rows ?? 1;
    const cssH = Math.round(Math.min(480, Math.max(160, Math.min(rows * 6, cssW))));
    return { w: Math.min(2048, Math.round(cssW * dpr)), h: Math.min(2048, Math.round(cssH * dpr)) };
  }

  function draw(): void {
    frame = 0;
    if (!matrix) return;
    const ctx = canvas.getContext('2d');
    const { w, h } = canvasSize();
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    if (!ctx) return;
    const mode = pool.value === 'mean' ? 'mean' : 'max';
    const pooled = aggregate(matrix, view, w, h, mode);
    let masked: Uint8Array | undefined;
    if (isKept) {
      masked = new Uint8Array(w * h);
      const rowR = pixelRanges(view.row0, view.rows, h, matrix.rows);
      const colR = pixelRanges(view.col0, view.cols, w, matrix.cols);
      // A pixel is hatched when the cell at its centre range start is masked
      // (masks are runs of whole rows/columns, so one sample suffices).
      for (let py = 0; py < h; py++) {
        for (let px = 0; px < w; px++) masked[py * w + px] = isKept(rowR[2 * py]!, colR[2 * px]!) ? 0 : 1;
      }
    }
    const image = ctx.createImageData(w, h);
    paint(image, pooled, maxValue, masked);
    ctx.putImageData(image, 0, 0);
    if (focus.visible) {
      const x = ((focus.col - view.col0) / view.cols) * w;
      const y = ((focus.row - view.row0) / view.rows) * h;
      const cw = Math.max(w / view.cols, 3);
      const ch = Math.max(h / view.rows, 3);
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#ffffff';
      ctx.strokeRect(x - 1, y - 1, cw + 2, ch + 2);
      ctx.strokeStyle = '#000000';
      ctx.strokeRect(x - 3, y - 3, cw + 6, ch + 6);
    }
  }

  function schedule(): void {
    if (frame) return;
    const win = doc.defaultView;
    if (win?.requestAnimationFrame) frame = win.requestAnimationFrame(draw);
    else draw();
  }

  function cellAt(clientX: number, clientY: number): { row: number; col: number } | null {
    if (!matrix) return null;
    const rect = canvas.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return null;
    const fx = (clientX - rect.left) / rect.width;
    const fy = (clientY - rect.top) / rect.height;
    if (fx < 0 || fx >= 1 || fy < 0 || fy >= 1) return null;
    return {
      row: Math.min(matrix.rows - 1, Math.floor(view.row0 + fy * view.rows)),
      col: Math.min(matrix.cols - 1, Math.floor(view.col0 + fx * view.cols)),
    };
  }

  function describeCell(row: number, col: number): string {
    if (!matrix) return '';
    const v = matrix.data[row * matrix.cols + col] ?? 0;
    const where = whereText();
    const head = where ? ` (${where})` : '';
    const m = isKept && !isKept(row, col) ? ', masked out' : '';
    return `query step ${row} (Tq), key step ${col} (Tv): weight ${formatWeight(v)}${m}${head}`;
  }

  /** "batch 1, num_heads 2": the leading axes that have a choice (size > 1). */
  function whereText(): string {
    if (!loaded) return '';
    const shape = loaded.data.shape;
    return loaded.leadingNames.flatMap((n, i) => ((shape[i] ?? 1) > 1 ? [`${n} ${leading[i] ?? 0}`] : [])).join(', ');
  }

  function read(row: number, col: number): void {
    readout.textContent = describeCell(row, col);
    readout.dataset['row'] = String(row);
    readout.dataset['col'] = String(col);
  }

  function ensureFocusVisible(): void {
    if (focus.row < view.row0) view.row0 = focus.row;
    if (focus.row >= view.row0 + view.rows) view.row0 = focus.row - view.rows + 1;
    if (focus.col < view.col0) view.col0 = focus.col;
    if (focus.col >= view.col0 + view.cols) view.col0 = focus.col - view.cols + 1;
    clampView();
  }

  // ---- interaction ----
  zoomIn.addEventListener('click', () => zoom(2));
  zoomOut.addEventListener('click', () => zoom(0.5));
  zoomReset.addEventListener('click', () => {
    fitView();
    schedule();
  });
  pool.addEventListener('change', schedule);

  canvas.addEventListener('wheel', (event) => {
    if (!matrix) return;
    event.preventDefault();
    const rect = canvas.getBoundingClientRect();
    const fx = rect.width ? (event.clientX - rect.left) / rect.width : 0.5;
    const fy = rect.height ? (event.clientY - rect.top) / rect.height : 0.5;
    zoom(Math.exp(-event.deltaY * 0.002), fx, fy);
  }, { passive: false });

  const pointers = new Map<number, { x: number; y: number }>();
  let pinchDistance = 0;
  canvas.addEventListener('pointerdown', (event) => {
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    canvas.setPointerCapture?.(event.pointerId);
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
      pinchDistance = Math.hypot(a.x - b.x, a.y - b.y);
    }
  });
  canvas.addEventListener('pointermove', (event) => {
    const prev = pointers.get(event.pointerId);
    const rect = canvas.getBoundingClientRect();
    if (prev && matrix && rect.width > 0) {
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pointers.size === 2) {
        const [a, b] = [...pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
        const d = Math.hypot(a.x - b.x, a.y - b.y);
        if (pinchDistance > 0 && d > 0) {
          zoom(d / pinchDistance, ((a.x + b.x) / 2 - rect.left) / rect.width, ((a.y + b.y) / 2 - rect.top) / rect.height);
        }
        pinchDistance = d;
        return;
      }
      // drag = pan
      view.col0 -= ((event.clientX - prev.x) / rect.width) * view.cols;
      view.row0 -= ((event.clientY - prev.y) / rect.height) * view.rows;
      clampView();
      schedule();
    }
    const cell = cellAt(event.clientX, event.clientY);
    if (cell) read(cell.row, cell.col);
  });
  const release = (event: PointerEvent): void => {
    pointers.delete(event.pointerId);
    pinchDistance = 0;
  };
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);
  canvas.addEventListener('pointerleave', (event) => {
    if (!pointers.has(event.pointerId) && !focus.visible) readout.textContent = '';
  });

  canvas.addEventListener('focus', () => {
    if (!matrix) return;
    focus.visible = true;
    read(focus.row, focus.col);
    schedule();
  });
  canvas.addEventListener('blur', () => {
    focus.visible = false;
    schedule();
  });
  canvas.addEventListener('keydown', (event) => {
    if (!matrix) return;
    const page = event.shiftKey ? 10 : 1;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-page, 0], ArrowDown: [page, 0], ArrowLeft: [0, -page], ArrowRight: [0, page],
      PageUp: [-Math.max(1, Math.floor(view.rows)), 0], PageDown: [Math.max(1, Math.floor(view.rows)), 0],
      Home: [0, -matrix.cols], End: [0, matrix.cols],
    };
    const move = moves[event.key];
    if (move) {
      focus.row = Math.min(matrix.rows - 1, Math.max(0, focus.row + move[0]));
      focus.col = Math.min(matrix.cols - 1, Math.max(0, focus.col + move[1]));
    } else if (event.key === '+' || event.key === '=') zoom(2, (focus.col - view.col0) / view.cols, (focus.row - view.row0) / view.rows);
    else if (event.key === '-') zoom(0.5);
    else if (event.key === '0') fitView();
    else return;
    event.preventDefault();
    focus.visible = true;
    ensureFocusVisible();
    read(focus.row, focus.col);
    schedule();
  });

  tableToggle.addEventListener('click', () => {
    const open = tableWrap.hidden;
    tableWrap.hidden = !open;
    tableToggle.setAttribute('aria-expanded', String(open));
    tableToggle.setAttribute('aria-pressed', String(open));
    if (open) buildTable();
  });

  // ---- content ----
  function buildLegend(): void {
    legend.replaceChildren();
    const bar = el(doc, 'canvas', { width: '256', height: '1', 'aria-hidden': 'true' });
    const ctx = bar.getContext('2d');
    if (ctx) {
      const img = ctx.createImageData(256, 1);
      const ramp = new Float32Array(256).map((_, i) => i / 255);
      paint(img, ramp, 1);
      ctx.putImageData(img, 0, 0);
    }
    legend.append(el(doc, 'span', {}, '0'), bar, el(doc, 'span', {}, `${formatWeight(maxValue)} (max of this matrix; viridis)`));
    if (isKept) legend.append(el(doc, 'span', { class: 'ap-heatmap-mask-swatch', 'aria-hidden': 'true' }), el(doc, 'span', {}, 'hatched: masked out'));
  }

  function buildTable(): void {
    tableWrap.replaceChildren();
    if (!matrix) return;
    const table = el(doc, 'table');
    const full = matrix.rows * matrix.cols <= FULL_TABLE_CELLS;
    const caption = full
      ? `Attention weights, one row per query step, one column per key step${isKept ? ' (* = masked out)' : ''}.`
      : `Top ${TOP} weights of each query step (of ${matrix.cols} key steps)${matrix.rows > SUMMARY_ROWS ? `; first ${SUMMARY_ROWS} of ${matrix.rows} query steps` : ''}.`;
    table.append(el(doc, 'caption', {}, caption));
    const head = el(doc, 'tr');
    head.append(el(doc, 'th', { scope: 'col' }, 'query step'));
    if (full) for (let c = 0; c < matrix.cols; c++) head.append(el(doc, 'th', { scope: 'col' }, `key ${c}`));
    else {
      head.append(el(doc, 'th', { scope: 'col' }, 'row sum'));
      for (let k = 1; k <= TOP; k++) head.append(el(doc, 'th', { scope: 'col' }, `#${k} key: weight`));
    }
    const thead = el(doc, 'thead');
    thead.append(head);
    const body = el(doc, 'tbody');
    const rows = full ? matrix.rows : Math.min(matrix.rows, SUMMARY_ROWS);
    for (let r = 0; r < rows; r++) {
      const tr = el(doc, 'tr');
      tr.append(el(doc, 'th', { scope: 'row' }, String(r)));
      const row = matrix.data.subarray(r * matrix.cols, (r + 1) * matrix.cols);
      if (full) {
        row.forEach((v, c) => tr.append(el(doc, 'td', {}, `${formatWeight(v)}${isKept && !isKept(r, c) ? '*' : ''}`)));
      } else {
        let sum = 0;
        for (const v of row) sum += v;
        tr.append(el(doc, 'td', {}, sum.toFixed(4)));
        for (const c of topK(row, TOP)) tr.append(el(doc, 'td', {}, `${c}: ${formatWeight(row[c]!)}`));
      }
      body.append(tr);
    }
    table.append(thead, body);
    tableWrap.append(table);
  }

  function buildSelectors(): void {
    selectors.replaceChildren();
    if (!loaded) return;
    const shape = loaded.data.shape;
    loaded.leadingNames.forEach((name, i) => {
      const size = shape[i] ?? 1;
      if (size <= 1) return;
      const label = el(doc, 'label', {}, `${name === 'num_heads' ? 'head' : name} `);
      const select = el(doc, 'select', { 'data-axis': name });
      for (let k = 0; k < size; k++) select.append(el(doc, 'option', { value: String(k) }, String(k)));
      select.value = String(leading[i] ?? 0);
      select.addEventListener('change', () => {
        leading[i] = Number(select.value);
        selectMatrix();
      });
      label.append(select);
      selectors.append(label);
    });
  }

  function selectMatrix(): void {
    if (!loaded) return;
    matrix = sliceMatrix(loaded.data.shape, loaded.data.values, leading);
    maxValue = 0;
    for (const v of matrix.data) if (v > maxValue) maxValue = v;
    isKept = loaded.mask ? maskLookup(loaded.mask.shape, loaded.mask.values, loaded.data.shape, leading) : null;
    focus.row = Math.min(focus.row, matrix.rows - 1);
    focus.col = Math.min(focus.col, matrix.cols - 1);
    const where = whereText();
    canvas.setAttribute('aria-label',
      `Attention weights heatmap, ${matrix.rows} query steps by ${matrix.cols} key steps${where ? ` (${where})` : ''}, largest weight ${formatWeight(maxValue)}. Arrow keys move between cells; the value is read below. Use the Table button for the numbers.`);
    buildLegend();
    if (!tableWrap.hidden) buildTable();
    schedule();
  }

  function clear(): void {
    token++;
    loaded = null;
    matrix = null;
    isKept = null;
    readout.textContent = '';
    status.textContent = '';
    tableWrap.replaceChildren();
    setVisible(false);
    const ctx = canvas.getContext('2d');
    ctx?.clearRect(0, 0, canvas.width, canvas.height);
  }

  async function load(weights: TracedTensor, mask: TracedTensor | null): Promise<void> {
    const mine = ++token;
    if (weights.id === undefined) {
      clear();
      // Plain text only: the reason comes from the engine's document.
      status.textContent = valuesNotKeptNote(weights) ?? `The values of ${weights.label} ${formatShape(weights.shape)} are not available.`;
      return;
    }
    status.textContent = `Loading ${weights.label} ${formatShape(weights.shape)}…`;
    try {
      const [data, maskData] = await Promise.all([
        fetchCached(weights.id),
        mask?.id !== undefined ? fetchCached(mask.id) : Promise.resolve(null),
      ]);
      if (mine !== token) return; // a newer show() or clear() won
      if (data.shape.length === 0 || data.values.length === 0) {
        status.textContent = `${weights.label} has no values to draw.`;
        setVisible(false);
        return;
      }
      const names = parseAxes(weights.axes);
      const leadingCount = Math.max(0, data.shape.length - 2);
      const leadingNames = Array.from({ length: leadingCount }, (_, i) => names[i] || `axis ${i}`);
      const same = loaded?.weights.id === weights.id;
      loaded = { weights, data, mask: maskData, leadingNames };
      if (!same) {
        leading = new Array<number>(leadingCount).fill(0);
        focus = { row: 0, col: 0, visible: false };
      }
      const maskNote = mask && maskData === null ? valuesNotKeptNote(mask) : null;
      status.textContent = maskNote ? `Masked entries not marked. ${maskNote}` : '';
      setVisible(true);
      buildSelectors();
      matrix = sliceMatrix(data.shape, data.values, leading);
      if (!same) fitView();
      selectMatrix();
    } catch (error) {
      if (mine !== token) return;
      status.textContent = `Could not load the weights: ${error instanceof Error ? error.message : String(error)}`;
      setVisible(false);
    }
  }

  const win = doc.defaultView;
  if (win && 'ResizeObserver' in win) new win.ResizeObserver(() => schedule()).observe(container);

  return {
    show(weights, mask = null) {
      void load(weights, mask);
    },
    clear,
    toPngBlob: () => new Promise((resolve) => {
      if (!matrix) resolve(null);
      else canvas.toBlob((blob) => resolve(blob), 'image/png');
    }),
    async downloadPng(filename = 'attention-weights.png') {
      const blob = await new Promise<Blob | null>((resolve) => (matrix ? canvas.toBlob(resolve, 'image/png') : resolve(null)));
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      const a = el(doc, 'a', { href: url, download: filename });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    },
  };
}
