import { DEMO_TOKENS } from '@stagegate/db/demo';
import { FlagDefinition, UserState } from '@stagegate/flags-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startHarnessWithServer, type HarnessWithServer } from '../testing/server.js';

let h: HarnessWithServer;
beforeAll(async () => {
  h = await startHarnessWithServer();
});
afterAll(async () => {
  await h.close();
});

const get = (path: string, token: string | null, headers: Record<string, string> = {}) =>
  fetch(`${h.server.url}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

describe('GET /api/flags/snapshot', () => {
  it('serves every flag definition with ISO dates and an ETag, and 304 when it still matches', async () => {
    const response = await get('/api/flags/snapshot', DEMO_TOKENS.service);
    expect(response.status).toBe(200);
    const etag = response.headers.get('etag');
    const body = (await response.json()) as { flags: Array<Record<string, unknown>>; etag: string };
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(body.etag).toBe(etag);
    expect(body.flags.map((flag) => flag.key)).toContain('auto-tagging-v2');
    expect(body.flags[0]?.ttlStart).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(() => FlagDefinition.array().parse(body.flags)).not.toThrow();

    const again = await get('/api/flags/snapshot', DEMO_TOKENS.service, { 'if-none-match': etag ?? '' });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
  });

  it('changes its ETag when a flag changes', async () => {
    const before = (await get('/api/flags/snapshot', DEMO_TOKENS.service)).headers.get('etag') ?? '';
    await h.server.client(bearer(DEMO_TOKENS.editor)).admin.flags.setRollout.mutate({ key: 'phoenix-pipeline-enabled', rolloutPercentage: 10 });
    const response = await get('/api/flags/snapshot', DEMO_TOKENS.service, { 'if-none-match': before });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).not.toBe(before);
    const { flags } = (await response.json()) as { flags: Array<{ key: string; rolloutPercentage: number }> };
    expect(flags.find((flag) => flag.key === 'phoenix-pipeline-enabled')?.rolloutPercentage).toBe(10);
  });

  it('makes no database query for flags when warm', async () => {
    await get('/api/flags/snapshot', DEMO_TOKENS.service);
    const queries = h.services.flagSource.stats().queries;
    for (let i = 0; i < 50; i++) expect((await get('/api/flags/snapshot', DEMO_TOKENS.service)).status).toBe(200);
    expect(h.services.flagSource.stats().queries).toBe(queries);
  });

  it('is for service tokens and operators only', async () => {
    expect((await get('/api/flags/snapshot', null)).status).toBe(401);
    expect((await get('/api/flags/snapshot', 'no-such-token')).status).toBe(401);
    const member = await get('/api/flags/snapshot', DEMO_TOKENS.member);
    expect(member.status).toBe(403);
    expect(await member.json()).toMatchObject({ success: false, code: 'FORBIDDEN' });
    expect((await get('/api/flags/snapshot', DEMO_TOKENS.admin)).status).toBe(403);
    expect((await get('/api/flags/snapshot', DEMO_TOKENS.viewer)).status).toBe(200);
  });
});

describe('GET /api/flags/state', () => {
  it("serves one user's opt-ins and overrides", async () => {
    const { memberId, workspaceId } = h.seed;
    await h.server.client(bearer(DEMO_TOKENS.member)).betaFeatures.toggle.mutate({ key: 'internal-search', enabled: true });
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    await h.server.client(bearer(DEMO_TOKENS.editor)).admin.userOverrides.set.mutate({
      userId: memberId,
      flagKey: 'process-agent',
      enabled: true,
      reason: 'design partner',
      expiresAt,
    });

    const response = await get(`/api/flags/state?userId=${memberId}&workspaceId=${workspaceId}`, DEMO_TOKENS.service);
    expect(response.status).toBe(200);
    const body: unknown = await response.json();
    expect(body).toEqual({
      optIns: { 'internal-search': true },
      overrides: { 'process-agent': { enabled: true, reason: 'design partner', expiresAt } },
    });
    expect(() => UserState.parse(body)).not.toThrow();
  });

  it('answers 400 without both ids, and 403 to anyone but services and operators (a workspace admin included)', async () => {
    const missing = await get(`/api/flags/state?userId=${h.seed.memberId}`, DEMO_TOKENS.service);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await get(`/api/flags/state?userId=${h.seed.memberId}&workspaceId=${h.seed.workspaceId}`, DEMO_TOKENS.admin)).status).toBe(403);
    expect((await get(`/api/flags/state?userId=${h.seed.users.acmeMember}&workspaceId=${h.seed.acmeWorkspaceId}`, DEMO_TOKENS.viewer)).status).toBe(200);
    expect((await get(`/api/flags/state?userId=x&workspaceId=${h.seed.workspaceId}`, DEMO_TOKENS.member)).status).toBe(403);
  });
});

describe('GET /api/flags/stream', () => {
  it('streams changes as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${h.server.url}/api/flags/stream`, { headers: { authorization: `Bearer ${DEMO_TOKENS.service}` }, signal: controller.signal });
    try {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (pattern: RegExp) => {
        while (!pattern.test(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
          text += decoder.decode(value, { stream: true });
        }
      };
      await readUntil(/^: connected\n\n/);
      await h.server.client(bearer(DEMO_TOKENS.editor)).admin.flags.kill.mutate({ key: 'smart-summaries', reason: 'stream test' });
      await readUntil(/data: \{"kind":"flags"\}\n\n/);
    } finally {
      controller.abort();
    }
  });

  it('is for service tokens and operators only', async () => {
    const response = await get('/api/flags/stream', DEMO_TOKENS.member);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/json/);
  });
});
