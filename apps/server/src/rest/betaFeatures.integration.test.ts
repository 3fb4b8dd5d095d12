import { DEMO_TOKENS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, snapshotWrites, startHarnessWithServer, type HarnessWithServer } from '../testing/server.js';

let h: HarnessWithServer;
beforeAll(async () => {
  h = await startHarnessWithServer();
});
afterAll(async () => {
  await h.close();
});

async function call(path: string, init: { method?: string; token?: string; body?: string } = {}) {
  const response = await fetch(`${h.server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.token && bearer(init.token)), ...(init.body !== undefined && { 'content-type': 'application/json' }) },
    body: init.body,
  });
  return { status: response.status, type: response.headers.get('content-type'), json: (await response.json()) as Record<string, unknown> };
}

const isDay = (value: unknown) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);

describe('GET /api/beta-features (spec shape)', () => {
  it('returns features with exactly the spec’s snake_case fields, and meta totals', async () => {
    const { status, type, json } = await call('/api/beta-features', { token: DEMO_TOKENS.member });
    expect(status).toBe(200);
    expect(type).toMatch(/application\/json/);
    expect(Object.keys(json).sort()).toEqual(['features', 'meta']);
    const features = json.features as Array<Record<string, unknown>>;
    expect(features.length).toBeGreaterThan(0);
    for (const feature of features) {
      expect(Object.keys(feature).sort()).toEqual(['category', 'description', 'enabled', 'kb_article', 'key', 'name', 'stage']);
      expect(['alpha', 'beta']).toContain(feature.stage);
      expect(typeof feature.enabled).toBe('boolean');
      expect(feature.kb_article === null || typeof feature.kb_article === 'string').toBe(true);
    }
    expect(features.find((f) => f.key === 'auto-tagging-v2')).toEqual({
      key: 'auto-tagging-v2',
      name: 'Auto-Tagging V2',
      description: 'Automatically tag meetings based on content',
      stage: 'beta',
      enabled: false,
      kb_article: 'https://help.stagegate.dev/auto-tagging',
      category: 'automation',
    });
    expect(json.meta).toEqual({ total_available: features.length, total_enabled: 0 });
  });

  it('answers without a token with 401 in the spec’s error shape', async () => {
    const { status, json } = await call('/api/beta-features');
    expect(status).toBe(401);
    expect(json).toEqual({ success: false, error: expect.any(String), code: 'UNAUTHORIZED' });
  });
});

describe('POST /api/beta-features/:key/toggle (spec shape)', () => {
  it('enables and reports it, and the next GET shows it', async () => {
    const { status, json } = await call('/api/beta-features/auto-tagging-v2/toggle', { method: 'POST', token: DEMO_TOKENS.member, body: '{"enabled":true}' });
    expect(status).toBe(200);
    expect(json).toEqual({ success: true, feature: { key: 'auto-tagging-v2', name: 'Auto-Tagging V2', enabled: true }, message: 'Auto-Tagging V2 has been enabled' });
    const list = await call('/api/beta-features', { token: DEMO_TOKENS.member });
    expect((list.json.meta as { total_enabled: number }).total_enabled).toBe(1);
  });

  it('answers a feature not open for opt-in with the spec’s FEATURE_NOT_AVAILABLE error and writes nothing', async () => {
    const before = await snapshotWrites(h.db);
    for (const key of ['process-agent', 'smart-summaries', 'legacy-export', 'nope']) {
      const { status, json } = await call(`/api/beta-features/${key}/toggle`, { method: 'POST', token: DEMO_TOKENS.member, body: '{"enabled":true}' });
      expect(status, key).toBe(404);
      expect(json).toEqual({ success: false, error: 'Feature not found or not available for beta', code: 'FEATURE_NOT_AVAILABLE' });
    }
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  it.each([
    ['a non-boolean', '{"enabled":"yes"}'],
    ['a missing field', '{}'],
    ['an unknown field', '{"enabled":true,"userId":"someone-else"}'],
    ['an array', '[true]'],
    ['malformed JSON', '{"enabled":tr'],
    ['a huge string', JSON.stringify({ enabled: 'x'.repeat(50_000) })],
  ])('refuses %s with 400 VALIDATION_FAILED and writes nothing', async (_, body) => {
    const before = await snapshotWrites(h.db);
    const { status, json } = await call('/api/beta-features/internal-search/toggle', { method: 'POST', token: DEMO_TOKENS.member, body });
    expect(status).toBe(400);
    expect(json).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  it('refuses a body over 100 kB with 413 and a malformed key with 400', async () => {
    const before = await snapshotWrites(h.db);
    const big = await call('/api/beta-features/internal-search/toggle', {
      method: 'POST',
      token: DEMO_TOKENS.member,
      body: JSON.stringify({ enabled: true, pad: 'x'.repeat(200_000) }),
    });
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE' });
    const badKey = await call('/api/beta-features/NOT%20A%20KEY/toggle', { method: 'POST', token: DEMO_TOKENS.member, body: '{"enabled":true}' });
    expect(badKey.status).toBe(400);
    expect(badKey.json).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await snapshotWrites(h.db)).toEqual(before);
  });
});

describe('GET /api/beta-features/status (spec shape)', () => {
  it('gives admins every stage with TTL fields, and TTL warnings', async () => {
    const { status, json } = await call('/api/beta-features/status', { token: DEMO_TOKENS.viewer });
    expect(status).toBe(200);
    expect(Object.keys(json).sort()).toEqual(['stages', 'ttl_warnings']);
    const stages = json.stages as Record<string, Array<Record<string, unknown>>>;
    expect(Object.keys(stages)).toEqual(['lab', 'alpha', 'beta', 'ga']);
    for (const [stage, entries] of Object.entries(stages)) {
      for (const entry of entries) {
        expect(Object.keys(entry).sort(), stage).toEqual(['days_remaining', 'key', 'name', 'owner', 'ttl_days', 'ttl_start']);
        expect(isDay(entry.ttl_start)).toBe(true);
        expect(Number.isInteger(entry.days_remaining)).toBe(true);
      }
    }
    expect(stages.lab?.find((e) => e.key === 'process-agent')).toMatchObject({ name: 'Process Agent', ttl_days: 90, owner: 'noxon@stagegate.dev' });
    const warnings = json.ttl_warnings as Array<Record<string, unknown>>;
    expect(warnings.find((w) => w.key === 'privacy-agent')).toEqual({ key: 'privacy-agent', stage: 'alpha', days_remaining: expect.any(Number) });
    for (const warning of warnings) expect(Object.keys(warning).sort()).toEqual(['days_remaining', 'key', 'stage']);
  });

  it('is for admins only', async () => {
    expect((await call('/api/beta-features/status', { token: DEMO_TOKENS.member })).status).toBe(403);
    expect((await call('/api/beta-features/status')).status).toBe(401);
  });
});
