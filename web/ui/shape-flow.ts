// The shape flow of one attention-layer call as an SVG: the inputs with the
// roles Keras gave them (flagged when a variable's name says otherwise), then
// Q·Kᵀ → scores → mask → softmax → ·V → output, every tensor with its named,
// coloured dimensions. On an error it marks the failing op and the axis that
// does not match, with expected versus got.
//
// Every string from the run document (variable names, notes, messages) is
// untrusted: it only ever reaches the DOM through textContent/attributes.
import './viz.css';
import type { CallInput, RunCall, RunError, TracedTensor } from '../core/types';
import { describeShape, ensureAxisStyles, formatShape, labelDims, parseAxes } from './axes';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 360;
const PAD = 8;
const COL = { L: { x: PAD, w: 168 }, R: { x: 184, w: 168 }, C: { x: 52, w: 256 }, W: { x: PAD, w: WIDTH - 2 * PAD } } as const;
type Col = keyof typeof COL;
const MONO_CHAR = 6.4; // px per char of the 10.5px monospace
const SANS_CHAR = 6.1; // average px per char of the 11px sans

// ---------------------------------------------------------------- model

export type FlowKind = 'attention' | 'additive' | 'mha' | 'generic';
export type StageId = 'project' | 'scores' | 'mask' | 'softmax' | 'weighted' | 'query_mask' | 'output_projection' | 'call';

export interface FlowTensor {
  type: 'tensor';
  id: string;
  col: Col;
  /** Role or label: "query", "key", "scores", "output". */
  heading: string;
  source: string;
  argPath: string;
  axes: string;
  /** null: not computed (the call failed earlier). */
  shape: number[] | null;
  /** A note saying the variable's name suggests another role. */
  flag: string | null;
  /** What the name suggests ("key"), when flagged. */
  nameSuggests: string | null;
  /** e.g. "no key given: the value is also the key". */
  implied: string | null;
}

export interface FlowOp {
  type: 'op';
  id: StageId | string;
  col: Col;
  label: string;
  detail: string;
}

export type FlowItem = FlowTensor | FlowOp;

export interface FailureMark {
  node: string;
  axisIndex: number;
  size: number;
}

export interface FlowFailure {
  stage: StageId;
  op: string;
  /** One sentence: what failed and why, expected versus got. */
  summary: string;
  expected: number | null;
  got: number | null;
  axis: string | null;
  marks: FailureMark[];
}

export interface ShapeFlowModel {
  kind: FlowKind;
  title: string;
  rows: FlowItem[][];
  edges: [string, string][];
  failure: FlowFailure | null;
  /** The plain-words version of the picture (the SVG's <desc>). */
  description: string;
}

const ATTENTION_CALLEES = new Set(['Attention', 'AdditiveAttention', 'MultiHeadAttention']);

export function isAttentionCall(call: RunCall): boolean {
  return ATTENTION_CALLEES.has(call.callee);
}

