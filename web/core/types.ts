// The JSON document ap::RunProgramToJson returns (cpp/core/api.h), as the web
// side sees it. Fields the interpreter may add later stay loosely typed
// (index signatures) so a newer engine never breaks an older UI at compile time.

/** Which Keras the messages imitate (cpp/core/error.h `Profile`). */
export type Profile = 'keras3' | 'tf_keras';

export interface RunOptions {
  profile?: Profile;
  /** Seed for tf.random.* and weight initialisers; a non-negative integer. */
  seed?: number;
  /** Statements + calls executed per run before a LimitError. */
  maxSteps?: number;
}

/** An uncaught error: the Python class name, the rendered message, where. */
export interface RunError {
  /** Python class, e.g. "InvalidArgumentError", "ValueError", "NotSupportedError". */
  type: string;
  message: string;
  /** 1-based; 0 when the error has no source position. */
  line: number;
  column: number;
  [extra: string]: unknown;
}

/** A tensor bound to a program variable. Dimensions use the shared vocabulary
 *  (batch, Tq, Tv, dim, ...) only in the UI; here they are plain numbers. */
export interface TensorVariable {
  shape: number[];
  dtype: string;
  values?: unknown;
  [extra: string]: unknown;
}

/** A plain Python value bound to a program variable. */
export interface PythonVariable {
  python: unknown;
  [extra: string]: unknown;
}

export type Variable = TensorVariable | PythonVariable | Record<string, unknown>;

export interface RunResult {
  ok: boolean;
  profile: Profile | string | null;
  error: RunError | null;
  variables: Record<string, Variable>;
  stdout: string;
  steps: unknown;
  [extra: string]: unknown;
}

export function isTensorVariable(v: Variable): v is TensorVariable {
  return Array.isArray((v as Partial<TensorVariable>).shape);
}

/** Thrown by the facade only for infrastructure failures (the engine could
 *  not load, the worker died, the run timed out or was cancelled). A program
 *  that fails is a RunResult with ok=false, never an exception. */
export class EngineError extends Error {
  constructor(
    readonly kind: 'load' | 'protocol' | 'timeout' | 'cancelled' | 'worker',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
