// Loads the real generated engine once per test file, the way Node can: the
// web build would fetch() the .wasm by URL, so hand it the bytes instead.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngine, type DeferredPart, type Engine } from '../../web/core/engine';

const wasmPath = fileURLToPath(new URL('../../web/generated/attention_engine.wasm', import.meta.url));
const deferredPath = fileURLToPath(new URL('../../web/generated/attention_engine.deferred.wasm', import.meta.url));

/** The deferred part from disk, as the worker gets it by URL. */
export const deferredFromDisk: DeferredPart = {
  loadSync: () => new WebAssembly.Module(readFileSync(deferredPath)),
};

export function loadTestEngine(): Promise<Engine> {
  return loadEngine({ wasmBinary: readFileSync(wasmPath), deferred: deferredFromDisk });
}

/** True while cpp/core/api.cc is still the placeholder (no interpreter). */
export function isPlaceholderEngine(engine: Engine): boolean {
  const probe = engine.runProgram('x = 1');
  return probe.error?.type === 'NotSupportedError' && /interpreter is not built/.test(probe.error.message);
}
