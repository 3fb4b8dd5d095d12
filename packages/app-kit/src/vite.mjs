// Plain JavaScript (types in vite.d.mts): Vite loads an app's config with Node, which cannot import TypeScript from a package.
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * An app's Vite and vitest config. `pnpm dev`: the API runs on :3000 (or STAGEGATE_API); the proxy
 * keeps the page same-origin for the session cookie and leaves the Host header alone, so the
 * server's Origin check still matches.
 * @param {import('./vite.d.mts').AppViteOptions} options
 */
export function appViteConfig({ port, base }) {
  const api = process.env.STAGEGATE_API ?? 'http://localhost:3000';
  return defineConfig({
    ...(base && { base }),
    plugins: [react(), tailwindcss()],
    server: {
      port,
      proxy: Object.fromEntries(['/trpc', '/auth', '/api', '/healthz'].map((path) => [path, { target: api }])),
    },
    build: { outDir: 'dist', assetsDir: 'assets' },
    test: {
      environment: 'jsdom',
      setupFiles: ['./vitest.setup.ts'],
      include: ['src/**/*.test.{ts,tsx}'],
    },
  });
}
