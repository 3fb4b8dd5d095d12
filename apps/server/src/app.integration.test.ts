import { DEMO_TOKENS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, countingDatabase, expectCode, settle, snapshotWrites, startHarnessWithServer, type HarnessWithServer } from './testing/server.js';

let h: HarnessWithServer;
let counted: ReturnType<typeof countingDatabase>;

beforeAll(async () => {
  h = await startHarnessWithServer({ wrapDb: (db) => (counted = countingDatabase(db)).db });
});
afterAll(async () => {
  await h.close();
});

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });

describe('tRPC over HTTP with @trpc/client', () => {
  it('lists, toggles and lists again as the member, with types end to end', async () => {
    const member = h.server.client(bearer(DEMO_TOKENS.member));
    const before = await member.betaFeatures.list.query();
    expect(before.features.find((f) => f.key === 'internal-search')?.enabled).toBe(false);
    const toggled = await member.betaFeatures.toggle.mutate({ key: 'internal-search', enabled: true });
    expect(toggled.message).toBe('Internal Search has been enabled');
    const after = await member.betaFeatures.list.query();
    expect(after.features.find((f) => f.key === 'internal-search')?.enabled).toBe(true);
    expect(after.meta.totalEnabled).toBe(before.meta.totalEnabled + 1);
  });

  it('batches concurrent calls into one request and answers each', async () => {
    const editor = h.server.client(bearer(DEMO_TOKENS.editor));
    const [flags, status, whoami] = await Promise.all([editor.admin.flags.list.query(), editor.admin.status.query(), editor.session.whoami.query()]);
    expect(flags.length).toBeGreaterThan(0);
    expect(Object.keys(status.stages)).toEqual(['lab', 'alpha', 'beta', 'ga']);
    expect(whoami).toMatchObject({ user: { email: 'editor@stagegate.dev', operatorRole: 'editor' }, workspace: null, workspaces: [] });
  });

  it('carries the stable code and HTTP status in error.data', async () => {
    const member = h.server.client(bearer(DEMO_TOKENS.member));
    await expectCode(member.betaFeatures.toggle.mutate({ key: 'process-agent', enabled: true }), 'FEATURE_NOT_AVAILABLE', 404);
    await expectCode(member.admin.flags.list.query(), 'FORBIDDEN', 403);
    await expectCode(h.server.client().betaFeatures.list.query(), 'UNAUTHORIZED', 401);
    await expectCode(h.server.client(bearer(DEMO_TOKENS.editor)).admin.flags.setRollout.mutate({ key: 'smart-summaries', rolloutPercentage: 12.345 }), 'VALIDATION_FAILED', 400);
  });

  it('serves a warm betaFeatures.list over HTTP without a database query', async () => {
    const member = h.server.client(bearer(DEMO_TOKENS.member));
    await member.betaFeatures.list.query();
    await settle(h.services);
    const queries = counted.queries();
    for (let i = 0; i < 20; i++) await member.betaFeatures.list.query();
    expect(counted.queries() - queries).toBe(0);
  });
});

describe('the HTTP edge', () => {
  it('answers /healthz', async () => {
    expect(await json(await fetch(`${h.server.url}/healthz`))).toMatchObject({ status: 200, body: { status: 'ok', code: 'OK', database: { kind: h.db.kind, reachable: true } } });
  });

  it('answers unknown routes and procedures with 404 JSON', async () => {
    expect(await json(await fetch(`${h.server.url}/nowhere`))).toEqual({ status: 404, body: { success: false, error: 'No route GET /nowhere', code: 'NOT_FOUND' } });
    expect(await h.server.call('flags.nowhere', undefined, bearer(DEMO_TOKENS.member))).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('answers a mutation sent as GET with 405', async () => {
    const wrong = await fetch(`${h.server.url}/trpc/betaFeatures.toggle`, { headers: bearer(DEMO_TOKENS.member) });
    expect(wrong.status).toBe(405);
    expect(((await wrong.json()) as { error: { data: { code: string } } }).error.data.code).toBe('METHOD_NOT_SUPPORTED');
  });

  it('refuses a tRPC body over 100 kB with 413 and writes nothing', async () => {
    const before = await snapshotWrites(h.db);
    const body = JSON.stringify({ key: 'smart-summaries', description: 'x'.repeat(150_000) });
    expect(await h.server.call('admin.flags.update', undefined, bearer(DEMO_TOKENS.editor), body)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  it('refuses malformed JSON with 400 on tRPC and on REST', async () => {
    expect(await h.server.call('betaFeatures.toggle', undefined, bearer(DEMO_TOKENS.member), '{"key":')).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const rest = await fetch(`${h.server.url}/api/beta-features/internal-search/toggle`, {
      method: 'POST',
      headers: { ...bearer(DEMO_TOKENS.member), 'content-type': 'application/json' },
      body: '{"enabled":',
    });
    expect(await json(rest)).toEqual({ status: 400, body: { success: false, error: 'The request body is not valid JSON', code: 'VALIDATION_FAILED' } });
  });

  it('reads a REST body only once the caller is let in: an unknown token with a large or broken body is 401', async () => {
    const send = (body: string) =>
      fetch(`${h.server.url}/api/flags/metrics`, { method: 'POST', headers: { ...bearer('made-up-token'), 'content-type': 'application/json' }, body });
    expect((await json(await send('{"windows":'))).body).toMatchObject({ code: 'UNAUTHORIZED' });
    // 2 MB of JSON: under the telemetry route's limit, parsed for nobody.
    expect((await json(await send(JSON.stringify({ padding: 'x'.repeat(2_000_000) })))).body).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('never answers bad input with a 500: wrong content type, bad encoding, a garbled path', async () => {
    const responses = await Promise.all([
      fetch(`${h.server.url}/api/beta-features/internal-search/toggle`, { method: 'POST', headers: { ...bearer(DEMO_TOKENS.member), 'content-type': 'text/plain' }, body: 'enabled' }),
      fetch(`${h.server.url}/api/beta-features/internal-search/toggle`, {
        method: 'POST',
        headers: { ...bearer(DEMO_TOKENS.member), 'content-type': 'application/json; charset=latin-9' },
        body: '{"enabled":true}',
      }),
      fetch(`${h.server.url}/api/beta-features/%E0%A4%A/toggle`, { method: 'POST', headers: { ...bearer(DEMO_TOKENS.member), 'content-type': 'application/json' }, body: '{"enabled":true}' }),
      fetch(`${h.server.url}/trpc/betaFeatures.toggle`, { method: 'POST', headers: { ...bearer(DEMO_TOKENS.member), 'content-type': 'application/json' }, body: '\u0000\u0001' }),
    ]);
    for (const response of responses) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(((await response.json()) as { success?: boolean; error?: unknown }).error).toBeDefined();
    }
  });
});
