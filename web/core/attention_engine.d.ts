// Hand-written types of the Embind module cpp/wasm/bindings.cc builds into
// web/generated/ (Emscripten 3.1.6 has no --emit-tsd). Keep in step with it.
declare module '*/generated/attention_engine.mjs' {
  export interface AttentionEngineModule {
    /** Returns the RunProgramToJson document as a JSON string; never throws. */
    runProgram(
      source: string,
      options: { profile?: string; seed?: number; maxSteps?: number },
    ): string;
    engineVersion(): string;
    /** Test hook: "trap" executes a WASM `unreachable`, "abort" calls abort(). */
    debugCrash(how: string): void;
    /** ap::Session: keeps the last run's tensors for tensorShape/tensorValues. */
    Session: new () => EngineSessionHandle;
  }
  /** An Embind object: call delete() when done (it owns C++ memory). */
  export interface EngineSessionHandle {
    run(source: string, options: { profile?: string; seed?: number; maxSteps?: number }): string;
    /** [] when the last run has no tensor with this id. */
    tensorShape(id: number): number[];
    /** A copy of the row-major values (bools as 0/1); empty when there is no such id. */
    tensorValues(id: number): Float32Array;
    clear(): void;
    delete(): void;
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
  }
  const createAttentionEngine: (
    overrides?: EngineModuleOverrides,
  ) => Promise<AttentionEngineModule>;
  export default createAttentionEngine;
}
