// Messages between the page and web/core/worker.ts. Every request carries an
// id; the worker answers each with exactly one response of the same id.
import type { RunOptions, RunResult } from './types';

export type WorkerRequest =
  | { type: 'run'; id: number; source: string; options: RunOptions }
  | { type: 'version'; id: number };

export type WorkerResponse =
  | { type: 'result'; id: number; result: RunResult }
  | { type: 'version'; id: number; version: string }
  /** The engine failed to load or answered with a malformed document. */
  | { type: 'error'; id: number; message: string };
