// Starts the real server (tsx on apps/server's entry) on a fresh embedded PGlite folder and a free
// port, serving the built apps; the specs read its URL from STAGEGATE_E2E_URL.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const BUILDS = {
  web: { env: 'STAGEGATE_WEB_DIST', what: 'the web app' },
  admin: { env: 'STAGEGATE_ADMIN_DIST', what: 'the dashboard' },
} as const;

/** A Playwright globalSetup for specs that open `apps`: each must be built (else they would test nothing), then the server starts. */
export function serverGlobalSetup(apps: Array<keyof typeof BUILDS>): () => Promise<() => Promise<void>> {
  return async () => {
    const dists: Record<string, string> = {};
    for (const app of apps) {
      const { env, what } = BUILDS[app];
      const dist = process.env[env] || path.join(root, 'apps', app, 'dist');
      if (!existsSync(path.join(dist, 'index.html'))) throw new Error(`Build ${what} first: pnpm --filter @stagegate/${app} build`);
      dists[env] = dist;
    }
    const dataDir = mkdtempSync(path.join(tmpdir(), 'stagegate-e2e-'));
    const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['src/main.ts'], {
      cwd: path.join(root, 'apps', 'server'),
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PGLITE_DIR: dataDir, DATABASE_URL: '', NODE_ENV: 'development', ...dists },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start within 60 s:\n${output}`)), 60_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Stagegate API on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!.replace('localhost', '127.0.0.1'));
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
    });
    process.env.STAGEGATE_E2E_URL = url;
    return async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    };
  };
}
