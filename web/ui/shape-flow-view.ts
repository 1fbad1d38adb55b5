// The SVG view of the shape-flow model (shape-flow-model.ts): boxes for the
// tensors with their coloured, named axes, ops between them, edges, and the
// failure (the failing op, the mismatching axis, or a banner when Keras
// rejected the call). It draws the model as it is: no reading of the run
// document.
//
// Every string from the run document (variable names, notes, messages) is
// untrusted: it only ever reaches the DOM through textContent/attributes.
import './viz.css';
import type { RunCall, RunError } from '../core/types';
import { ensureAxisStyles, labelDims } from './axes';
import { buildShapeFlow, type Col, type FailureMark, type FlowFailure, type FlowOp, type FlowTensor, type ShapeFlowModel } from './shape-flow-model';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 360;
const PAD = 8;
const COL: Readonly<Record<Col, { x: number; w: number }>> = {
  L: { x: PAD, w: 168 }, R: { x: 184, w: 168 }, C: { x: 52, w: 256 }, W: { x: PAD, w: WIDTH - 2 * PAD },
};
const MONO_CHAR = 6.4; // px per char of the 10.5px monospace
const SANS_CHAR = 6.1; // average px per char of the 11px sans

// ---------------------------------------------------------------- SVG

let svgCounter = 0;

