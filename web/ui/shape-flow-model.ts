// The model of the shape-flow diagram of one attention-layer call: the
// inputs with the roles Keras gave them (flagged when a variable's name says
// otherwise), then Q·Kᵀ → scores → mask → softmax → ·V → output, every tensor
// with its named axes; on an error, the failing stage and the axis that does
// not match, with expected versus got. Built from the run document's
// structure alone (roles, stages, the error's shapes and axes): no DOM, and
// no reading of messages or notes. shape-flow-view.ts draws it.
import type { ArgumentLayout, CallInput, CallStage, RunCall, RunError, TensorLayout, TracedTensor } from '../core/types';
import { describeShape, formatShape, parseAxes } from './axes';

/** Layout columns: left, right, centre, whole width (the view gives them coordinates). */
export type Col = 'L' | 'R' | 'C' | 'W';

export type FlowKind = 'attention' | 'additive' | 'mha' | 'generic';
export type StageId =
  | 'project' | 'project_value' | 'scores' | 'mask' | 'softmax' | 'weighted' | 'query_mask' | 'output_projection' | 'call';

export interface FlowTensor {
  type: 'tensor';
  id: string;
  col: Col;
  /** Role or label: "query", "key", "scores", "output". */
  heading: string;
  source: string;
  argPath: string;
  axes: string;
  /** null: not computed (the call failed earlier) or not recorded. */
  shape: number[] | null;
  /** What the box says when it has no shape. */
  absent: 'not recorded' | 'not computed';
  /** The note saying the variable's name suggests another role. */
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
  /** Whether the call got this far (false after the failing stage). */
  reached: boolean;
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
  callee: string;
  /** The first line of the picture: "Attention · attention". */
  header: string;
  title: string;
  rows: FlowItem[][];
  edges: [string, string][];
  failure: FlowFailure | null;
  /** The failure, when no op box of the picture can show it (Keras rejected the call). */
  banner: string | null;
  /** The plain-words version of the picture (the SVG's <desc>). */
  description: string;
}

const ATTENTION_CALLEES = new Set(['Attention', 'AdditiveAttention', 'MultiHeadAttention']);

export function isAttentionCall(call: RunCall): boolean {
  return ATTENTION_CALLEES.has(call.callee);
}

// ---------------------------------------------------------------- rows

const QKV = new Set(['query', 'key', 'value']);

/** Inputs were not recorded (Keras rejected the call first); the rest was not computed. */
function absentText(id: string): FlowTensor['absent'] {
  return id.startsWith('in') || QKV.has(id) ? 'not recorded' : 'not computed';
}

/** The role note of an input whose name suggests another role, else null. */
function roleFlag(input: CallInput): string | null {
  if (!input.suggested_role) return null;
  return input.role_note || `named like a ${input.suggested_role}, used as the ${input.role}`;
}

function tensorFromInput(id: string, col: Col, input: CallInput, flagged = true): FlowTensor {
  const flag = flagged ? roleFlag(input) : null;
  return {
    type: 'tensor', id, col, heading: input.role, source: input.source, argPath: input.arg_path,
    axes: input.axes, shape: [...input.shape], absent: absentText(id),
    flag, nameSuggests: flag ? input.suggested_role ?? null : null, implied: null,
  };
}

function tensorFromTraced(id: string, col: Col, heading: string, t: TracedTensor | undefined, axes: string): FlowTensor {
  return {
    type: 'tensor', id, col, heading, source: '', argPath: '', axes: t?.axes || axes,
    shape: t ? [...t.shape] : null, absent: absentText(id),
    flag: null, nameSuggests: null, implied: null,
  };
}

function op(id: string, col: Col, label: string, detail: string): FlowOp {
  return { type: 'op', id, col, label, detail, reached: true };
}

function byRole(call: RunCall, role: string): CallInput | undefined {
  return call.inputs?.find((i) => i.role === role);
}
function traced(call: RunCall, label: string): TracedTensor | undefined {
  return call.intermediates?.find((t) => t.label === label) ?? call.outputs?.find((t) => t.label === label);
}
function stage(call: RunCall, name: string): CallStage | undefined {
  return call.stages?.find((s) => s.stage === name);
}

