import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

// The engine version links are stamped with (web/share/engine-version.ts),
// read from the C++ source of truth so it is known before the WASM loads.
const apiHeader = readFileSync(new URL('./cpp/core/api.h', import.meta.url), 'utf8');
const engineVersion = /kEngineVersion\s*=\s*"([^"]+)"/.exec(apiHeader)?.[1];
if (!engineVersion) throw new Error('vite.config.ts: kEngineVersion not found in cpp/core/api.h');

export default defineConfig({
  // Relative asset URLs: the built site works from any folder or static host.
  // One page (index.html); ?embed=1 makes it the embed. public/embed.js (for
  // host pages) is copied to dist/embed.js, a stable path beside index.html.
  base: './',
  define: { __AP_ENGINE_VERSION__: JSON.stringify(engineVersion) },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, modulePreload: { polyfill: false } },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
