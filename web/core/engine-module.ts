// The page's side of loading the engine early: fetch and compile the .wasm
// (streaming: compiled while it downloads, off the main thread) while the
// worker script is still starting; the client hands the module to the
// worker (web/core/client.ts, engineModule). Same URL as the worker's own
// fetch (Vite emits the file once). If this fails (say, a server sending the
// wrong MIME type), the worker fetches the .wasm itself, with the
// Emscripten loader's fallbacks and error reporting.
import deferredWasmUrl from '../generated/attention_engine.deferred.wasm?url';
import wasmUrl from '../generated/attention_engine.wasm?url';

/** Where the engine's deferred part is served (the worker's fallback). */
export { deferredWasmUrl };

export function compileEngineModule(): Promise<WebAssembly.Module> {
  return WebAssembly.compileStreaming(fetch(wasmUrl, { credentials: 'same-origin' }));
}

/** The engine's deferred part (scripts/split-engine.mjs), compiled on the
 *  page: the client asks for it after the first verdict. At low priority: it
 *  then shares the network with the rest of the page (the editor, fetched at
 *  the same time), which the user is waiting for. */
export function compileDeferredEngineModule(): Promise<WebAssembly.Module> {
  return WebAssembly.compileStreaming(fetch(deferredWasmUrl, { credentials: 'same-origin', priority: 'low' }));
}
