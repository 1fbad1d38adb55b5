// Messages between the page and web/core/worker.ts. Every request carries an
// id; the worker answers each with exactly one response of the same id.
import type { RunOptions, RunResult, TensorData } from './types';

export type WorkerRequest =
  | { type: 'run'; id: number; source: string; options: RunOptions }
  | { type: 'version'; id: number }
  /** The values of tensor `tensorId` of the worker's last run. */
  | { type: 'tensor'; id: number; tensorId: number }
  /** Test hook: make the engine trap (a real WASM `unreachable`) or abort,
   *  to exercise crash recovery. */
  | { type: 'debug-crash'; id: number; how: 'trap' | 'abort' }
  /** Test hook: keep the worker busy forever, as an endless run would. */
  | { type: 'debug-hang'; id: number };

export type WorkerResponse =
  | { type: 'result'; id: number; result: RunResult }
  | { type: 'version'; id: number; version: string }
  /** `tensor` is null when the last run has no such tensor (or there was no
   *  run since the worker started); its values' buffer is transferred. */
  | { type: 'tensor'; id: number; tensor: TensorData | null }
  /** The engine failed to load or answered with a malformed document. */
  | { type: 'error'; id: number; message: string }
  /** The engine trapped or aborted (e.g. out of memory): its state is no
   *  longer trustworthy, so the page must replace this worker. */
  | { type: 'crash'; id: number; message: string };

/** Not a request (no id, no response): the page compiled the engine's WASM
 *  itself (web/core/engine-module.ts) and hands the module over; null when it
 *  could not, and the worker then fetches the WASM itself. Only a worker
 *  started with the name MODULE_FROM_PAGE_WORKER waits for it. */
export interface EngineModuleMessage {
  type: 'engine-module';
  module: WebAssembly.Module | null;
}

/** The worker's name when the page will post an EngineModuleMessage. */
export const MODULE_FROM_PAGE_WORKER = 'attention-engine+module';

/** Not a request either: the page compiled the engine's deferred part (after
 *  the first verdict) and hands it over, so no later run has to load it.
 *  Sent to any worker, once per worker. */
export interface EngineDeferredModuleMessage {
  type: 'engine-deferred-module';
  module: WebAssembly.Module;
}
