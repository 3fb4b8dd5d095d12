import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration files open a database (PGlite boots WASM, PostgreSQL creates one per file).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // *.pg.integration.test.ts need a real PostgreSQL server (e.g. several API processes on one
    // database, which PGlite cannot be): left out, not skipped, unless STAGEGATE_TEST_PG is set.
    exclude: [...configDefaults.exclude, ...(process.env.STAGEGATE_TEST_PG ? [] : ['**/*.pg.integration.test.ts'])],
  },
});
