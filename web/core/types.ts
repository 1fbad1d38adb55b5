// The JSON document ap::RunProgramToJson returns, as the web side sees it.
// Source of truth: the comment above RunProgramToJson in cpp/core/api.h.
// Fields are optional where the placeholder or an older engine may omit them,
// and every object keeps an index signature so the interpreter can add fields
// without breaking the UI at compile time.

/** Which Keras the messages imitate (cpp/core/error.h `Profile`). */
export type Profile = 'keras3' | 'tf_keras';

export interface RunOptions {
  profile?: Profile;
  /** Seed for tf.random.* and weight initialisers; a non-negative integer. */
  seed?: number;
  /** Statements + calls executed per run before a LimitError. */
  maxSteps?: number;
}

/** An error the program raised (uncaught, or caught by `except`). */
export interface RunError {
  /** Python class: "InvalidArgumentError", "ValueError", "NotSupportedError", ... */
  type: string;
  /** str(e) exactly, ANSI bold included (Keras 3 wraps layer errors with it). */
  message: string;
  /** 1-based; 0 when the error has no source position. */
  line: number;
  column: number;
  plain_message?: string;
  kernel_message?: string;
  end_line?: number;
  end_column?: number;
  op?: string | null;
  op_name?: string;
  /** Which TF kernel message this is (ErrorKind in cpp/core/error.h without
   *  its "k", e.g. "MatMulSizeIncompatible"); null for Keras and Python texts. */
  kind?: string | null;
  shapes?: number[][];
  failing_axes?: number[];
  keras_call?: KerasCall | null;
  framework?: 'tensorflow' | 'keras' | 'python' | 'playground' | (string & {});
  note?: string;
  /** The program built this exception itself (`raise ValueError()`); its message may be empty. */
  raised_by_program?: boolean;
  [extra: string]: unknown;
}

/** The frame Keras puts around an error raised inside a layer's call(). */
export interface KerasCall {
  class_name: string;
  layer_name: string;
  /** Keras' "Arguments received" bullets: [name, formatted value]. */
  arguments: [string, string][];
  /** The same arguments' tensors, as structure (absent from older engines). */
  argument_tensors?: KerasCallArgument[];
  [extra: string]: unknown;
}

export interface KerasCallArgument {
  name: string;
  value: ArgumentLayout;
}

/** A tensor argument's shape and dtype; a list or tuple, element by element; null for anything else. */
export type ArgumentLayout = TensorLayout | ArgumentLayout[] | null;

export interface TensorLayout {
  shape: number[];
  dtype: string;
}

/** A tensor value (dimensions are named batch, Tq, Tv, dim, ... in the UI). */
export interface TensorValue {
  kind?: 'tensor';
  shape: number[];
  dtype: string;
  /** The first few flattened values, or null when not recorded. */
  values?: unknown;
  min?: number;
  max?: number;
  mean?: number;
  /** Absent when the values were not kept (see values_dropped). */
  id?: number;
  /** The trace released this tensor's values to free memory for the program;
   *  shape, dtype, first values and min/max/mean are still the true ones. */
  values_dropped?: boolean;
  values_dropped_reason?: string;
  [extra: string]: unknown;
}

/** Any other value: int/float/str/bool/none, list/tuple, shape, dtype, layer, object. */
export interface OtherValue {
  kind: string;
  value?: unknown;
  repr?: string;
  [extra: string]: unknown;
}

export type Value = TensorValue | OtherValue;
/** Kept for readability at call sites: a program variable's value. */
export type Variable = Value;

export interface TracedTensor {
  label: string;
  axes: string;
  shape: number[];
  dtype: string;
  /** Absent when the values were not kept (see values_dropped). */
  id?: number;
  /** The first few flattened values and summary numbers (fetch all by id). */
  values?: number[];
  min?: number;
  max?: number;
  mean?: number;
  /** As in TensorValue: the values were released, there is nothing to fetch. */
  values_dropped?: boolean;
  values_dropped_reason?: string;
  [extra: string]: unknown;
}

