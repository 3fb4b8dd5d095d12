import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { openTestDatabase, type TestDatabase } from '@stagegate/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
let dataDir: string;
let postgres: TestDatabase | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'stagegate-main-'));
  // What production runs: the compiled bundle under plain node, no tsx.
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: serverDir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the server did not build:\n${build.stderr}`);
  // On the PostgreSQL pass the server gets an empty database of its own; otherwise embedded PGlite.
  if (process.env.STAGEGATE_TEST_PG) postgres = await openTestDatabase({ migrate: false });
});
afterAll(async () => {
  await postgres?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** `node dist/main.js` as a process: resolves once it prints where it listens. */
async function start(env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', PGLITE_DIR: dataDir, DATABASE_URL: postgres?.url ?? '', POSTHOG_API_KEY: '', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 45_000;
  for (;;) {
    const match = /Stagegate API on (http:\/\/localhost:\d+)/.exec(output);
    if (match?.[1]) return { child, url: match[1], output: () => output };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stop({ child }: Started): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

describe('the compiled server (dist/main.js)', () => {
  it('migrates and seeds an empty database, prints the demo tokens, serves, and exits 0 on SIGTERM', async () => {
    const server = await start();
    expect(server.output()).toMatch(/seeded the demo workspace with \d+ flags/);
    expect(server.output()).toContain(DEMO_TOKENS.member);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const list = await fetch(`${server.url}/api/beta-features`, { headers: { authorization: `Bearer ${DEMO_TOKENS.member}` } });
    expect(((await list.json()) as { features: unknown[] }).features.length).toBeGreaterThan(0);
    // An open SSE stream must not hold the shutdown up.
    const stream = await fetch(`${server.url}/trpc/events.onChange`, { headers: { authorization: `Bearer ${DEMO_TOKENS.member}`, accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    const started = Date.now();
    expect(await stop(server)).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not seed again into a database that has data', async () => {
    const server = await start();
    expect(server.output()).not.toMatch(/seeded/);
    expect(server.output()).toMatch(/none \(up to date\)/);
    expect(await stop(server)).toBe(0);
  });

  it('prints no demo tokens in production', async () => {
    const server = await start({ NODE_ENV: 'production' });
    expect(server.output()).not.toContain(DEMO_TOKENS.admin);
    expect(await stop(server)).toBe(0);
  });
});
