// Tensor values by id: the engine's Session (Embind class) keeps the last run's tensors, the
// worker answers typed 'tensor' requests from its session, and the client's
// tensor(id) resolves with {shape, values}. Real engine throughout; the
// worker module runs in this process behind an in-memory message channel.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineClient, type EngineClient } from '../../web/core/client';
import type { Engine, EngineSession } from '../../web/core/engine';
import type { WorkerRequest, WorkerResponse } from '../../web/core/protocol';
import { EngineError, type RunResult, type TracedTensor } from '../../web/core/types';
import { loadTestEngine } from './engine-fixture';

const article1 = readFileSync(new URL('../../web/scenarios/article-1.py', import.meta.url), 'utf8');

function traced(result: RunResult, label: string): TracedTensor {
  for (const step of result.steps) {
    for (const call of step.calls ?? []) {
      const t = call.intermediates?.find((i) => i.label === label);
      if (call.callee === 'Attention' && t) return t;
    }
  }
  throw new Error(`no ${label} in the run`);
}

function expectRowsSumToOne(shape: number[], values: Float32Array): void {
  const cols = shape[shape.length - 1]!;
  for (let r = 0; r < values.length / cols; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += values[r * cols + c]!;
    expect(sum).toBeCloseTo(1, 4);
  }
}

let engine: Engine;
let session: EngineSession;
beforeAll(async () => {
  engine = await loadTestEngine();
  session = engine.createSession();
});
afterAll(() => session?.dispose());

describe('Session binding', () => {
  // Article scenario 1: the weights (batch, Tq, Tv) = (1, 32, 1200), each query row a softmax.
  it('fetches the attention weights of article-1 by id', () => {
    const result = session.run(article1, { seed: 0 });
    expect(result.ok).toBe(true);
    const weights = traced(result, 'weights');
    expect(typeof weights.id).toBe('number');
    const tensor = session.tensor(weights.id!);
    expect(tensor?.shape).toEqual([1, 32, 1200]);
    expect(tensor?.values).toBeInstanceOf(Float32Array);
    expect(tensor?.values.length).toBe(32 * 1200);
    expectRowsSumToOne(tensor!.shape, tensor!.values);
    // The document's first values and extremes are the same numbers.
    expect(Array.from(tensor!.values.slice(0, 8))).toEqual((weights.values ?? []).map((v) => Math.fround(v)));
    expect(Math.max(...tensor!.values)).toBeCloseTo(weights.max ?? NaN, 6);
  });

  // The values are a copy owned by JS: a later run does not change them.
  it('returns a copy that survives the next run', () => {
    const first = session.run(article1, { seed: 0 });
    const values = session.tensor(traced(first, 'weights').id!)!.values;
    const before = values[0];
    session.run(article1.replace('(1, 32, 2)', '(1, 8, 2)'), { seed: 5 });
    expect(values[0]).toBe(before);
  });

  // Unknown, negative or non-integer ids give null (no exception); options errors clear the session.
  it('answers null for ids the last run does not have', () => {
    session.run('x = 1', {});
    expect(session.tensor(123456)).toBeNull();
    expect(session.tensor(-1)).toBeNull();
    expect(session.tensor(Number.NaN)).toBeNull();
    const good = session.run(article1, { seed: 0 });
    const id = traced(good, 'weights').id!;
    expect(session.tensor(id)).not.toBeNull();
    const bad = session.run(article1, { seed: -1 });
    expect(bad.ok).toBe(false);
    expect(bad.error?.type).toBe('ValueError');
    expect(session.tensor(id)).toBeNull();
  });
});

describe('worker + client tensor(id)', () => {
  let client: EngineClient;
  beforeAll(async () => {
    // The worker module talks to `self`; give it an in-memory one.
    const toPage: ((response: WorkerResponse) => void)[] = [];
    const scope = {
      onmessage: null as ((event: MessageEvent<WorkerRequest>) => void) | null,
      postMessage(message: WorkerResponse, transfer?: Transferable[]) {
        expect(transfer ?? []).toHaveLength(message.type === 'tensor' && message.tensor ? 1 : 0);
        setTimeout(() => toPage.forEach((deliver) => deliver(message)), 0);
      },
    };
    (globalThis as { self?: unknown }).self = scope;
    await import('../../web/core/worker');
    client = createEngineClient({
      createWorker: () => {
        const worker = {
          onmessage: null as ((event: MessageEvent<WorkerResponse>) => void) | null,
          onerror: null,
          postMessage: (request: WorkerRequest) => scope.onmessage?.({ data: request } as MessageEvent<WorkerRequest>),
          terminate: () => undefined,
        };
        toPage.push((response) => worker.onmessage?.({ data: response } as MessageEvent<WorkerResponse>));
        return worker as unknown as Worker;
      },
    });
  });
  afterAll(() => {
    delete (globalThis as { self?: unknown }).self;
  });

  // The page's path: run in the worker, then fetch the weights by the id in the document.
  it('resolves with the shape and a Float32Array of the values', async () => {
    const result = await client.runProgram(article1, { seed: 0 });
    const tensor = await client.tensor(traced(result, 'weights').id!);
    expect(tensor.shape).toEqual([1, 32, 1200]);
    expect(tensor.values).toBeInstanceOf(Float32Array);
    expectRowsSumToOne(tensor.shape, tensor.values);
  });

  // An id the last run does not have rejects with an EngineError, not a hang.
  it('rejects for an unknown id', async () => {
    await client.runProgram('x = 1');
    await expect(client.tensor(999999)).rejects.toBeInstanceOf(EngineError);
  });
});
