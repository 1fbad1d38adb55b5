// The only module that loads the WASM engine. Lazily, once per JS realm
// (page, worker or Node test process); everything else goes through it.
import createAttentionEngine, {
  type AttentionEngineModule,
  type EngineModuleOverrides,
} from '../generated/attention_engine.mjs';
import { EngineError, type RunOptions, type RunResult, type TensorData } from './types';

export interface Engine {
  runProgram(source: string, options?: RunOptions): RunResult;
  engineVersion(): string;
  /** A run whose tensors stay available by id until the next run (ap::Session). */
  createSession(): EngineSession;
  /** Test hook: a real WASM trap (`unreachable`) or an abort(); throws. */
  debugCrash(how: 'trap' | 'abort'): void;
}

export interface EngineSession {
  /** Runs `source`, replacing the previous run's tensors. */
  run(source: string, options?: RunOptions): RunResult;
  /** Shape and values of tensor `id` of the last run; null if there is none. */
  tensor(id: number): TensorData | null;
  /** Frees the C++ session. */
  dispose(): void;
}

let enginePromise: Promise<Engine> | null = null;

/**
 * Loads (once) and returns the engine. `overrides` is honoured only on the
 * first call: Node tests pass `{ wasmBinary }` because the web build would
 * otherwise fetch() the .wasm by URL.
 */
export function loadEngine(overrides?: EngineModuleOverrides): Promise<Engine> {
  enginePromise ??= createAttentionEngine(overrides ?? {}).then(
    (module) => wrap(module),
    (cause: unknown) => {
      enginePromise = null; // allow a retry after a failed load
      throw new EngineError('load', `could not load the WASM engine: ${String(cause)}`);
    },
  );
  return enginePromise;
}

/**
 * Loads (once) the engine from a WebAssembly.Module compiled elsewhere (the
 * page compiles it while this worker starts: web/core/engine-module.ts), or
 * fetches the .wasm itself when `module` is null.
 */
export function loadEngineFrom(module: WebAssembly.Module | null): Promise<Engine> {
  if (!module || enginePromise) return loadEngine();
  let failed: (cause: unknown) => void = () => undefined;
  const instantiateFailed = new Promise<never>((_, reject) => (failed = reject));
  const loading = loadEngine({
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module), failed);
      return {};
    },
  });
  return Promise.race([loading, instantiateFailed.catch((cause: unknown) => {
    enginePromise = null; // allow a retry
    throw new EngineError('load', `could not instantiate the WASM engine: ${String(cause)}`);
  })]);
}

function wrap(module: AttentionEngineModule): Engine {
  return {
    runProgram(source, options = {}) {
      return parseResult(module.runProgram(source, options));
    },
    engineVersion: () => module.engineVersion(),
    debugCrash: (how) => module.debugCrash(how),
    createSession() {
      const session = new module.Session();
      return {
        run: (source, options = {}) => parseResult(session.run(source, options)),
        tensor(id) {
          const shape = session.tensorShape(id);
          const values = session.tensorValues(id);
          // A scalar has shape [] and one value; an unknown id has no values.
          if (values.length === 0 && shape.length === 0) return null;
          return { shape, values };
        },
        dispose: () => session.delete(),
      };
    },
  };
}

/**
 * True for a failure that leaves the module's memory in an unknown state: a
 * WASM trap (RuntimeError: unreachable, out of bounds, ...) or an Emscripten
 * abort ("Aborted(...)", e.g. out of memory). Such a module must not be
 * reused; the worker reports a crash and the page replaces the worker.
 */
export function isEngineCrash(error: unknown): boolean {
  if (error instanceof WebAssembly.RuntimeError) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /^Aborted\(/.test(message);
}

/** Parses and shape-checks the engine's JSON document. */
export function parseResult(json: string): RunResult {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    throw new EngineError('protocol', 'the engine returned malformed JSON');
  }
  if (
    typeof doc !== 'object' || doc === null ||
    typeof (doc as { ok?: unknown }).ok !== 'boolean'
  ) {
    throw new EngineError('protocol', 'the engine returned a document without "ok"');
  }
  return doc as RunResult;
}
