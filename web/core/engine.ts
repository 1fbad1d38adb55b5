// The only module that loads the WASM engine. Lazily, once per JS realm
// (page, worker or Node test process); everything else goes through it.
import createAttentionEngine, {
  type AttentionEngineModule,
  type EngineModuleOverrides,
} from '../generated/attention_engine.mjs';
import { EngineError, type RunOptions, type RunResult } from './types';

export interface Engine {
  runProgram(source: string, options?: RunOptions): RunResult;
  engineVersion(): string;
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

function wrap(module: AttentionEngineModule): Engine {
  return {
    runProgram(source, options = {}) {
      return parseResult(module.runProgram(source, options));
    },
    engineVersion: () => module.engineVersion(),
  };
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
