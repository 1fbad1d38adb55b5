// The page's side of the worker: a promise per request, a timeout per run,
// and cancellation by terminating the worker (WASM cannot be interrupted)
// and starting a fresh one for the next request.
import {
  MODULE_FROM_PAGE_WORKER,
  type EngineDeferredModuleMessage,
  type EngineModuleMessage,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol';
import { EngineError, type RunOptions, type RunResult, type TensorData } from './types';

export interface EngineClientOptions {
  /** A run that takes longer is cancelled and rejects with kind 'timeout'. */
  timeoutMs?: number;
  /** Injected in tests; defaults to the Vite-bundled module worker. */
  createWorker?: () => Worker;
  /** Compiles the engine's WASM on the page (called once, when the first
   *  worker starts): its fetch and compilation then overlap the worker's
   *  start, and a restarted worker gets the module at once. */
  engineModule?: () => Promise<WebAssembly.Module>;
  /** Compiles the engine's deferred part on the page (called once, after the
   *  first run's result, so it does not compete with the first verdict);
   *  every worker then gets it. Without it, a worker loads the part itself
   *  when a run first needs it. */
  deferredEngineModule?: () => Promise<WebAssembly.Module>;
}

export interface EngineClient {
  /** Starts the worker now (it begins loading the engine at once), so the
   *  first request does not wait for it. Requests start it anyway. */
  start(): void;
  runProgram(source: string, options?: RunOptions): Promise<RunResult>;
  engineVersion(): Promise<string>;
  /** Shape and values of tensor `id` (a TracedTensor's or Value's "id") of the
   *  last run. Rejects with kind 'protocol' when that run has no such tensor
   *  (e.g. the worker restarted after a cancel). */
  tensor(id: number): Promise<TensorData>;
  /** Test hook: makes the engine trap or abort; rejects with kind 'crash'
   *  after the worker has been replaced. */
  debugCrash(how: 'trap' | 'abort'): Promise<void>;
  /** Test hook: occupies the worker like an endless run; rejects with kind
   *  'timeout' after the run time limit, with the worker replaced. */
  debugHang(): Promise<void>;
  /** Rejects every pending request with kind 'cancelled' and restarts the worker. */
  cancel(): void;
  dispose(): void;
}

interface Pending {
  resolve: (response: WorkerResponse) => void;
  reject: (error: EngineError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

// (Vite needs each `new Worker(new URL(...), {...})` spelled out literally.)
const defaultCreateWorker = (moduleFromPage: boolean): Worker =>
  moduleFromPage
    ? new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: MODULE_FROM_PAGE_WORKER })
    : new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'attention-engine' });

export function createEngineClient(clientOptions: EngineClientOptions = {}): EngineClient {
  const timeoutMs = clientOptions.timeoutMs ?? 10_000;
  const { engineModule, deferredEngineModule } = clientOptions;
  const createWorker = clientOptions.createWorker ?? (() => defaultCreateWorker(engineModule !== undefined));
  /** The page's compiled module; null if it could not compile it. */
  let moduleOnPage: Promise<WebAssembly.Module | null> | null = null;
  /** The page's compiled deferred part, once asked for; null on failure. */
  let deferredOnPage: Promise<WebAssembly.Module | null> | null = null;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let worker: Worker | null = null;

  function rejectAll(error: EngineError): void {
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    pending.clear();
  }

  function restart(error: EngineError): void {
    worker?.terminate();
    worker = null;
    rejectAll(error);
  }

  // Hands the deferred part to `w` once compiled, unless `w` was replaced.
  function postDeferred(w: Worker): void {
    void deferredOnPage?.then((module) => {
      if (module && worker === w) w.postMessage({ type: 'engine-deferred-module', module } satisfies EngineDeferredModuleMessage);
    });
  }

  function startDeferred(): void {
    if (!deferredEngineModule || deferredOnPage) return;
    deferredOnPage = deferredEngineModule().catch(() => null);
    if (worker) postDeferred(worker);
  }

  function ensureWorker(): Worker {
    if (worker) return worker;
    if (engineModule) moduleOnPage ??= engineModule().catch(() => null);
    const w = createWorker();
    performance.mark('ap:worker-created');
    if (moduleOnPage) {
      // (to a worker terminated meanwhile this is a no-op)
      void moduleOnPage.then((module) => w.postMessage({ type: 'engine-module', module } satisfies EngineModuleMessage));
    }
    if (deferredOnPage) postDeferred(w);
    w.onmessage = (event: MessageEvent<WorkerResponse>) => {
      // After the first verdict: once this answer has been handled (and shown).
      if (event.data.type === 'result') setTimeout(startDeferred, 0);
      const p = pending.get(event.data.id);
      if (!p) return; // answer to a request that was already cancelled
      pending.delete(event.data.id);
      clearTimeout(p.timer);
      if (event.data.type === 'crash') {
        // Never reuse a module that trapped: replace the worker, fail this
        // request as a crash and everything queued behind it as cancelled.
        const crash = new EngineError(
          'crash',
          `the engine crashed (${event.data.message}); it was restarted and your code is unchanged`,
        );
        restart(new EngineError('cancelled', 'cancelled because the engine crashed'));
        p.reject(crash);
        return;
      }
      p.resolve(event.data);
    };
    w.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      restart(new EngineError('worker', `the engine worker failed: ${event.message || 'unknown error'}`));
    };
    worker = w;
    return w;
  }

  function request(make: (id: number) => WorkerRequest, withTimeout: boolean): Promise<WorkerResponse> {
    const id = nextId++;
    const w = ensureWorker();
    return new Promise<WorkerResponse>((resolve, reject) => {
      const timer = withTimeout
        ? setTimeout(() => {
            // The run may be in an endless loop: only a new worker stops it.
            pending.delete(id);
            reject(new EngineError('timeout', `the run took longer than ${timeoutMs} ms`));
            restart(new EngineError('cancelled', 'cancelled because another run timed out'));
          }, timeoutMs)
        : undefined;
      pending.set(id, { resolve, reject, timer });
      w.postMessage(make(id));
    }).then((response) => {
      if (response.type === 'error') throw new EngineError('load', response.message);
      return response;
    });
  }

  return {
    start: () => void ensureWorker(),
    async runProgram(source, options = {}) {
      const response = await request((id) => ({ type: 'run', id, source, options }), true);
      if (response.type !== 'result') throw new EngineError('protocol', `unexpected ${response.type} response`);
      return response.result;
    },
    async engineVersion() {
      const response = await request((id) => ({ type: 'version', id }), false);
      if (response.type !== 'version') throw new EngineError('protocol', `unexpected ${response.type} response`);
      return response.version;
    },
    async tensor(tensorId) {
      const response = await request((id) => ({ type: 'tensor', id, tensorId }), false);
      if (response.type !== 'tensor') throw new EngineError('protocol', `unexpected ${response.type} response`);
      if (!response.tensor) throw new EngineError('protocol', `the last run has no tensor with id ${tensorId}`);
      return response.tensor;
    },
    async debugHang() {
      await request((id) => ({ type: 'debug-hang', id }), true);
    },
    async debugCrash(how) {
      await request((id) => ({ type: 'debug-crash', id, how }), false);
    },
    cancel: () => restart(new EngineError('cancelled', 'the run was cancelled')),
    dispose: () => restart(new EngineError('cancelled', 'the engine client was disposed')),
  };
}
