// The web core's public face: types, the worker-backed client, and a default
// shared client for callers that need just one.
import { createEngineClient, type EngineClient } from './client';
import type { RunOptions, RunResult, TensorData } from './types';

export * from './types';
export { createEngineClient, type EngineClient, type EngineClientOptions } from './client';

let defaultClient: EngineClient | null = null;

/** Runs a program in the shared engine worker. Resolves with the result
 *  document (ok=false for program errors); rejects only with EngineError. */
export function runProgram(source: string, options?: RunOptions): Promise<RunResult> {
  defaultClient ??= createEngineClient();
  return defaultClient.runProgram(source, options);
}

/** The values of tensor `id` of the shared worker's last run (transferred). */
export function fetchTensor(id: number): Promise<TensorData> {
  defaultClient ??= createEngineClient();
  return defaultClient.tensor(id);
}

/** Stops the shared worker's current run (it restarts on the next call). */
export function cancelRun(): void {
  defaultClient?.cancel();
}