// The document being drawn into (the container's: tests use a DOM library's
// window, the page its own). Set for the duration of one synchronous render.
let doc: Document;

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const node = doc.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function clip(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, Math.max(1, maxChars - 1))}…` : text;
}

/** Greedy word wrap by an estimated character budget. */
export function wrapText(text: string, maxChars: number, maxLines = 6): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= maxChars) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word.length > maxChars ? clip(word, maxChars) : word;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = clip(`${kept[maxLines - 1]!} …`, maxChars);
    return kept;
  }
  return lines;
}

interface Box { x: number; y: number; w: number; h: number }

function drawChips(g: SVGGElement, t: FlowTensor, x0: number, y0: number, width: number, marks: FailureMark[]): number {
  if (!t.shape) return y0;
  const dims = labelDims(t.axes, t.shape);
  let x = x0;
  let y = y0;
  const h = 18;
  const open = svgEl('text', { x, y: y + 13, class: 'apv-mono apv-muted' }, '(');
  g.append(open);
  x += MONO_CHAR + 1;
  dims.forEach((d, i) => {
    const mark = marks.find((m) => m.node === t.id && m.axisIndex === d.index);
    const label = `${d.axis ? `${d.axis}=` : ''}${d.size}${mark ? ' ✕' : ''}`;
    const w = 14 + label.length * MONO_CHAR + 6;
    if (x + w > x0 + width && x > x0 + MONO_CHAR + 2) {
      x = x0 + MONO_CHAR + 1;
      y += h + 3;
    }
    const chip = svgEl('g', { class: 'apv-chip', 'data-axis': d.axis, 'data-index': d.index, 'data-size': d.size });
    if (mark) chip.setAttribute('data-failing', 'true');
    const rect = svgEl('rect', { x, y, width: w, height: h, rx: 4 });
    rect.style.stroke = `var(${d.info.cssVar})`;
    if (d.info.dash) rect.setAttribute('stroke-dasharray', d.info.dash);
    const tag = svgEl('text', { x: x + 4, y: y + 12.5, class: 'apv-chip-tag' }, d.info.tag);
    tag.style.fill = mark ? 'var(--ap-viz-error)' : `var(${d.info.cssVar})`;
    const text = svgEl('text', { x: x + 14, y: y + 13, class: 'apv-mono' }, label);
    if (mark) text.setAttribute('class', 'apv-mono apv-error-text');
    const tip = svgEl('title', {}, `${d.info.description}${mark ? ' (does not match: see the failing op)' : ''}`);
    chip.append(tip, rect, tag, text);
    g.append(chip);
    x += w + 3;
    if (i === dims.length - 1) g.append(svgEl('text', { x, y: y + 13, class: 'apv-mono apv-muted' }, ')'));
  });
  if (dims.length === 0) g.append(svgEl('text', { x, y: y + 13, class: 'apv-mono apv-muted' }, ') scalar'));
  return y + h;
}

function drawTensor(t: FlowTensor, y: number, failure: FlowFailure | null): { g: SVGGElement; box: Box } {
  const { x, w } = COL[t.col];
  const g = svgEl('g', {
    class: 'apv-node', 'data-node': t.id, 'data-role': t.heading,
    'data-flagged': String(!!t.flag), 'data-computed': String(!!t.shape),
  });
  const inner = w - 16;
  const rect = svgEl('rect', { class: 'apv-box', x, y, width: w, height: 10, rx: 6 });
  g.append(rect);
  let cy = y + 16;
  const argChars = t.argPath ? Math.min(t.argPath.length, Math.floor(inner / 2 / MONO_CHAR)) : 0;
  g.append(svgEl('text', { x: x + 8, y: cy, class: 'apv-heading' }, clip(t.heading, Math.floor((inner - argChars * MONO_CHAR) / 7.2))));
  if (t.argPath) {
    g.append(svgEl('text', { x: x + w - 8, y: cy, 'text-anchor': 'end', class: 'apv-mono apv-muted', 'data-arg-path': '' }, clip(t.argPath, argChars)));
  }
  if (t.source) {
    cy += 14;
    const shown = clip(t.source, Math.floor(inner / MONO_CHAR));
    g.append(svgEl('text', { x: x + 8, y: cy, class: 'apv-mono apv-muted', 'data-source': '' }, shown));
    if (shown !== t.source) g.append(svgEl('title', {}, t.source)); // the full text on hover
  }
  if (t.implied) {
    for (const line of wrapText(t.implied, Math.floor(inner / SANS_CHAR), 2)) {
      cy += 13;
      g.append(svgEl('text', { x: x + 8, y: cy, class: 'apv-muted' }, line));
    }
  }
  if (t.flag) {
    const short = `⚑ named like a ${t.nameSuggests ?? '?'}, used as the ${t.heading}`;
    for (const line of wrapText(short, Math.floor(inner / SANS_CHAR), 3)) {
      cy += 13;
      g.append(svgEl('text', { x: x + 8, y: cy, class: 'apv-flag-text' }, line));
    }
    g.append(svgEl('title', {}, t.flag));
  }
  cy += 6;
  if (t.shape) {
    cy = drawChips(g, t, x + 8, cy, inner, failure?.marks ?? []) + 8;
  } else {
    cy += 12;
    g.append(svgEl('text', { x: x + 8, y: cy, class: 'apv-muted' }, t.absent));
    cy += 8;
  }
  if (failure?.marks.some((m) => m.node === t.id)) g.setAttribute('data-failed', 'true');
  rect.setAttribute('height', String(cy - y));
  return { g, box: { x, y, w, h: cy - y } };
}

function drawOp(o: FlowOp, y: number, failure: FlowFailure | null): { g: SVGGElement; box: Box } {
  const { x, w } = COL[o.col];
  const failed = failure?.stage === o.id;
  const g = svgEl('g', { class: 'apv-op', 'data-op': o.id, 'data-reached': String(o.reached) });
  if (failed) g.setAttribute('data-failed', 'true');
  const rect = svgEl('rect', { x, y, width: w, height: 10, rx: 12 });
  g.append(rect);
  const inner = w - 20;
  let cy = y + 15;
  const label = failed ? `✕ ${o.label} failed` : o.label;
  g.append(svgEl('text', { x: x + w / 2, y: cy, 'text-anchor': 'middle', class: failed ? 'apv-heading apv-error-text' : 'apv-heading' }, label));
  for (const line of wrapText(o.detail, Math.floor(inner / SANS_CHAR), 3)) {
    cy += 13;
    g.append(svgEl('text', { x: x + w / 2, y: cy, 'text-anchor': 'middle', class: 'apv-muted' }, line));
  }
  if (failed && failure) {
    for (const line of wrapText(failure.summary, Math.floor(inner / SANS_CHAR), 6)) {
      cy += 13;
      g.append(svgEl('text', { x: x + w / 2, y: cy, 'text-anchor': 'middle', class: 'apv-error-text' }, line));
    }
  }
  cy += 8;
  rect.setAttribute('height', String(cy - y));
  return { g, box: { x, y, w, h: cy - y } };
}

/**
 * Renders the shape flow of one layer call into `container` (replacing its
 * content). `error` is the run's error; it is drawn on this call only when
 * it relates to it (the call failed, or Keras names this layer).
 */
export function renderShapeFlow(container: HTMLElement, call: RunCall, error: RunError | null): void {
  renderShapeFlowModel(container, buildShapeFlow(call, error));
}

/** Draws a shape-flow model into `container` (replacing its content). */
export function renderShapeFlowModel(container: HTMLElement, model: ShapeFlowModel): void {
  doc = container.ownerDocument;
  ensureAxisStyles(doc);
  const uid = `apv-${++svgCounter}`;
  const svg = svgEl('svg', {
    role: 'img', 'aria-labelledby': `${uid}-title ${uid}-desc`, viewBox: `0 0 ${WIDTH} 100`,
    'data-callee': model.callee, 'data-failed': String(!!model.failure),
  });
  svg.append(svgEl('title', { id: `${uid}-title` }, model.title), svgEl('desc', { id: `${uid}-desc` }, model.description));
  const defs = svgEl('defs');
  const marker = svgEl('marker', { id: `${uid}-arrow`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svgEl('path', { d: 'M0,0 L10,5 L0,10 z', class: 'apv-arrow' }));
  defs.append(marker);
  svg.append(defs);
  const edgeLayer = svgEl('g', { class: 'apv-edges' });
  const nodeLayer = svgEl('g', { class: 'apv-nodes' });
  let y = PAD;

  // Header: which call, and (on a failure that no op box can show) the banner.
  const header = svgEl('text', { x: PAD, y: y + 12, class: 'apv-heading' }, clip(model.header, 52));
  nodeLayer.append(header);
  y += 22;
  if (model.banner !== null) {
    const banner = svgEl('g', { class: 'apv-banner', 'data-op': 'call', 'data-failed': 'true' });
    const lines = wrapText(`✕ ${model.banner}`, Math.floor((WIDTH - 2 * PAD - 16) / SANS_CHAR), 6);
    const h = 12 + lines.length * 14;
    banner.append(svgEl('rect', { x: PAD, y, width: WIDTH - 2 * PAD, height: h, rx: 6 }));
    lines.forEach((line, i) => banner.append(svgEl('text', { x: PAD + 8, y: y + 18 + i * 14, class: 'apv-error-text' }, line)));
    nodeLayer.append(banner);
    y += h + 10;
  }

  const boxes = new Map<string, Box>();
  for (const row of model.rows) {
    let rowH = 0;
    for (const item of row) {
      const drawn = item.type === 'tensor' ? drawTensor(item, y, model.failure) : drawOp(item, y, model.failure);
      nodeLayer.append(drawn.g);
      boxes.set(item.id, drawn.box);
      rowH = Math.max(rowH, drawn.box.h);
    }
    y += rowH + 18;
  }
  for (const [from, to] of model.edges) {
    const a = boxes.get(from);
    const b = boxes.get(to);
    if (!a || !b) continue;
    const x1 = a.x + a.w / 2;
    const y1 = a.y + a.h;
    const x2 = b.x + b.w / 2;
    const y2 = b.y - 2;
    const mid = (y1 + y2) / 2;
    edgeLayer.append(svgEl('path', {
      class: 'apv-edge', d: `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`,
      'marker-end': `url(#${uid}-arrow)`, 'data-edge': `${from}->${to}`,
    }));
  }
  svg.append(edgeLayer, nodeLayer);
  const height = Math.ceil(y - 18 + PAD);
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);

  const figure = doc.createElement('figure');
  figure.className = 'ap-shape-flow';
  figure.style.margin = '0';
  figure.append(svg);
  container.replaceChildren(figure);
}