/** The query/key/value boxes; an absent key is the value (Keras' rule). */
function qkv(call: RunCall, mha: boolean): { query: FlowTensor; key: FlowTensor; value: FlowTensor } {
  const missing = (role: string): CallInput => ({ role, arg_path: '', source: '', axes: '', shape: [], dtype: '' });
  const qIn = byRole(call, 'query') ?? missing('query');
  const vIn = byRole(call, 'value') ?? missing('value');
  const kIn = byRole(call, 'key');
  const query = tensorFromInput('query', 'L', qIn);
  const value = tensorFromInput('value', 'R', vIn);
  const key = kIn ? tensorFromInput('key', 'R', kIn) : { ...tensorFromInput('key', 'R', vIn, false), heading: 'key' };
  if (!kIn) {
    key.implied = mha ? 'no key given: the value is also the key' : 'no key given: inputs[1] is also the key';
  }
  if (!byRole(call, 'query')) query.shape = null;
  if (!byRole(call, 'value')) { value.shape = null; key.shape = key.shape?.length ? key.shape : null; }
  return { query, key, value };
}

function buildAttention(call: RunCall, additive: boolean): Pick<ShapeFlowModel, 'rows' | 'edges'> {
  const { query, key, value } = qkv(call, false);
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
    rows.push([tensorFromInput('value_mask_in', 'R', vMask)]);
    edges.push(['value_mask_in', 'mask']);
  }
  // What the score mask combines (an older document without stages: a score
  // mask without a value mask can only be the causal one).
  const causal = stage(call, 'mask')?.sources.includes('causal') ?? (!!scoreMask && !vMask);
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
    rows.push([tensorFromInput('query_mask_in', 'R', qMask)]);
    rows.push([op('query_mask', 'C', 'apply the query mask', 'zeroes output rows where the query mask is False')]);
    edges.push(['weighted', 'query_mask'], ['query_mask_in', 'query_mask']);
    last = 'query_mask';
  }
  rows.push([tensorFromTraced('output', 'C', 'output', traced(call, 'output'), 'batch,Tq,dim')]);
  edges.push([last, 'output']);
  return { rows, edges };
}