/** `source` is passed as arg_path, which Keras uses as the R (...), not as the S. */
const ROLE_NOTE = /^`([^`]*)` is passed as ([^,\s]+),? which Keras uses as the (\w+)\b.*\bnot as the (\w+)/;

interface RoleFlag {
  argPath: string;
  usedAs: string;
  suggests: string;
  note: string;
}

function roleFlags(call: RunCall): RoleFlag[] {
  const flags: RoleFlag[] = [];
  for (const note of call.notes ?? []) {
    const m = ROLE_NOTE.exec(note);
    if (m?.[2] && m[3] && m[4]) flags.push({ argPath: m[2], usedAs: m[3], suggests: m[4], note });
  }
  return flags;
}

function tensorFromInput(id: string, col: Col, input: CallInput, flags: RoleFlag[]): FlowTensor {
  const flag = flags.find((f) => f.argPath === input.arg_path) ?? null;
  return {
    type: 'tensor', id, col, heading: input.role, source: input.source, argPath: input.arg_path,
    axes: input.axes, shape: [...input.shape], flag: flag?.note ?? null, nameSuggests: flag?.suggests ?? null, implied: null,
  };
}

function tensorFromTraced(id: string, col: Col, heading: string, t: TracedTensor | undefined, axes: string): FlowTensor {
  return {
    type: 'tensor', id, col, heading, source: '', argPath: '', axes: t?.axes || axes,
    shape: t ? [...t.shape] : null, flag: null, nameSuggests: null, implied: null,
  };
}

function op(id: string, col: Col, label: string, detail: string): FlowOp {
  return { type: 'op', id, col, label, detail };
}

function byRole(call: RunCall, role: string): CallInput | undefined {
  return call.inputs?.find((i) => i.role === role);
}
function traced(call: RunCall, label: string): TracedTensor | undefined {
  return call.intermediates?.find((t) => t.label === label) ?? call.outputs?.find((t) => t.label === label);
}

/** The query/key/value boxes; an absent key is the value (Keras' rule). */
function qkv(call: RunCall, flags: RoleFlag[], mha: boolean): { query: FlowTensor; key: FlowTensor; value: FlowTensor } {
  const missing = (role: string): CallInput => ({ role, arg_path: '', source: '', axes: '', shape: [], dtype: '' });
  const qIn = byRole(call, 'query') ?? missing('query');
  const vIn = byRole(call, 'value') ?? missing('value');
  const kIn = byRole(call, 'key');
  const query = tensorFromInput('query', 'L', qIn, flags);
  const value = tensorFromInput('value', 'R', vIn, flags);
  const key = kIn ? tensorFromInput('key', 'R', kIn, flags) : { ...tensorFromInput('key', 'R', vIn, []), heading: 'key' };
  if (!kIn) {
    key.implied = mha ? 'no key given: the value is also the key' : 'no key given: inputs[1] is also the key';
  }
  if (!byRole(call, 'query')) query.shape = null;
  if (!byRole(call, 'value')) { value.shape = null; key.shape = key.shape?.length ? key.shape : null; }
  return { query, key, value };
}

function buildAttention(call: RunCall, additive: boolean): Pick<ShapeFlowModel, 'rows' | 'edges'> {
  const flags = roleFlags(call);
  const { query, key, value } = qkv(call, flags, false);
  const qMask = byRole(call, 'query_mask');
  const vMask = byRole(call, 'value_mask');
  const scoreMask = traced(call, 'score_mask');
  const rows: FlowItem[][] = [];
  const edges: [string, string][] = [];
  rows.push([query, key]);
  rows.push([op('scores', 'C', additive ? 'Σ tanh(Q + K) over dim' : 'Q·Kᵀ',
    additive ? 'add (batch,Tq,1,dim) + (batch,1,Tv,dim), tanh, sum over dim' : 'BatchMatMulV2: (batch,Tq,dim)·(batch,dim,Tv)')]);
  edges.push(['query', 'scores'], ['key', 'scores']);
  rows.push([tensorFromTraced('scores_t', 'C', 'scores', traced(call, 'scores'), 'batch,Tq,Tv')]);
  edges.push(['scores', 'scores_t']);
  if (vMask) {
    rows.push([tensorFromInput('value_mask_in', 'R', vMask, flags)]);
    edges.push(['value_mask_in', 'mask']);
  }
  const causal = (call.notes ?? []).some((n) => /causal/i.test(n)) || (!!scoreMask && !vMask);
  const maskDetail = scoreMask
    ? `score_mask ${formatShape(scoreMask.shape)}${vMask ? ' from the value mask' : ''}${causal ? (vMask ? ' and causal' : ' (causal)') : ''}: scores − 1e9 where False`
    : 'no value mask and not causal: every key step counts';
  rows.push([op('mask', 'C', scoreMask ? 'mask' : 'mask: none', maskDetail)]);
  edges.push(['scores_t', 'mask']);
  rows.push([op('softmax', 'C', 'softmax over Tv', 'each query row sums to 1')]);
  edges.push(['mask', 'softmax']);
  const weights = tensorFromTraced('weights', 'L', 'weights', traced(call, 'weights'), 'batch,Tq,Tv');
  rows.push([weights, value]);
  edges.push(['softmax', 'weights']);
  rows.push([op('weighted', 'C', 'weights·V', 'BatchMatMulV2: (batch,Tq,Tv)·(batch,Tv,dim)')]);
  edges.push(['weights', 'weighted'], ['value', 'weighted']);
  let last = 'weighted';
  if (qMask) {
    rows.push([tensorFromInput('query_mask_in', 'R', qMask, flags)]);
    rows.push([op('query_mask', 'C', 'apply the query mask', 'zeroes output rows where the query mask is False')]);
    edges.push(['weighted', 'query_mask'], ['query_mask_in', 'query_mask']);
    last = 'query_mask';
  }
  rows.push([tensorFromTraced('output', 'C', 'output', traced(call, 'output'), 'batch,Tq,dim')]);
  edges.push([last, 'output']);
  return { rows, edges };
}

function buildMha(call: RunCall): Pick<ShapeFlowModel, 'rows' | 'edges'> {
  const flags = roleFlags(call);
  const { query, key, value } = qkv(call, flags, true);
  const rows: FlowItem[][] = [];
  const edges: [string, string][] = [];
  const logits = traced(call, 'logits');
  const scores = call.intermediates?.find((t) => t.label === 'scores');
  const mask = byRole(call, 'attention_mask');
  const autoMask = traced(call, 'attention_mask');
  rows.push([query, key]);
  rows.push([op('project', 'C', 'project query and key', 'EinsumDense: dim → num_heads × key_dim')]);
  edges.push(['query', 'project'], ['key', 'project']);
  rows.push([
    tensorFromTraced('projected_query', 'L', 'projected query', traced(call, 'projected_query'), 'batch,Tq,num_heads,key_dim'),
    tensorFromTraced('projected_key', 'R', 'projected key', traced(call, 'projected_key'), 'batch,Tv,num_heads,key_dim'),
  ]);
  edges.push(['project', 'projected_query'], ['project', 'projected_key']);
  rows.push([op('scores', 'C', 'Q·Kᵀ / √key_dim', 'einsum per head: (batch,num_heads,Tq,Tv)')]);
  edges.push(['projected_query', 'scores'], ['projected_key', 'scores']);
  let prev = 'scores';
  if (logits || call.failed) {
    rows.push([tensorFromTraced('logits', 'C', 'logits', logits, 'batch,num_heads,Tq,Tv')]);
    edges.push([prev, 'logits']);
    prev = 'logits';
  }
  if (mask) {
    rows.push([tensorFromInput('attention_mask_in', 'R', mask, flags)]);
    edges.push(['attention_mask_in', 'mask']);
  }
  rows.push([op('mask', 'C', mask || autoMask ? 'mask' : 'mask: none',
    mask || autoMask ? `attention_mask ${formatShape((autoMask ?? mask)!.shape)}: masked logits get −1e9` : 'no attention mask: every key step counts')]);
  edges.push([prev, 'mask']);
  rows.push([op('softmax', 'C', 'softmax over Tv', 'per head; each query row sums to 1')]);
  edges.push(['mask', 'softmax']);
  rows.push([tensorFromTraced('weights', 'L', 'scores (weights)', scores, 'batch,num_heads,Tq,Tv'), value]);
  edges.push(['softmax', 'weights']);
  rows.push([op('project_value', 'R', 'project value', 'dim → num_heads × value_dim')]);
  edges.push(['value', 'project_value']);
  rows.push([tensorFromTraced('projected_value', 'R', 'projected value', traced(call, 'projected_value'), 'batch,Tv,num_heads,value_dim')]);
  edges.push(['project_value', 'projected_value']);
  rows.push([op('weighted', 'C', 'weights·V', 'einsum per head → (batch,Tq,num_heads,value_dim)')]);
  edges.push(['weights', 'weighted'], ['projected_value', 'weighted']);
  rows.push([op('output_projection', 'C', 'output projection', 'EinsumDense: num_heads × value_dim → dim')]);
  edges.push(['weighted', 'output_projection']);
  rows.push([tensorFromTraced('output', 'C', 'output', traced(call, 'output'), 'batch,Tq,dim')]);
  edges.push(['output_projection', 'output']);
  return { rows, edges };
}

function buildGeneric(call: RunCall): Pick<ShapeFlowModel, 'rows' | 'edges'> {
  const flags = roleFlags(call);
  const rows: FlowItem[][] = [];
  const edges: [string, string][] = [];
  (call.inputs ?? []).forEach((input, i) => {
    rows.push([tensorFromInput(`in${i}`, 'C', input, flags)]);
    edges.push([`in${i}`, 'call']);
  });
  rows.push([op('call', 'C', call.callee, call.layer_name ? `layer ${call.layer_name}` : 'op')]);
  (call.outputs ?? []).forEach((t, i) => {
    rows.push([tensorFromTraced(`out${i}`, 'C', t.label, t, t.axes)]);
    edges.push(['call', `out${i}`]);
  });
  return { rows, edges };
}

// ---------------------------------------------------------------- failure

/** Does `error` come from this call (or did the call fail)? */
export function errorRelatesTo(call: RunCall, error: RunError | null): boolean {
  if (call.failed) return true;
  const layer = error?.keras_call?.layer_name;
  return !!layer && layer === call.layer_name;
}

interface OperandMatch {
  node: FlowTensor;
  /** operand axis index → the node's axis index (-1: a broadcast dim the op added). */
  map: (axis: number) => number;
  transposed: boolean;
}

const eq = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Finds which traced tensor an op operand is: itself, its last two axes
 *  swapped (Kᵀ), or itself with one size-1 axis inserted (expand_dims). */
function matchOperand(shape: readonly number[], candidates: FlowTensor[]): OperandMatch | null {
  for (const node of candidates) {
    const s = node.shape;
    if (!s || s.length === 0) continue;
    if (eq(s, shape)) return { node, map: (a) => a, transposed: false };
    if (s.length >= 2 && shape.length === s.length) {
      const t = [...s];
      [t[t.length - 1], t[t.length - 2]] = [t[t.length - 2]!, t[t.length - 1]!];
      if (eq(t, shape)) {
        const n = s.length;
        return { node, map: (a) => (a === n - 1 ? n - 2 : a === n - 2 ? n - 1 : a), transposed: true };
      }
    }
    if (shape.length === s.length + 1) {
      for (let at = 0; at < shape.length; at++) {
        if (shape[at] !== 1) continue;
        if (eq([...shape.slice(0, at), ...shape.slice(at + 1)], s)) {
          return { node, map: (a) => (a === at ? -1 : a < at ? a : a - 1), transposed: false };
        }
      }
    }
  }
  return null;
}

// Tensor node ids (inputs keep their role; mask inputs get "_in" so the op of
// the same stage can use the stage id).
const CANDIDATE_ORDER = [
  'query', 'key', 'value', 'weights', 'query_mask_in', 'value_mask_in', 'attention_mask_in',
  'projected_query', 'projected_key', 'projected_value', 'logits', 'scores_t', 'output',
];
const MASK_NODES = new Set(['query_mask_in', 'value_mask_in', 'attention_mask_in']);

function stageOf(nodes: string[], op: string, kind: FlowKind): StageId {
  const has = (...ids: string[]): boolean => ids.some((id) => nodes.includes(id));
  if (has('query_mask_in')) return 'query_mask';
  if (has('value_mask_in', 'attention_mask_in', 'scores_t', 'logits')) return 'mask';
  if (has('weights', 'projected_value') || (kind !== 'mha' && has('value') && !has('query', 'key'))) return 'weighted';
  if (has('query', 'key', 'projected_query', 'projected_key')) return kind === 'mha' && has('query', 'key') ? 'project' : 'scores';
  if (/softmax/i.test(op)) return 'softmax';
  return 'call';
}

function firstLine(text: string, max = 160): string {
  let line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  // Keras appends the received values (whole tensor reprs) after the rule.
  const received = line.indexOf(' Received: ');
  if (received > 0) line = line.slice(0, received);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function analyseFailure(call: RunCall, error: RunError | null, rows: FlowItem[][], kind: FlowKind): FlowFailure | null {
  if (!errorRelatesTo(call, error)) return null;
  const tensors = rows.flat().filter((i): i is FlowTensor => i.type === 'tensor');
  const candidates = CANDIDATE_ORDER.flatMap((id) => tensors.filter((t) => t.id === id));
  const opName = error?.op ?? '';
  const shapes = error?.shapes ?? [];
  const axes = error?.failing_axes ?? [];
  const matches = shapes.map((s) => matchOperand(s, candidates));
  const stage = error
    ? stageOf(matches.flatMap((m) => (m ? [m.node.id] : [])), opName, kind)
    : 'call';
  const marks: FailureMark[] = [];
  interface Side { who: string; axis: string; size: number; mask: boolean }
  const sides: Side[] = [];
  shapes.forEach((shape, i) => {
    const a = axes[i];
    const m = matches[i];
    if (a === undefined || a < 0 || a >= shape.length) return;
    const size = shape[a]!;
    if (!m) {
      sides.push({ who: `In[${i}] ${formatShape(shape)}`, axis: `axis ${a}`, size, mask: false });
      return;
    }
    const nodeAxis = m.map(a);
    const axisName = nodeAxis >= 0 ? (parseAxes(m.node.axes)[nodeAxis] ?? `axis ${nodeAxis}`) : 'broadcast axis';
    if (nodeAxis >= 0) marks.push({ node: m.node.id, axisIndex: nodeAxis, size });
    sides.push({ who: m.node.heading + (m.transposed ? 'ᵀ' : ''), axis: axisName, size, mask: MASK_NODES.has(m.node.id) });
  });
  // "expected" is the side the data fixes (query, weights); "got" the other,
  // or the mask when a mask is involved.
  if (sides.length >= 2 && sides[0]!.mask && !sides[1]!.mask) sides.reverse();
  const opLabel = opName || (error ? 'Keras' : call.callee);
  let summary: string;
  let expected: number | null = null;
  let got: number | null = null;
  let axis: string | null = null;
  if (sides.length >= 2) {
    const [a, b] = sides as [Side, Side];
    expected = a.size;
    got = b.size;
    axis = b.axis;
    const rule = /MatMul|Einsum/i.test(opName) ? 'must be equal' : 'must be equal (or 1)';
    summary = `${opLabel}: ${a.who} ${a.axis} (${a.size}) and ${b.who} ${b.axis} (${b.size}) ${rule}: expected ${b.who} ${b.axis} = ${a.size}, got ${b.size}.`;
  } else if (error) {
    summary = `${error.type}${opName ? ` in ${opName}` : ''}: ${firstLine(error.kernel_message || error.plain_message || error.message)}`;
  } else {
    summary = `${call.callee} failed.`;
  }
  return { stage, op: opLabel, summary, expected, got, axis, marks };
}

// ---------------------------------------------------------------- description

function describeTensor(t: FlowTensor): string {
  const who = t.source ? ` ${t.source}${t.argPath ? ` (${t.argPath})` : ''}` : '';
  const shape = t.shape ? describeShape(t.axes, t.shape) : 'not computed';
  return `${t.heading}:${who}, ${shape}.${t.implied ? ` ${capital(t.implied)}.` : ''}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function describe(model: Omit<ShapeFlowModel, 'description'>, call: RunCall): string {
  const parts: string[] = [];
  for (const row of model.rows) {
    for (const item of row) {
      if (item.type === 'tensor') {
        parts.push(describeTensor(item));
        if (item.flag) parts.push(`FLAGGED: ${item.flag}`);
      } else {
        parts.push(`${item.label}: ${item.detail}.`);
      }
    }
  }
  const otherNotes = (call.notes ?? []).filter((n) => !ROLE_NOTE.test(n));
  parts.push(...otherNotes);
  if (model.failure) parts.unshift(`FAILED at ${stageLabel(model, model.failure.stage)}. ${model.failure.summary}`);
  return parts.join(' ');
}

