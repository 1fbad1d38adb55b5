import { defineConfig } from 'vitest/config';

// Node-side tests of the web core against the real generated .wasm.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/js/**/*.test.ts'],
    globalSetup: ['tests/js/global-setup.ts'],
    testTimeout: 20_000,
  },
});
