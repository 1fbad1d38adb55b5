// A WASM trap or abort in the engine is a crash: the worker reports it, the
// client replaces the worker (a trapped module is never reused), the request
// fails with kind 'crash' and the next run works on a fresh worker.
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngineClient } from '../../web/core/client';
import { isEngineCrash, type Engine } from '../../web/core/engine';
import type { WorkerRequest, WorkerResponse } from '../../web/core/protocol';
import { EngineError } from '../../web/core/types';
import { loadTestEngine } from './engine-fixture';

let engine: Engine;
beforeAll(async () => {
  engine = await loadTestEngine();
});

describe('engine crash classification', () => {
  // A real `unreachable` in the module surfaces as a WebAssembly.RuntimeError.
  it('classifies a real WASM trap as a crash', () => {
    let caught: unknown = null;
    try {
      engine.debugCrash('trap');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(isEngineCrash(caught)).toBe(true);
  });

  // Emscripten's abort() (e.g. out of memory) surfaces as "Aborted(...)".
  it('classifies an abort as a crash', () => {
    let caught: unknown = null;
    try {
      engine.debugCrash('abort');
    } catch (error) {
      caught = error;
    }
    expect(isEngineCrash(caught)).toBe(true);
  });

  // Ordinary failures (a malformed document, a load error) are not crashes.
  it('does not classify ordinary errors as crashes', () => {
    expect(isEngineCrash(new Error('could not load'))).toBe(false);
    expect(isEngineCrash(new EngineError('protocol', 'bad json'))).toBe(false);
  });
});

class CrashingWorker {
  static created: CrashingWorker[] = [];
  onmessage: ((event: MessageEvent<WorkerResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  constructor() {
    CrashingWorker.created.push(this);
  }
  postMessage(request: WorkerRequest): void {
    const response: WorkerResponse =
      request.type === 'debug-crash'
        ? { type: 'crash', id: request.id, message: 'RuntimeError: unreachable' }
        : request.type === 'run'
          ? { type: 'result', id: request.id, result: engine.runProgram(request.source, request.options) }
          : { type: 'version', id: request.id, version: engine.engineVersion() };
    setTimeout(() => {
      if (!this.terminated) this.onmessage?.({ data: response } as MessageEvent<WorkerResponse>);
    }, 0);
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('engine client after a crash', () => {
  // The crashed worker is terminated and the next run gets a new one.
  it('replaces the worker and keeps working', async () => {
    CrashingWorker.created = [];
    const client = createEngineClient({ createWorker: () => new CrashingWorker() as unknown as Worker });
    const crash = await client.debugCrash('trap').then(
      () => null,
      (error: unknown) => error,
    );
    expect(crash).toBeInstanceOf(EngineError);
    expect((crash as EngineError).kind).toBe('crash');
    expect((crash as EngineError).message).toMatch(/restarted and your code is unchanged/);
    expect(CrashingWorker.created[0]?.terminated).toBe(true);
    const result = await client.runProgram('import tensorflow as tf\nx = tf.ones((2, 3))\n');
    expect(result.ok).toBe(true);
    expect(CrashingWorker.created).toHaveLength(2);
  });
});
