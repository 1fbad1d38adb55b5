import { defineConfig } from 'vitest/config';

// Browser tests: Node drives headless Chromium against the built site (dist/).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/browser/**/*.test.ts'],
    fileParallelism: false, // one Chromium at a time on a 2-core machine
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One retry for a failed test: a real browser on a shared CI machine has
    // rare timing hiccups. Tests that needed it are named next to the CI
    // summary (scripts/report-retries.mjs), so a flaky test is not hidden.
    retry: 1,
  },
});