function stageLabel(model: Pick<ShapeFlowModel, 'rows'>, stage: StageId): string {
  const item = model.rows.flat().find((i) => i.type === 'op' && i.id === stage);
  return item && item.type === 'op' ? item.label : 'the call';
}

const KERAS_ROLES: Record<string, { inputs: string[]; mask: string[] }> = {
  Attention: { inputs: ['query', 'value', 'key'], mask: ['query_mask', 'value_mask'] },
  AdditiveAttention: { inputs: ['query', 'value', 'key'], mask: ['query_mask', 'value_mask'] },
};

/** Shapes of a Keras "Arguments received" list: "['tf.Tensor(shape=(1, 2), dtype=float32)', 'None']". */
export function parseArgumentShapes(text: string): (number[] | null)[] {
  const items = text.match(/'[^']*'/g) ?? [];
  return items.map((item) => {
    const m = /shape=\(([\d,\s]*)\)/.exec(item);
    return m ? (m[1] ?? '').split(',').map((d) => d.trim()).filter(Boolean).map(Number) : null;
  });
}

/** When Keras rejected the call before the core recorded its inputs (e.g. a
 *  mask list of the wrong length), recover their roles and shapes from the
 *  error's "Arguments received by ..." list. */
function withInputsFromKerasCall(call: RunCall, error: RunError | null): RunCall {
  const roles = KERAS_ROLES[call.callee];
  const args = error?.keras_call?.arguments;
  if ((call.inputs?.length ?? 0) > 0 || !roles || !args || !errorRelatesTo(call, error)) return call;
  const inputs: CallInput[] = [];
  for (const [name, list] of [['inputs', roles.inputs], ['mask', roles.mask]] as const) {
    const text = args.find(([arg]) => arg === name)?.[1];
    if (typeof text !== 'string') continue;
    parseArgumentShapes(text).forEach((shape, i) => {
      const role = list[i];
      if (!shape || !role) return;
      const axes = name === 'mask' ? (i === 0 ? 'batch,Tq' : 'batch,Tv') : role === 'query' ? 'batch,Tq,dim' : 'batch,Tv,dim';
      inputs.push({ role, arg_path: `${name}[${i}]`, source: '', axes, shape, dtype: name === 'mask' ? 'bool' : 'float32' });
    });
  }
  return { ...call, inputs };
}

