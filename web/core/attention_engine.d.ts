// Hand-written types of the module cpp/wasm/bindings.cc builds into
// web/generated/ (plain C exports, no Embind; Emscripten 3.1.6 has no
// --emit-tsd). Keep in step with bindings.cc. Pointers are byte offsets into
// the heap views; they are valid only until the next call that may allocate
// (the memory may grow and the views be replaced: always read them from the
// module after a call, never keep one).
declare module '*/generated/attention_engine.mjs' {
  export interface AttentionEngineModule {
    HEAPU8: Uint8Array;
    HEAPU32: Uint32Array;
    HEAPF32: Float32Array;
    HEAPF64: Float64Array;
    _ap_malloc(size: number): number;
    _ap_free(pointer: number): void;
    /**
     * Runs a program (in `session`, or one-off when it is 0). `present`: bit 1
     * profile, 2 seed, 4 maxSteps. Returns a malloc'd [uint32 length][UTF-8
     * JSON] block (0 only if out of memory) to free with _ap_free. Never throws
     * except for a trap/abort.
     */
    _ap_run(
      session: number,
      source: number,
      sourceLength: number,
      profile: number,
      profileLength: number,
      seed: number,
      maxSteps: number,
      present: number,
    ): number;
    _ap_session_new(): number;
    _ap_session_delete(session: number): void;
    /** [uint32 rank][uint32 count][rank x float64][count x float32], or 0. Free it. */
    _ap_session_tensor(session: number, id: number): number;
    /** A static NUL-terminated string. */
    _ap_engine_version(): number;
    /** A static [allocated, free, arena] float64 triple (mallinfo). */
    _ap_heap_stats(): number;
    /** Test hook: 0 executes a WASM `unreachable`, 1 calls abort(). */
    _ap_debug_crash(how: number): void;
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
