// Loads the real generated engine once per test file, the way Node can: the
// web build would fetch() the .wasm by URL, so hand it the bytes instead.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngine, type Engine } from '../../web/core/engine';

const wasmPath = fileURLToPath(new URL('../../web/generated/attention_engine.wasm', import.meta.url));

export function loadTestEngine(): Promise<Engine> {
  return loadEngine({ wasmBinary: readFileSync(wasmPath) });
}

/** True while cpp/core/api.cc is still the placeholder (no interpreter). */
export function isPlaceholderEngine(engine: Engine): boolean {
  const probe = engine.runProgram('x = 1');
  return probe.error?.type === 'NotSupportedError' && /interpreter is not built/.test(probe.error.message);
}
