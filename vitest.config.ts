import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One real unbound DoH resolver for every test file (DESIGN §5 harness), stopped at the end.
    globalSetup: ['test/support/global-resolver.ts'],
    testTimeout: 20000,
    hookTimeout: 30000,
  },
});
