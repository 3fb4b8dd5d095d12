import { configDefaults, defineConfig } from 'vitest/config';

// `test:pg` exists to prove the suite on PostgreSQL: running it on PGlite by accident would prove nothing.
if (process.env.npm_lifecycle_event === 'test:pg' && !process.env.STAGEGATE_TEST_PG) {
  throw new Error('test:pg needs STAGEGATE_TEST_PG, an admin URL such as postgres://postgres@127.0.0.1:5432/postgres');
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Each integration file opens its own database; on PGlite the first one per process takes ~2 s.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // One process runs many files, so testing.ts's PGlite snapshot is made once, not once per file.
    isolate: false,
    // *.pg.integration.test.ts break real connections (PGlite has none): left out, not skipped, without STAGEGATE_TEST_PG.
    exclude: [...configDefaults.exclude, ...(process.env.STAGEGATE_TEST_PG ? [] : ['**/*.pg.integration.test.ts'])],
  },
});
