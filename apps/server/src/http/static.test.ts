// The built apps' mounts: the dashboard's page for any page load under /admin, its hashed assets
// cached for good, and the web app's page everywhere else.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApp, webApp } from './static.js';

let root: string;
let base: string;
let close: () => void;

function build(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), `<!doctype html><title>${name}</title>`);
  writeFileSync(path.join(dir, 'assets', `${name}-abc123.js`), `// ${name}`);
  return dir;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'stagegate-static-'));
  const app = express();
  app.use('/admin', adminApp(build('admin')));
  app.use(webApp(build('web')));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => {
  close();
  rmSync(root, { recursive: true, force: true });
});

const page = (url: string) => fetch(`${base}${url}`, { headers: { accept: 'text/html' } });

describe('adminApp at /admin', () => {
  it.each(['/admin', '/admin/', '/admin/flags/internal-search', '/admin/audit'])('%s: a page load gets the dashboard', async (url) => {
    const response = await page(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>admin</title>');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it("serves the dashboard's hashed assets cached for a year", async () => {
    const response = await fetch(`${base}/admin/assets/admin-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('leaves every other path to the web app', async () => {
    expect(await (await page('/settings/beta-features')).text()).toContain('<title>web</title>');
    expect(await (await page('/administrator')).text()).toContain('<title>web</title>');
  });
});

describe('webApp at /', () => {
  it('answers the root with the app whatever the Accept header (curl), other unknown paths with a 404 unless a page load', async () => {
    const root = await fetch(`${base}/`, { headers: { accept: '*/*' } });
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<title>web</title>');
    expect((await fetch(`${base}/settings/beta-features`, { headers: { accept: '*/*' } })).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { headers: { accept: 'text/html' } })).status).toBe(404);
  });
});
