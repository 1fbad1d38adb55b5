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
  }
  /** Emscripten Module overrides accepted by the factory. */
  export interface EngineModuleOverrides {
    wasmBinary?: ArrayBuffer | Uint8Array;
    locateFile?: (path: string, prefix: string) => string;
    print?: (text: string) => void;
    printErr?: (text: string) => void;
  }
  const createAttentionEngine: (
    overrides?: EngineModuleOverrides,
  ) => Promise<AttentionEngineModule>;
  export default createAttentionEngine;
}
