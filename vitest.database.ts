import { configDefaults, defineConfig } from 'vitest/config';

/** The vitest setup of every package whose tests open databases (api, server, cli). */
export default defineConfig({
  test: {
    // Integration files open a database (PGlite boots WASM, PostgreSQL creates one per file).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Vitest's default is one worker on a 2-core machine; files mostly wait on their own database.
    maxWorkers: 2,
    // Files share their worker's process, so PGlite's initdb (seconds of CPU) runs once per worker and
    // every other test database starts from its snapshot. Each file still opens a database of its own.
    isolate: false,
    // *.pg.integration.test.ts need a real PostgreSQL server (e.g. several API processes on one
    // database, which PGlite cannot be): left out, not skipped, unless STAGEGATE_TEST_PG is set.
    exclude: [...configDefaults.exclude, ...(process.env.STAGEGATE_TEST_PG ? [] : ['**/*.pg.integration.test.ts'])],
  },
});
