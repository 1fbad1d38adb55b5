// Pure views of a run document for the walkthrough: which tensors are live at
// a step, and the short annotation shown beside each line. No DOM here
// (tests/js/ui-logic.test.ts).
import { isTensorValue, type Call, type RunResult, type Step, type TensorValue, type TracedTensor, type Value } from '../core/types';

export interface LiveTensor {
  name: string;
  shape: number[];
  dtype: string;
  /** Axis names when the engine traced them ("batch,Tq,dim"), else "". */
  axes: string;
  /** Line of the statement that bound it last. */
  line: number;
  /** Bound by the step being shown. */
  changed: boolean;
  value: TensorValue;
}

/** `(1, 32, 2)`; a scalar is `()`. Python's tuple repr for one axis: `(5,)`. */
export function formatShape(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

export function formatTensor(shape: readonly number[], dtype: string): string {
  return `${formatShape(shape)} ${dtype}`;
}

function isIdentifier(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text);
}

/** Axis names the engine traced, by tensor id and by source variable. */
function axesIndex(steps: readonly Step[]): { byId: Map<number, string>; bySource: Map<string, string> } {
  const byId = new Map<number, string>();
  const bySource = new Map<string, string>();
  for (const step of steps) {
    for (const call of step.calls ?? []) {
      for (const t of [...(call.outputs ?? []), ...(call.intermediates ?? [])]) {
        if (typeof t.id === 'number' && t.axes) byId.set(t.id, t.axes);
      }
      for (const input of call.inputs ?? []) {
        if (input.axes && isIdentifier(input.source)) bySource.set(input.source, input.axes);
      }
    }
  }
  return { byId, bySource };
}

/** Axes of the one traced output of `step`'s calls with this shape (a
 *  tuple unpacked from a layer call gets new ids), or "". */
function outputAxes(step: Step, shape: readonly number[]): string {
  const key = shape.join(',');
  const found = (step.calls ?? []).flatMap((c) => c.outputs ?? []).filter((t) => t.axes && t.shape.join(',') === key);
  const first = found[0];
  return first && found.every((t) => t.axes === first.axes) ? first.axes : '';
}

/** The tensors bound to names after step `index` (inclusive), in the order
 *  they were first bound. A name rebound to a non-tensor drops out. */
export function liveTensors(result: RunResult, index: number): LiveTensor[] {
  const live = new Map<string, LiveTensor>();
  const axes = axesIndex(result.steps);
  const last = Math.min(index, result.steps.length - 1);
  for (let i = 0; i <= last; i++) {
    const step = result.steps[i];
    if (!step) continue;
    for (const { name, value } of step.bindings) {
      if (!isTensorValue(value)) {
        live.delete(name);
        continue;
      }
      const traced = (typeof value.id === 'number' ? axes.byId.get(value.id) : undefined) ?? axes.bySource.get(name) ?? outputAxes(step, value.shape);
      const entry: LiveTensor = {
        name,
        shape: value.shape,
        dtype: value.dtype,
        axes: traced.split(',').length === value.shape.length ? traced : '',
        line: step.line,
        changed: i === last,
        value,
      };
      const previous = live.get(name);
      if (previous) Object.assign(previous, entry);
      else live.set(name, entry);
    }
  }
  return [...live.values()];
}

/** One short text for a bound value, or null for what is not worth showing
 *  beside the code (modules, functions). */
