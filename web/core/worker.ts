// Web Worker entry: runs programs off the main thread so a long run never
// freezes the page (cancellation = the page terminates this worker).
import { isEngineCrash, loadEngineFrom, type DeferredPart, type EngineSession } from './engine';
import { deferredWasmUrl } from './engine-module';
import {
  MODULE_FROM_PAGE_WORKER,
  type EngineDeferredModuleMessage,
  type EngineModuleMessage,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol';

// Start-up timeline (read by tests/browser/startup-trace.mjs): User Timing
// marks cost nothing measurable and need no flag.
performance.mark('ap:worker-start');

// Typed view of the worker global without pulling the WebWorker lib into a
// program that also uses the DOM lib.
const scope = self as unknown as {
  name: string;
  onmessage: ((event: MessageEvent<WorkerRequest | EngineModuleMessage | EngineDeferredModuleMessage>) => void) | null;
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
};

// The engine loads as soon as the worker starts, not when the first request
// arrives: from the module the page compiled meanwhile (it fetched the .wasm
// while this worker started), or by fetching the .wasm here. A failure is
// reported to the requests (a failed load is forgotten and retried).
let receiveModule: (module: WebAssembly.Module | null) => void = () => undefined;
const pageModule: Promise<WebAssembly.Module | null> =
  scope.name === MODULE_FROM_PAGE_WORKER ? new Promise((resolve) => (receiveModule = resolve)) : Promise.resolve(null);
// The engine's deferred part (web/core/engine.ts): the page posts it after the
// first verdict. A run that needs it before then loads it here, synchronously
// (a worker may block on a request and compile a large module at once).
let deferredFromPage: WebAssembly.Module | null = null;
const deferredPart: DeferredPart = {
  loadSync() {
    performance.mark('ap:deferred-on-demand');
    if (deferredFromPage) return deferredFromPage;
    const request = new XMLHttpRequest();
    request.open('GET', deferredWasmUrl, false);
    request.responseType = 'arraybuffer';
    request.send();
    if (request.status !== 200) throw new Error(`HTTP ${request.status} for ${deferredWasmUrl}`);
    return new WebAssembly.Module(request.response as ArrayBuffer);
  },
};
const engineReady = () => pageModule.then((module) => loadEngineFrom(module, deferredPart));
engineReady().catch(() => undefined);

// Runs go through one session so the last run's tensors can be fetched by id.
let session: EngineSession | null = null;

scope.onmessage = (event) => {
  if (event.data.type === 'engine-module') {
    receiveModule(event.data.module);
    return;
  }
  if (event.data.type === 'engine-deferred-module') {
    const module = (deferredFromPage = event.data.module);
    // (a failure here is not fatal: a run that needs the part loads it itself)
    void engineReady()
      .then((engine) => engine.attachDeferred(module))
      .then(() => performance.mark('ap:deferred-attached'), () => undefined);
    return;
  }
  void handle(event.data).then((response) => {
    const transfer = response.type === 'tensor' && response.tensor ? [response.tensor.values.buffer] : [];
    scope.postMessage(response, transfer);
  });
};

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  try {
    const engine = await engineReady();
    if (performance.getEntriesByName('ap:engine-ready').length === 0) performance.mark('ap:engine-ready');
    switch (request.type) {
      case 'run':
        session ??= engine.createSession();
        performance.mark('ap:run-start');
        try {
          return { type: 'result', id: request.id, result: session.run(request.source, request.options) };
        } finally {
          performance.mark('ap:run-end');
        }
      case 'tensor':
        return { type: 'tensor', id: request.id, tensor: session?.tensor(request.tensorId) ?? null };
      case 'version':
        return { type: 'version', id: request.id, version: engine.engineVersion() };
      case 'debug-hang':
        for (;;) {
          // Busy until the page terminates this worker (its run time limit).
        }
      case 'debug-crash':
        engine.debugCrash(request.how);
        return { type: 'error', id: request.id, message: 'the engine did not crash' };
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isEngineCrash(error)) return { type: 'crash', id: request.id, message };
    return { type: 'error', id: request.id, message };
  }
}
