import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node and the built dist/ (no resolver, no root, no port 443), so
// `npm run test:unit` (build, then `vitest run --project unit`) works anywhere; `e2e` starts the real DoH
// resolver and the MTA-STS policy server once for the run (test/support/global-resolver.ts). `npm test` runs both.
export default defineConfig({
  test: {
    testTimeout: 20000,
    hookTimeout: 30000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/support/global-resolver.ts'] } },
    ],
  },
});
