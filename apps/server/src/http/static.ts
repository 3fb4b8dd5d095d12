import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

/** Paths the API owns: never answered with the web app's page, so a wrong URL there stays a JSON 404. */
const API_PREFIXES = ['/trpc', '/api', '/auth', '/healthz', '/metrics'];

/** A built app: its env override, else apps/<app>/dist of the workspace this file lives in. */
function distDir(app: 'web' | 'admin', override: string | undefined): string | undefined {
  if (override) return override;
  // Walks up from here (src/http under tsx, dist/ when bundled) to the workspace root.
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return path.join(dir, 'apps', app, 'dist');
  }
  return undefined;
}

/** The built web app: STAGEGATE_WEB_DIST, else apps/web/dist. */
export const webDistDir = () => distDir('web', process.env.STAGEGATE_WEB_DIST);
/** The built operators' dashboard: STAGEGATE_ADMIN_DIST, else apps/admin/dist. */
export const adminDistDir = () => distDir('admin', process.env.STAGEGATE_ADMIN_DIST);

/** Whether each app is built, so the start banner names its URL only when it is there. */
export const webBuilt = () => existsSync(path.join(webDistDir() ?? '', 'index.html'));
export const adminBuilt = () => existsSync(path.join(adminDistDir() ?? '', 'index.html'));

/**
 * Serves the web app same-origin at `/`: hashed assets cached for a year, index.html never cached,
 * and a browser navigation to any other non-API path gets index.html (the app routes by path).
 * Without a build (the API's own tests, `pnpm dev` where Vite serves the page) it passes everything on.
 */
export function webApp(dir = webDistDir()): Router {
  const router = express.Router();
  const index = dir ? path.join(dir, 'index.html') : undefined;
  if (!dir || !index || !existsSync(index)) return router;
  router.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  router.use(express.static(dir, { index: false, maxAge: 0 }));
  router.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
    const api = API_PREFIXES.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`));
    // The root is the app whoever asks (curl too); elsewhere only a page load (Accept: text/html) gets
    // the app, and fetch() and curl keep getting the API's 404 for a wrong URL.
    if (api || (req.path !== '/' && !req.get('accept')?.includes('text/html'))) return next();
    res.set('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}

/**
 * The operators' dashboard, mounted at `/admin` before the web app: the same caching, and every
 * page load under /admin gets the dashboard's index.html (it routes by path below /admin).
 */
export function adminApp(dir = adminDistDir()): Router {
  return webApp(dir);
}
