// Hand-written types of the module cpp/wasm/bindings.cc builds into
// web/generated/ with Embind (Emscripten 3.1.6 has no --emit-tsd). Keep in
// step with the EMSCRIPTEN_BINDINGS block there.
declare module '*/generated/attention_engine.mjs' {
  /** Run options as the binding reads them: absent fields keep the engine's
   *  defaults; a field of the wrong type or value gives a ValueError document. */
  export type BindingRunOptions = Record<string, unknown>;

  /** ap::Session: the last run's tensors stay available by id. An Embind
   *  object: call delete() to free it. */
  export interface BindingSession {
    /** Runs a program (UTF-8 bytes or a string) and returns the run document
     *  as JSON. Never throws except for a trap/abort. */
    run(source: string | Uint8Array, options: BindingRunOptions): string;
    /** Tensor `id` of the last run (values copied out of the heap), or null. */
    tensor(id: number): { shape: number[]; values: Float32Array } | null;
    delete(): void;
  }

  export interface AttentionEngineModule {
    /** A one-off run: as BindingSession.run, without keeping tensors. */
    runProgram(source: string | Uint8Array, options: BindingRunOptions): string;
    Session: new () => BindingSession;
    engineVersion(): string;
    /** The allocator's counts (mallinfo) and the WASM memory's size, in bytes. */
    heapStats(): { allocated: number; free: number; arena: number; memory: number };
    /** Test hook: "trap" executes a WASM `unreachable`, "abort" calls abort(). */
    debugCrash(how: 'trap' | 'abort'): void;
    /** The primary module's exports: what the deferred part imports. */
    asm: WebAssembly.Exports;
  }
  /** Emscripten Module overrides accepted by the factory. */
  export interface EngineModuleOverrides {
    wasmBinary?: ArrayBuffer | Uint8Array;
    locateFile?: (path: string, prefix: string) => string;
    print?: (text: string) => void;
    printErr?: (text: string) => void;
    /** Instantiates the module itself (e.g. from an already compiled
     *  WebAssembly.Module) and calls `receive`; returns {} (async). */
    instantiateWasm?: (
      imports: WebAssembly.Imports,
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) => object;
    /** Called (synchronously, inside a WASM call) the first time code of the
     *  deferred part runs (-sSPLIT_MODULE): must instantiate it with
     *  `imports`, which writes its functions into the primary's table. */
    loadSplitModule?: (file: string, imports: WebAssembly.Imports, property: string) => void;
  }
  const createAttentionEngine: (
    overrides?: EngineModuleOverrides,
  ) => Promise<AttentionEngineModule>;
  export default createAttentionEngine;
}
