// vitest: three projects — unit (no services, the inner loop), integration (real Postgres and Redis, prepared in
// test/rig/global-setup.ts) and drills (fault drills); `npm test` runs all three, `npm run test:unit` only the first.
import { defineConfig } from 'vitest/config'

/** A test is a unit test when its name says so: it touches no Postgres, Redis, server or child process. */
const UNIT = 'test/**/*.unit.test.ts'
const DRILLS = 'test/drills/**/*.test.ts'

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    hookTimeout: 60_000,
    testTimeout: 30_000,
    // Each file creates its own database from the migrated template, so files can run side by side.
    fileParallelism: true,
    reporters: ['default'],
    projects: [
      // No globalSetup: `npm run test:unit` must run where Postgres and Redis are not.
      { extends: true, test: { name: 'unit', include: [UNIT] } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [UNIT, DRILLS], globalSetup: ['test/rig/global-setup.ts'] } },
      { extends: true, test: { name: 'drills', include: [DRILLS], globalSetup: ['test/rig/global-setup.ts'] } },
    ],
  },
})
