import { defineConfig } from 'vitest/config';

/**
 * The unit suite once; the integration and end-to-end suites against the local Slurm 22.05 cluster,
 * and the Slurm adapter's and the job actions' (monitor, submit, cancel, requeue, outage) against the
 * local Slurm 24.11 one too (scripts/local-slurm.sh, PTB_SLURM=24.11). Each test's name starts
 * with its project: `npm test -- --project slurm-24.11` runs one.
 */
const ON_BOTH = ['test/integration/**/*.test.ts', ...['monitor', 'submit', 'rerun', 'drills', 'cli'].map((f) => `test/e2e/${f}.test.ts`)];
const cluster = (version: string, include: string[]) => ({
  extends: true as const,
  test: { name: `slurm-${version}`, include, env: { PTB_TEST_SLURM: version } },
});

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    // Integration and end-to-end tests share the real clusters: files run one at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'] } },
      cluster('22.05', ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts']),
      cluster('24.11', ON_BOTH),
    ],
  },
});
