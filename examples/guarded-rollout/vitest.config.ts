import { defineConfig } from 'vitest/config';

// The example runs as a child process (its own server and database); each run takes seconds.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
