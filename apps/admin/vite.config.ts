import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The server serves this build at /admin; `pnpm dev` runs Vite on :5174 and proxies the API (on :3000,
// or STAGEGATE_API) so the page stays same-origin for the session cookie.
const api = process.env.STAGEGATE_API ?? 'http://localhost:3000';

export default defineConfig({
  base: '/admin/',
  plugins: [react(), tailwindcss()],
  server: {
    port: 5174,
    proxy: Object.fromEntries(['/trpc', '/auth', '/api', '/healthz'].map((path) => [path, { target: api }])),
  },
  build: { outDir: 'dist', assetsDir: 'assets' },
  test: {
    environment: 'jsdom',
    setupFiles: ['./vitest.setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
