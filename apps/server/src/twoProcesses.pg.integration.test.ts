// Two API processes on one real PostgreSQL: a kill switch thrown through one is seen by the other
// within a second, through LISTEN/NOTIFY alone (the flag cache's own TTL is 30 s). PGlite lives in one
// process, so this file only runs with STAGEGATE_TEST_PG (vitest.config.ts leaves it out otherwise).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { DEMO_TOKENS, seedDemo } from '@stagegate/db/demo';
import { openTestDatabase, type TestDatabase } from '@stagegate/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const apiDir = fileURLToPath(new URL('..', import.meta.url));

interface ApiProcess {
  child: ChildProcess;
  url: string;
}

/** `tsx src/main.ts` on a free port; resolves once it says where it listens. */
async function startApi(label: string, databaseUrl: string): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', NODE_ENV: 'test', POSTHOG_API_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start in time:\n${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Stagegate API on http:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code}:\n${output}`));
    });
  });
  return { child, url };
}

async function stopApi(api: ApiProcess | undefined) {
  if (!api || api.child.exitCode !== null) return;
  api.child.kill('SIGTERM');
  await once(api.child, 'exit');
}

const authorized = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

async function evaluate(api: ApiProcess, key: string, token: string = DEMO_TOKENS.member): Promise<{ key: string; enabled: boolean; reason: string }> {
  const input = encodeURIComponent(JSON.stringify({ keys: [key] }));
  const response = await fetch(`${api.url}/trpc/flags.evaluate?input=${input}`, { headers: authorized(token) });
  const body = (await response.json()) as { result: { data: { resolutions: Array<{ key: string; enabled: boolean; reason: string }> } } };
  const resolution = body.result.data.resolutions[0];
  if (!resolution) throw new Error(`no resolution for ${key}`);
  return resolution;
}

let db: TestDatabase | undefined;
let a: ApiProcess | undefined;
let b: ApiProcess | undefined;

beforeAll(async () => {
  // A fresh PostgreSQL database (dropped on close), migrated and seeded once for both processes.
  db = await openTestDatabase();
  await seedDemo(db, { env: {} });
  const url = db.url;
  if (!url) throw new Error('STAGEGATE_TEST_PG must point at a PostgreSQL server');
  [a, b] = await Promise.all([startApi('process A', url), startApi('process B', url)]);
}, 90_000);

afterAll(async () => {
  await Promise.all([stopApi(a), stopApi(b)]);
  await db?.close();
}, 30_000);

describe('two API processes on one PostgreSQL', () => {
  it('a kill switch thrown through process A is seen by process B within one second', async () => {
    if (!a || !b) throw new Error('the API processes did not start');
    const key = 'smart-summaries';
    // Warm B's cache, so only a notification can change its answer in time.
    expect((await evaluate(b, key)).reason).not.toBe('KILLED');

    const kill = await fetch(`${a.url}/trpc/admin.flags.kill`, {
      method: 'POST',
      headers: authorized(DEMO_TOKENS.editor),
      body: JSON.stringify({ key, reason: 'two-process test' }),
    });
    expect(kill.status).toBe(200);
    const killedAt = performance.now();

    let seen = await evaluate(b, key);
    while (seen.reason !== 'KILLED' && performance.now() - killedAt < 1_000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen = await evaluate(b, key);
    }
    const latencyMs = performance.now() - killedAt;
    console.log(`kill switch via process A seen by process B after ${latencyMs.toFixed(1)} ms`);
    expect(seen).toMatchObject({ enabled: false, reason: 'KILLED' });
    expect(latencyMs).toBeLessThan(1_000);
  });

  it("a workspace admin's policy change through process A reaches process B's members within one second, and no other workspace", async () => {
    if (!a || !b) throw new Error('the API processes did not start');
    const key = 'auto-tagging-v2';
    expect((await evaluate(b, key, DEMO_TOKENS.acmeMember)).reason).toBe('DEFAULT');
    expect((await evaluate(b, key, DEMO_TOKENS.member)).reason).toBe('DEFAULT');

    const block = await fetch(`${a.url}/trpc/workspace.setFlagPolicy`, {
      method: 'POST',
      headers: authorized(DEMO_TOKENS.acmeAdmin),
      body: JSON.stringify({ flagKey: key, policy: 'enabled' }),
    });
    expect(block.status).toBe(200);
    const changedAt = performance.now();
    let seen = await evaluate(b, key, DEMO_TOKENS.acmeMember);
    while (seen.reason !== 'WORKSPACE_OPT_IN' && performance.now() - changedAt < 1_000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen = await evaluate(b, key, DEMO_TOKENS.acmeMember);
    }
    console.log(`workspace policy via process A seen by process B after ${(performance.now() - changedAt).toFixed(1)} ms`);
    expect(seen).toMatchObject({ enabled: true, reason: 'WORKSPACE_OPT_IN' });
    // The demo workspace is another customer: untouched.
    expect((await evaluate(b, key, DEMO_TOKENS.member)).reason).toBe('DEFAULT');
  });
});
