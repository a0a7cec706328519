import { defineConfig } from 'vitest/config';

/**
 * One root config for every package: unit tests live beside the code
 * (`packages/<name>/src/**\/*.test.ts`), cross-package tests in `test/<area>/`.
 * Packages resolve to their `src/` through the `@chaintrail/source` export condition,
 * so no build step sits between an edit and a test.
 */
export default defineConfig({
  resolve: { conditions: ['@chaintrail/source'] },
  ssr: { resolve: { conditions: ['@chaintrail/source'], externalConditions: ['@chaintrail/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/src/**/*.test.tsx', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: more workers only thrash. Neo4j tests share one server, so files that use
    // it serialise through their own database-per-file isolation rather than through workers.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
