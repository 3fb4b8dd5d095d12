import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration files open a database (PGlite boots WASM, PostgreSQL creates one per file).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
