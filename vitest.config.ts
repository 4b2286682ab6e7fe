import { defineConfig } from 'vitest/config';

export default defineConfig({
  // React 17+ JSX for the console's component tests.
  esbuild: { jsx: 'automatic' },
  test: {
    include: [
      'server/**/*.test.ts',
      'shared/**/*.test.ts',
      'scripts/**/*.test.ts',
      'test/**/*.test.ts',
      'electron/**/*.test.ts',
      // Component tests declare `// @vitest-environment jsdom` themselves.
      'renderer/**/*.test.{ts,tsx}',
    ],
    globalSetup: ['test/support/global-setup.ts'],
    // Every database test starts PGlite (WASM initdb, ~3 s) and pg-boss; give hooks room for that.
    hookTimeout: 120_000,
    testTimeout: 60_000,
    pool: 'forks',
    // Two cores: more workers only make PGlite start-ups compete.
    maxWorkers: 2,
    // The JSON report lets .ci/run print one closing "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
  },
});