/** The model behind the SVG: rows of tensor boxes and ops, edges, failure. */
export function buildShapeFlow(rawCall: RunCall, error: RunError | null): ShapeFlowModel {
  const call = withInputsFromKerasCall(rawCall, error);
  const kind: FlowKind = call.callee === 'MultiHeadAttention' ? 'mha'
    : call.callee === 'AdditiveAttention' ? 'additive'
      : call.callee === 'Attention' ? 'attention' : 'generic';
  const { rows, edges } = kind === 'mha' ? buildMha(call)
    : kind === 'generic' ? buildGeneric(call) : buildAttention(call, kind === 'additive');
  const failure = analyseFailure(call, error, rows, kind);
  const name = call.layer_name ? ` '${call.layer_name}'` : '';
  const title = `Shape flow of ${call.callee}${name}${failure ? ' (failed)' : ''}`;
  const partial = { kind, title, rows, edges, failure };
  return { ...partial, description: describe(partial, call) };
}

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
    g.append(svgEl('text', { x: x + 8, y: cy, class: 'apv-muted' }, t.id.startsWith('in') || QKV.has(t.id) ? 'not recorded' : 'not computed'));
    cy += 8;
  }
  if (failure?.marks.some((m) => m.node === t.id)) g.setAttribute('data-failed', 'true');
  rect.setAttribute('height', String(cy - y));
  return { g, box: { x, y, w, h: cy - y } };
}

