import { defineConfig } from 'vitest/config';

// Unit tests: pure code and adapters that need nothing but this process. Seconds, not minutes.
export default defineConfig({
  test: {
    include: ['packages/**/*.test.ts', 'actions/**/*.test.ts', 'scripts/**/*.test.ts', 'test/harness/**/*.test.ts'],
    exclude: ['**/*.itg.test.ts', 'node_modules/**'],
  },
});