export function describeBinding(name: string, value: Value): string | null {
  if (isTensorValue(value)) return `${name}: ${formatTensor(value.shape, value.dtype)}`;
  const v = value as { kind: string; value?: unknown; repr?: string; class?: unknown };
  switch (v.kind) {
    case 'int':
    case 'float':
    case 'bool':
      return `${name} = ${String(v.value)}`;
    case 'none':
      return `${name} = None`;
    case 'str':
      return `${name} = ${JSON.stringify(String(v.value ?? '')).slice(0, 40)}`;
    case 'shape':
      return `${name}: TensorShape ${typeof v.repr === 'string' ? v.repr : ''}`.trim();
    case 'layer':
      return `${name}: ${typeof v.class === 'string' ? v.class : 'layer'}`;
    case 'list':
    case 'tuple': {
      const items = Array.isArray(v.value) ? (v.value as Value[]) : [];
      const parts = items.slice(0, 4).map((item) => (isTensorValue(item) ? formatShape(item.shape) : (item as { repr?: string }).repr ?? String((item as { value?: unknown }).value)));
      const [open, close] = v.kind === 'list' ? ['[', ']'] : ['(', ')'];
      return `${name}: ${v.kind} ${open}${parts.join(', ')}${items.length > 4 ? ', …' : ''}${close}`;
    }
    default:
      return null;
  }
}

export interface LineAnnotation {
  line: number;
  texts: string[];
  /** The uncaught error was raised on this line. */
  error: string | null;
}

/** Per source line: what the statements ending there bound (the last
 *  execution wins when a line runs more than once), and the failing line. */
export function lineAnnotations(result: RunResult): LineAnnotation[] {
  const byLine = new Map<number, Map<string, string>>();
  for (const step of result.steps) {
    const line = step.end_line && step.end_line >= step.line ? step.end_line : step.line;
    if (line <= 0) continue;
    for (const { name, value } of step.bindings) {
      const text = describeBinding(name, value);
      if (text === null) continue;
      let names = byLine.get(line);
      if (!names) byLine.set(line, (names = new Map()));
      names.set(name, text);
    }
  }
  const out = new Map<number, LineAnnotation>();
  for (const [line, names] of byLine) out.set(line, { line, texts: [...names.values()], error: null });
  const error = result.error;
  if (error && error.line > 0) {
    const entry = out.get(error.line) ?? { line: error.line, texts: [], error: null };
    entry.error = error.type;
    out.set(error.line, entry);
  }
  return [...out.values()].sort((a, b) => a.line - b.line);
}

/** The step index where the uncaught error was raised, or -1. */
export function failingStep(result: RunResult): number {
  for (let i = result.steps.length - 1; i >= 0; i--) if (result.steps[i]?.error && !result.steps[i]?.caught) return i;
  return -1;
}

const ATTENTION_LAYERS = /(^|\.)(Attention|AdditiveAttention|MultiHeadAttention|GroupedQueryAttention)$/;

/** Calls of an attention layer made by a step (what the shape-flow diagram draws). */
export function attentionCalls(step: Step | undefined): Call[] {
  return (step?.calls ?? []).filter((c) => c.kind === 'layer' && ATTENTION_LAYERS.test(c.callee));
}

/** Every attention-layer call of the run, with the step that made it. */
export function allAttentionCalls(result: RunResult): { step: Step; call: Call }[] {
  return result.steps.flatMap((step) => attentionCalls(step).map((call) => ({ step, call })));
}

/** The attention weights of the last attention-layer call of the run (what
 *  the heatmap draws) and the score mask applied to them, if any. */
export function attentionWeights(result: RunResult): { call: Call; line: number; weights: TracedTensor; mask: TracedTensor | null } | null {
  const calls = allAttentionCalls(result);
  for (let i = calls.length - 1; i >= 0; i--) {
    const entry = calls[i];
    if (!entry) continue;
    const { call, step } = entry;
    const inter = call.intermediates ?? [];
    const weights =
      (call.outputs ?? []).find((t) => t.label === 'attention_scores') ??
      inter.find((t) => t.label === 'weights') ??
      (/MultiHeadAttention$/.test(call.callee) ? inter.find((t) => t.label === 'scores') : undefined);
    // Released weights still count: the heatmap says why it cannot draw them
    // rather than silently showing an older call's.
    if (weights && (typeof weights.id === 'number' || weights.values_dropped === true)) {
      return { call, line: step.line, weights, mask: inter.find((t) => t.label === 'score_mask') ?? null };
    }
  }
  return null;
}
