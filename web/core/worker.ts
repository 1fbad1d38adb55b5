// Web Worker entry: runs programs off the main thread so a long run never
// freezes the page (cancellation = the page terminates this worker).
import { loadEngine } from './engine';
import type { WorkerRequest, WorkerResponse } from './protocol';

// Typed view of the worker global without pulling the WebWorker lib into a
// program that also uses the DOM lib.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse): void;
};

scope.onmessage = (event) => {
  void handle(event.data).then((response) => scope.postMessage(response));
};

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  try {
    const engine = await loadEngine();
    switch (request.type) {
      case 'run':
        return { type: 'result', id: request.id, result: engine.runProgram(request.source, request.options) };
      case 'version':
        return { type: 'version', id: request.id, version: engine.engineVersion() };
    }
  } catch (error) {
    return { type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) };
  }
}
