// vitest: real Postgres and Redis (prepared once in test/rig/global-setup.ts), files run in parallel.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/rig/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    hookTimeout: 60_000,
    testTimeout: 30_000,
    // Each file creates its own database from the migrated template, so files can run side by side.
    fileParallelism: true,
    reporters: ['default'],
  },
})
