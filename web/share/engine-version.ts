// The engine version this build ships (cpp/core/api.h kEngineVersion), known
// without loading the WASM: vite.config.ts defines it at build time, so a link
// can be stamped and compared before the engine starts (embeds with ctl=1).
declare const __AP_ENGINE_VERSION__: string | undefined;

export const BUILD_ENGINE_VERSION: string = typeof __AP_ENGINE_VERSION__ === 'string' ? __AP_ENGINE_VERSION__ : 'dev';
