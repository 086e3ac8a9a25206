import { defineConfig } from 'vitest/config';

// End-to-end and adapter tests against real services (Docker engine, Prometheus, HAProxy, nginx, ...).
// scripts/test.sh installs and starts them first; test/support/global-setup.ts refuses to run without them.
export default defineConfig({
  test: {
    include: ['**/*.itg.test.ts'],
    exclude: ['node_modules/**', '.tools/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One file at a time: the machine has two cores and the tests share one Docker engine.
    fileParallelism: false,
  },
});
