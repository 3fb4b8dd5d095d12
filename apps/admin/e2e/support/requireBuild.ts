// The server serves apps/admin/dist at /admin (STAGEGATE_ADMIN_DIST overrides it): without a build the specs would test nothing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function requireBuild(): void {
  const dist = process.env.STAGEGATE_ADMIN_DIST ?? fileURLToPath(new URL('../../dist', import.meta.url));
  if (!existsSync(`${dist}/index.html`)) throw new Error('Build the dashboard first: pnpm --filter @stagegate/admin build');
}
