import { defineConfig } from 'vitest/config'

// One run covers every package. Database suites run each test file against
// both PGlite and real PostgreSQL (see packages/store/src/testing.ts).
export default defineConfig({
  test: {
    include: ['{packages,apps,templates}/*/{src,test}/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
})