function buildMha(call: RunCall): Pick<ShapeFlowModel, 'rows' | 'edges'> {
  const { query, key, value } = qkv(call, true);
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
    rows.push([tensorFromInput('attention_mask_in', 'R', mask)]);
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
  const rows: FlowItem[][] = [];
  const edges: [string, string][] = [];
  (call.inputs ?? []).forEach((input, i) => {
    rows.push([tensorFromInput(`in${i}`, 'C', input)]);
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

/** The picture's op for each stage the core records ("validate": Keras
 *  rejected the call before any op, which only the banner can show). */
const STAGE_OPS: Record<string, StageId> = {
  validate: 'call', projection: 'project', value_projection: 'project_value', scores: 'scores', mask: 'mask', softmax: 'softmax',
  output: 'weighted', query_mask: 'query_mask', output_projection: 'output_projection',
};

/** The stage the call failed in, from the call's recorded stages. */
function failedStage(call: RunCall): StageId {
  const failed = call.stages?.find((s) => s.status === 'failed');
  return (failed && STAGE_OPS[failed.stage]) || 'call';
}

function firstLine(text: string, max = 160): string {
  let line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  // Keras appends the received values (whole tensor reprs) after the rule.
  const received = line.indexOf(' Received: ');
  if (received > 0) line = line.slice(0, received);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function analyseFailure(call: RunCall, error: RunError | null, rows: FlowItem[][]): FlowFailure | null {
  if (!errorRelatesTo(call, error)) return null;
  const tensors = rows.flat().filter((i): i is FlowTensor => i.type === 'tensor');
  const candidates = CANDIDATE_ORDER.flatMap((id) => tensors.filter((t) => t.id === id));
  const opName = error?.op ?? '';
  const shapes = error?.shapes ?? [];
  const axes = error?.failing_axes ?? [];
  const matches = shapes.map((s) => matchOperand(s, candidates));
  const stage = error ? failedStage(call) : 'call';
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
    // Contractions (MatMul, Einsum) need equal sizes; elementwise ops also take 1.
    const rule = /MatMul|Einsum/i.test(opName) ? 'must be equal' : 'must be equal (or 1)';
    summary = `${opLabel}: ${a.who} ${a.axis} (${a.size}) and ${b.who} ${b.axis} (${b.size}) ${rule}: expected ${b.who} ${b.axis} = ${a.size}, got ${b.size}.`;
  } else if (error) {
    summary = `${error.type}${opName ? ` in ${opName}` : ''}: ${firstLine(error.kernel_message || error.plain_message || error.message)}`;
  } else {
    summary = `${call.callee} failed.`;
  }
  return { stage, op: opLabel, summary, expected, got, axis, marks };
}

// The order Keras runs them in (MultiHeadAttention projects the value before the scores).
const STAGE_ORDER: StageId[] = ['project', 'project_value', 'scores', 'mask', 'softmax', 'weighted', 'query_mask', 'output_projection'];

/** Marks the ops after the failing stage as not reached (every op, when
 *  Keras rejected the call before any of them). */
function markReached(rows: FlowItem[][], failure: FlowFailure | null, call: RunCall): void {
  const failIndex = failure ? STAGE_ORDER.indexOf(failure.stage) : -1;
  for (const item of rows.flat()) {
    if (item.type !== 'op') continue;
    item.reached = failIndex >= 0 && failure?.stage !== 'call'
      ? STAGE_ORDER.indexOf(item.id as StageId) <= failIndex
      : !(failure?.stage === 'call' && call.failed);
  }
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
  // The role notes are said with their boxes above.
  const roleNotes = new Set((call.inputs ?? []).flatMap((i) => (i.suggested_role && i.role_note ? [i.role_note] : [])));
  parts.push(...(call.notes ?? []).filter((n) => !roleNotes.has(n)));
  if (model.failure) parts.unshift(`FAILED at ${stageLabel(model, model.failure.stage)}. ${model.failure.summary}`);
  return parts.join(' ');
}

function stageLabel(model: Pick<ShapeFlowModel, 'rows'>, stage: StageId): string {
  const item = model.rows.flat().find((i) => i.type === 'op' && i.id === stage);
  return item && item.type === 'op' ? item.label : 'the call';
}

// ---------------------------------------------------------------- inputs Keras rejected

const KERAS_ROLES: Record<string, { inputs: string[]; mask: string[] }> = {
  Attention: { inputs: ['query', 'value', 'key'], mask: ['query_mask', 'value_mask'] },
  AdditiveAttention: { inputs: ['query', 'value', 'key'], mask: ['query_mask', 'value_mask'] },
};

function isTensorLayout(layout: ArgumentLayout | undefined): layout is TensorLayout {
  return !!layout && !Array.isArray(layout);
}

/** When Keras rejected the call before the core recorded its inputs (e.g. a
 *  mask list of the wrong length), their roles and shapes come from the
 *  tensors of the error's call arguments (`inputs` and `mask` lists). */
function withInputsFromKerasCall(call: RunCall, error: RunError | null): RunCall {
  const roles = KERAS_ROLES[call.callee];
  const args = error?.keras_call?.argument_tensors;
  if ((call.inputs?.length ?? 0) > 0 || !roles || !args || !errorRelatesTo(call, error)) return call;
  const inputs: CallInput[] = [];
  for (const [name, list] of [['inputs', roles.inputs], ['mask', roles.mask]] as const) {
    const items = args.find((arg) => arg.name === name)?.value;
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      const role = list[i];
      if (!isTensorLayout(item) || !role) return;
      const axes = name === 'mask' ? (i === 0 ? 'batch,Tq' : 'batch,Tv') : role === 'query' ? 'batch,Tq,dim' : 'batch,Tv,dim';
      inputs.push({ role, arg_path: `${name}[${i}]`, source: '', axes, shape: [...item.shape], dtype: item.dtype });
    });
  }
  return { ...call, inputs };
}

// ---------------------------------------------------------------- model

/** The model behind the SVG: rows of tensor boxes and ops, edges, failure. */
export function buildShapeFlow(rawCall: RunCall, error: RunError | null): ShapeFlowModel {
  const call = withInputsFromKerasCall(rawCall, error);
  const kind: FlowKind = call.callee === 'MultiHeadAttention' ? 'mha'
    : call.callee === 'AdditiveAttention' ? 'additive'
      : call.callee === 'Attention' ? 'attention' : 'generic';
  const { rows, edges } = kind === 'mha' ? buildMha(call)
    : kind === 'generic' ? buildGeneric(call) : buildAttention(call, kind === 'additive');
  const failure = analyseFailure(call, error, rows);
  markReached(rows, failure, call);
  const name = call.layer_name ? ` '${call.layer_name}'` : '';
  const title = `Shape flow of ${call.callee}${name}${failure ? ' (failed)' : ''}`;
  const header = `${call.callee}${call.layer_name ? ` · ${call.layer_name}` : ''}`;
  const failureShown = !!failure && rows.flat().some((i) => i.type === 'op' && i.id === failure.stage);
  const banner = failure && !failureShown ? failure.summary : null;
  const partial = { kind, callee: call.callee, header, title, rows, edges, failure, banner };
  return { ...partial, description: describe(partial, call) };
}
