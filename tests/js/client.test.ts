// The worker client's protocol handling: request ids, timeout and cancellation
// (terminate + fresh worker). A fake Worker answers with the real engine.
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngineClient } from '../../web/core/client';
import type { Engine } from '../../web/core/engine';
import type { EngineDeferredModuleMessage, WorkerRequest, WorkerResponse } from '../../web/core/protocol';
import { EngineError } from '../../web/core/types';
import { loadTestEngine } from './engine-fixture';

let engine: Engine;
beforeAll(async () => {
  engine = await loadTestEngine();
});

class FakeWorker {
  static created: FakeWorker[] = [];
  onmessage: ((event: MessageEvent<WorkerResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  constructor(private readonly hang: (source: string) => boolean) {
    FakeWorker.created.push(this);
  }
  deferredModules: WebAssembly.Module[] = [];
  postMessage(request: WorkerRequest | EngineDeferredModuleMessage): void {
    if (request.type === 'engine-deferred-module') {
      this.deferredModules.push(request.module);
      return;
    }
    if (request.type === 'run' && this.hang(request.source)) return; // an endless run
    const response: WorkerResponse =
      request.type === 'run'
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

function client(timeoutMs = 1000, deferredEngineModule?: () => Promise<WebAssembly.Module>) {
  FakeWorker.created = [];
  return createEngineClient({
    timeoutMs,
    createWorker: () => new FakeWorker((source) => source.includes('HANG')) as unknown as Worker,
    deferredEngineModule,
  });
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('engine client', () => {
  // Concurrent requests are matched to their own answers by id.
  it('answers concurrent runs by request id', async () => {
    const c = client();
    const [a, b, version] = await Promise.all([
      c.runProgram('x = 1', { profile: 'keras3' }),
      c.runProgram('x = 1', { profile: 'tf_keras' }),
      c.engineVersion(),
    ]);
    expect(a.profile).toBe('keras3');
    expect(b.profile).toBe('tf_keras');
    expect(version).toBe(engine.engineVersion());
    expect(FakeWorker.created).toHaveLength(1);
  });

  // A run past the timeout rejects with kind 'timeout', kills the worker, and the next run gets a new one.
  it('times out, terminates the worker and recovers', async () => {
    const c = client(50);
    await expect(c.runProgram('HANG')).rejects.toMatchObject({ kind: 'timeout' });
    expect(FakeWorker.created[0]?.terminated).toBe(true);
    const result = await c.runProgram('x = 1');
    expect(typeof result.ok).toBe('boolean');
    expect(FakeWorker.created).toHaveLength(2);
  });

  // cancel() rejects the pending run with kind 'cancelled' and restarts the worker.
  it('cancels a pending run', async () => {
    const c = client();
    const pending = c.runProgram('HANG');
    c.cancel();
    await expect(pending).rejects.toBeInstanceOf(EngineError);
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
    expect(FakeWorker.created[0]?.terminated).toBe(true);
    await expect(c.runProgram('x = 1')).resolves.toHaveProperty('ok');
  });

  // The deferred part is compiled once, after the first verdict (not before:
  // it would compete with it), and every worker gets it, a restarted one too.
  it('hands the deferred engine part to each worker after the first verdict', async () => {
    const compiled = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    let compiles = 0;
    const c = client(50, async () => {
      compiles++;
      return compiled;
    });
    await c.engineVersion();
    await tick();
    expect(compiles).toBe(0);
    await c.runProgram('x = 1');
    await tick();
    expect(compiles).toBe(1);
    expect(FakeWorker.created[0]?.deferredModules).toEqual([compiled]);
    await expect(c.runProgram('HANG')).rejects.toMatchObject({ kind: 'timeout' });
    await c.runProgram('x = 2');
    await tick();
    expect(compiles).toBe(1);
    expect(FakeWorker.created).toHaveLength(2);
    expect(FakeWorker.created[1]?.deferredModules).toEqual([compiled]);
  });
});