function drawOp(o: FlowOp, y: number, failure: FlowFailure | null, reached: boolean): { g: SVGGElement; box: Box } {
  const { x, w } = COL[o.col];
  const failed = failure?.stage === o.id;
  const g = svgEl('g', { class: 'apv-op', 'data-op': o.id, 'data-reached': String(reached) });
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

const QKV = new Set(['query', 'key', 'value']);

const STAGE_ORDER: StageId[] = ['project', 'scores', 'mask', 'softmax', 'weighted', 'query_mask', 'output_projection'];

/**
 * Renders the shape flow of one layer call into `container` (replacing its
 * content). `error` is the run's error; it is drawn on this call only when
 * it relates to it (the call failed, or Keras names this layer).
 */
export function renderShapeFlow(container: HTMLElement, call: RunCall, error: RunError | null): void {
  doc = container.ownerDocument;
  ensureAxisStyles(doc);
  const model = buildShapeFlow(call, error);
  const uid = `apv-${++svgCounter}`;
  const svg = svgEl('svg', {
    role: 'img', 'aria-labelledby': `${uid}-title ${uid}-desc`, viewBox: `0 0 ${WIDTH} 100`,
    'data-callee': call.callee, 'data-failed': String(!!model.failure),
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
  const header = svgEl('text', { x: PAD, y: y + 12, class: 'apv-heading' },
    clip(`${call.callee}${call.layer_name ? ` · ${call.layer_name}` : ''}`, 52));
  nodeLayer.append(header);
  y += 22;
  const failedStageShown = model.failure && model.rows.flat().some((i) => i.type === 'op' && i.id === model.failure?.stage);
  if (model.failure && !failedStageShown) {
    const banner = svgEl('g', { class: 'apv-banner', 'data-op': 'call', 'data-failed': 'true' });
    const lines = wrapText(`✕ ${model.failure.summary}`, Math.floor((WIDTH - 2 * PAD - 16) / SANS_CHAR), 6);
    const h = 12 + lines.length * 14;
    banner.append(svgEl('rect', { x: PAD, y, width: WIDTH - 2 * PAD, height: h, rx: 6 }));
    lines.forEach((line, i) => banner.append(svgEl('text', { x: PAD + 8, y: y + 18 + i * 14, class: 'apv-error-text' }, line)));
    nodeLayer.append(banner);
    y += h + 10;
  }

  const boxes = new Map<string, Box>();
  const failIndex = model.failure ? STAGE_ORDER.indexOf(model.failure.stage) : -1;
  for (const row of model.rows) {
    let rowH = 0;
    for (const item of row) {
      const reached = item.type === 'op' && failIndex >= 0 && model.failure?.stage !== 'call'
        ? STAGE_ORDER.indexOf(item.id as StageId) <= failIndex
        : !(model.failure?.stage === 'call' && call.failed);
      const drawn = item.type === 'tensor' ? drawTensor(item, y, model.failure) : drawOp(item, y, model.failure, reached);
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
