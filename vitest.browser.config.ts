import { defineConfig } from 'vitest/config';

// Browser tests: Node drives headless Chromium against the built site (dist/).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/browser/**/*.test.ts'],
    fileParallelism: false, // one Chromium at a time on a 2-core machine
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
