// CodeMirror extension: the shapes each line bound (a widget after the line),
// the failing line, and the walkthrough's current line. Fed by effects from
// the page; the texts come from steps.ts and only ever reach textContent.
import { RangeSetBuilder, StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { Decoration, EditorView, GutterMarker, WidgetType, gutter, type DecorationSet } from '@codemirror/view';
import type { LineAnnotation } from './steps';

export interface Marks {
  annotations: LineAnnotation[];
  /** The walkthrough's current statement (1-based lines), or null. */
  step: { line: number; endLine: number } | null;
}

export const setMarks = StateEffect.define<Marks>();

class ShapeNote extends WidgetType {
  constructor(readonly texts: readonly string[], readonly error: string | null) {
    super();
  }
  override eq(other: ShapeNote): boolean {
    return other.error === this.error && other.texts.join('\n') === this.texts.join('\n');
  }
  toDOM(): HTMLElement {
    const span = document.createElement('span');
    span.className = 'cm-shape-note';
    for (const text of this.texts) {
      const item = document.createElement('span');
      item.className = 'cm-shape-note-item';
      item.textContent = text;
      span.append(item);
    }
    if (this.error) {
      const item = document.createElement('span');
      item.className = 'cm-shape-note-error';
      item.textContent = `✖ ${this.error} raised here`;
      span.append(item);
    }
    return span;
  }
  override ignoreEvent(): boolean {
    return false;
  }
}

class StepMarker extends GutterMarker {
  override toDOM(): Node {
    const span = document.createElement('span');
    span.textContent = '▶';
    span.title = 'current step';
    return span;
  }
}
class ErrorMarker extends GutterMarker {
  override toDOM(): Node {
    const span = document.createElement('span');
    span.textContent = '✖';
    span.title = 'the error is raised here';
    return span;
  }
}
const stepMarker = new StepMarker();
const errorMarker = new ErrorMarker();

interface Built {
  decorations: DecorationSet;
  gutter: ReturnType<typeof buildGutter>;
}

function buildGutter(state: EditorState, marks: Marks): import('@codemirror/state').RangeSet<GutterMarker> {
  const builder = new RangeSetBuilder<GutterMarker>();
  const lines = state.doc.lines;
  const items: { line: number; marker: GutterMarker }[] = [];
  const errorLine = marks.annotations.find((a) => a.error)?.line ?? null;
  if (marks.step && marks.step.line <= lines) items.push({ line: marks.step.line, marker: stepMarker });
  if (errorLine !== null && errorLine <= lines && errorLine !== marks.step?.line) items.push({ line: errorLine, marker: errorMarker });
  items.sort((a, b) => a.line - b.line);
  for (const { line, marker } of items) {
    const pos = state.doc.line(line).from;
    builder.add(pos, pos, marker);
  }
  return builder.finish();
}

function build(state: EditorState, marks: Marks): Built {
  const lines = state.doc.lines;
  const ranges: { from: number; to: number; deco: Decoration }[] = [];
  for (const a of marks.annotations) {
    if (a.line < 1 || a.line > lines) continue;
    const line = state.doc.line(a.line);
    if (a.error) ranges.push({ from: line.from, to: line.from, deco: Decoration.line({ class: 'cm-error-line' }) });
    ranges.push({ from: line.to, to: line.to, deco: Decoration.widget({ widget: new ShapeNote(a.texts, a.error), side: 1 }) });
  }
  if (marks.step) {
    for (let n = marks.step.line; n <= Math.min(marks.step.endLine, lines); n++) {
      const line = state.doc.line(n);
      ranges.push({ from: line.from, to: line.from, deco: Decoration.line({ class: 'cm-step-line' }) });
    }
  }
  ranges.sort((a, b) => a.from - b.from || a.deco.startSide - b.deco.startSide);
  const builder = new RangeSetBuilder<Decoration>();
  for (const r of ranges) builder.add(r.from, r.to, r.deco);
  return { decorations: builder.finish(), gutter: buildGutter(state, marks) };
}

const marksField = StateField.define<Built>({
  create: (state) => build(state, { annotations: [], step: null }),
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setMarks)) return build(tr.state, effect.value);
    if (!tr.docChanged) return value;
    return { decorations: value.decorations.map(tr.changes), gutter: value.gutter.map(tr.changes) };
  },
  provide: (field) => EditorView.decorations.from(field, (v) => v.decorations),
});

export function annotationsExtension(): Extension {
  return [
    marksField,
    gutter({ class: 'cm-step-gutter', markers: (view) => view.state.field(marksField).gutter }),
  ];
}