/** One input of a layer/op call, with the role Keras gave it. */
export interface CallInput {
  /** "query" | "value" | "key" | "query_mask" | "value_mask" | "attention_mask" | "inputs" | ... */
  role: string;
  /** Where it was passed: "inputs[1]", "mask[0]", "value". */
  arg_path: string;
  /** The program text that produced it (a variable name), or "". */
  source: string;
  axes: string;
  shape: number[];
  dtype: string;
  /** The role the source's name suggests ("key" for `key_tensor`), present only when it differs from `role`. */
  suggested_role?: string;
  /** The sentence of the call's notes that says so (with suggested_role). */
  role_note?: string;
  [extra: string]: unknown;
}

/** A stage of an attention layer's computation, in Keras' order. */
export type CallStageName =
  | 'validate' | 'projection' | 'value_projection' | 'scores' | 'mask' | 'softmax' | 'output' | 'query_mask' | 'output_projection';

export interface CallStage {
  stage: CallStageName | (string & {});
  /** failed: the call's error was raised in this stage ("validate": Keras rejected the call's arguments). */
  status: 'done' | 'failed' | 'not_reached' | 'skipped' | (string & {});
  /** The stage's result, when done (null otherwise, and for "validate"/"projection"). */
  shape: number[] | null;
  axes: string;
  /** The mask stage: what it combines ("value_mask", "causal", "attention_mask", ...). */
  sources: string[];
  [extra: string]: unknown;
}

export interface Call {
  kind: 'layer' | 'op' | (string & {});
  callee: string;
  layer_name?: string;
  failed: boolean;
  notes?: string[];
  inputs?: CallInput[];
  intermediates?: TracedTensor[];
  outputs?: TracedTensor[];
  /** Attention layers only. */
  stages?: CallStage[];
  [extra: string]: unknown;
}

/** A layer/op call event (steps[].calls[]); the name the UI modules use. */
export type RunCall = Call;

/** Values of one tensor of the last run, fetched by its id. */
export interface TensorData {
  shape: number[];
  values: Float32Array;
}

export interface Step {
  index: number;
  line: number;
  end_line?: number;
  bindings: { name: string; value: Value }[];
  calls?: Call[];
  stdout?: string;
  error: RunError | null;
  caught?: boolean;
  live?: { name: string; shape: number[]; dtype: string }[];
  [extra: string]: unknown;
}

export interface RunResult {
  /** The program ran to the end (errors it caught itself are allowed). */
  ok: boolean;
  profile: Profile | (string & {}) | null;
  /** The releases whose verdicts and texts the engine imitates (null with
   *  profile null: options the engine refused). */
  frameworks?: { tensorflow: string; keras: string; keras_package: 'keras' | 'tf-keras' | (string & {}) } | null;
  engine_version?: string;
  error: RunError | null;
  caught?: RunError[];
  variables: Record<string, Value>;
  stdout: string;
  steps: Step[];
  steps_truncated?: boolean;
  notes?: string[];
  [extra: string]: unknown;
}

export function isTensorValue(v: Value): v is TensorValue {
  return Array.isArray((v as Partial<TensorValue>).shape) && (v.kind === undefined || v.kind === 'tensor');
}

/** The plain-text note shown where a tensor's values would be fetched and
 *  drawn, when the engine released them under memory pressure; else null. */
export function valuesNotKeptNote(t: { values_dropped?: unknown; values_dropped_reason?: unknown }): string | null {
  if (t.values_dropped !== true) return null;
  const reason = typeof t.values_dropped_reason === 'string' && t.values_dropped_reason ? t.values_dropped_reason : 'the trace released this tensor to free memory for the program';
  return `Values not kept: ${reason}.`;
}
/** Alias of isTensorValue. */
export const isTensorVariable = isTensorValue;

/** Thrown by the facade only for infrastructure failures (the engine could
 *  not load, the worker died, the run timed out or was cancelled). A program
 *  that fails is a RunResult with ok=false, never an exception. */
export class EngineError extends Error {
  constructor(
    readonly kind: 'load' | 'protocol' | 'timeout' | 'cancelled' | 'worker' | 'crash',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** The start of the error text when the engine's deferred part could not be
 *  loaded for a run that needed it (web/core/engine.ts). */
export const DEFERRED_LOAD_FAILED = 'could not load the rest of the engine (attention_engine.deferred.wasm)';
