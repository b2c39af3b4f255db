import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{apps,packages}/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests start real processes and talk to a real database; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    setupFiles: ['packages/test-support/src/cleanup.ts'],
  },
})
