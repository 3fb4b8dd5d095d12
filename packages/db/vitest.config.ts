import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Each integration file opens its own database: PGlite starts in 1–2 s, then migrates.
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
