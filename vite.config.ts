import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs: the built site works from any folder or static host.
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
