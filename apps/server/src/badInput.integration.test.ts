import type { Access } from '@stagegate/api';
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_SIZE } from './http/trpc.js';
import { PROCEDURE_SAMPLES } from './testing/samples.js';
import { bearer, expectCode, routerProcedures, snapshotWrites, startHarnessWithServer, type HarnessWithServer } from './testing/server.js';

let h: HarnessWithServer;
let before: Awaited<ReturnType<typeof snapshotWrites>>;

beforeAll(async () => {
  h = await startHarnessWithServer();
  before = await snapshotWrites(h.db);
});
afterAll(async () => {
  await h.close();
});

const procedures = routerProcedures;
const MB = 'x'.repeat(1_000_000);
const key = 'auto-tagging-v2';
const create = { key: 'brand-new', name: 'Brand New', stage: 'lab', ttlDays: 30 };
const member = () => h.seed.memberId;

/** Inputs each procedure must refuse with VALIDATION_FAILED: wrong types, unknown keys, huge strings, out of range. */
const BAD_INPUT: Record<string, Array<() => unknown>> = {
  'betaFeatures.list': [() => ({ extra: 1 }), () => 'all', () => [1]],
  'betaFeatures.toggle': [
    () => undefined,
    () => ({ key }),
    () => ({ key: 42, enabled: true }),
    () => ({ key, enabled: 'yes' }),
    () => ({ key, enabled: true, userId: 'someone-else' }),
    () => ({ key: MB, enabled: true }),
    () => ({ key: 'Auto Tagging', enabled: true }),
  ],
  'betaFeatures.trackViewed': [() => ({ extra: 1 }), () => 'x'],
  'betaFeatures.trackDiscovered': [
    () => ({ key: 'internal-search' }),
    () => ({ key: 'internal-search', location: '' }),
    () => ({ key: 'internal-search', location: MB }),
    () => ({ key: 'internal-search', location: 'nav', extra: true }),
    () => ({ key: 5, location: 'nav' }),
  ],
  'flags.evaluate': [
    () => ({ keys: 'internal-search' }),
    () => ({ keys: [1] }),
    () => ({ keys: [MB] }),
    () => ({ keys: [''] }),
    () => ({ keys: Array.from({ length: 201 }, (_, i) => `k${i}`) }),
    () => ({ keys: [], extra: 1 }),
  ],
  'admin.flags.list': [() => ({ archived: 'yes' }), () => ({ stage: 'gamma' }), () => ({ extra: 1 })],
  'admin.flags.get': [() => ({}), () => ({ key: 42 }), () => ({ key: MB }), () => ({ key, extra: 1 })],
  'admin.flags.create': [
    () => ({ key: 'brand-new', name: 'x', stage: 'lab' }),
    () => ({ ...create, ttlDays: -1 }),
    () => ({ ...create, ttlDays: 1.5 }),
    () => ({ ...create, ttlDays: 100_000 }),
    () => ({ ...create, stage: 'gamma' }),
    () => ({ ...create, key: 'Bad Key' }),
    () => ({ ...create, name: MB }),
    () => ({ ...create, description: MB }),
    () => ({ ...create, rolloutPercentage: 101 }),
    () => ({ ...create, rolloutPercentage: -1 }),
    () => ({ ...create, rolloutPercentage: 1.234 }),
    () => ({ ...create, kbArticle: 'javascript:alert(1)' }),
    () => ({ ...create, owner: 'not-an-email' }),
    () => ({ ...create, enabled: 'true' }),
    () => ({ ...create, version: 7 }),
  ],
  'admin.flags.update': [
    () => ({ key }),
    () => ({ key, name: '' }),
    () => ({ key, ttlDays: 0 }),
    () => ({ key, name: 'x', expectedVersion: 0 }),
    () => ({ key, name: 'x', expectedVersion: 1.5 }),
    () => ({ key, name: 'x', stage: 'ga' }),
    () => ({ key, name: MB }),
    () => ({ key, kbArticle: 'ftp://files.example.com/x' }),
  ],
  'admin.flags.setStage': [() => ({ key, stage: 'gamma' }), () => ({ key }), () => ({ key, stage: 'ga', ttlStart: '2020-01-01' })],
  'admin.flags.setRollout': [
    () => ({ key, rolloutPercentage: 100.5 }),
    () => ({ key, rolloutPercentage: -0.01 }),
    () => ({ key, rolloutPercentage: 12.345 }),
    () => ({ key, rolloutPercentage: '50' }),
    () => ({ key, rolloutPercentage: Number.POSITIVE_INFINITY }),
    () => ({ key }),
    () => ({ key, rolloutPercentage: 50, enabled: 'on' }),
  ],
  'admin.flags.setAdminOverride': [() => ({ key, adminOverride: 'maybe' }), () => ({ key }), () => ({ key, adminOverride: true })],
  'admin.flags.kill': [() => ({ key }), () => ({ key, reason: '' }), () => ({ key, reason: '   ' }), () => ({ key, reason: MB }), () => ({ key, reason: 5 })],
  'admin.flags.restore': [() => ({ key: 'legacy-export' }), () => ({ key: 'legacy-export', reason: '' }), () => ({ key: 'legacy-export', reason: MB })],
  'admin.flags.archive': [() => ({ key, reason: '' }), () => ({ key, reason: MB }), () => ({ key, extra: 1 })],
  'admin.userOverrides.list': [() => ({ flagKey: 5 }), () => ({ userId: 'a', email: 'b@example.com' }), () => ({ email: 'not-an-email' }), () => ({ extra: 1 })],
  'admin.userOverrides.set': [
    () => ({ flagKey: key, enabled: true, reason: 'r' }),
    () => ({ userId: member(), email: 'member@stagegate.dev', flagKey: key, enabled: true, reason: 'r' }),
    () => ({ userId: member(), flagKey: key, enabled: 'yes', reason: 'r' }),
    () => ({ userId: member(), flagKey: key, enabled: true, reason: '' }),
    () => ({ userId: member(), flagKey: key, enabled: true, reason: MB }),
    () => ({ userId: member(), flagKey: key, enabled: true, reason: 'r', expiresAt: 'tomorrow' }),
    // Well-formed but expired: refused by the service, with the same code.
    () => ({ userId: member(), flagKey: key, enabled: true, reason: 'r', expiresAt: '2020-01-01T00:00:00Z' }),
    () => ({ userId: MB, flagKey: key, enabled: true, reason: 'r' }),
  ],
  'admin.userOverrides.remove': [() => ({ flagKey: key }), () => ({ userId: member(), email: 'member@stagegate.dev', flagKey: key }), () => ({ userId: member(), flagKey: 5 })],
  'admin.status': [() => ({ extra: 1 })],
  'admin.audit.list': [
    () => ({ limit: 0 }),
    () => ({ limit: 101 }),
    () => ({ limit: 1.5 }),
    () => ({ cursor: -1 }),
    () => ({ cursor: 'abc' }),
    () => ({ flagKey: MB }),
    () => ({ extra: 1 }),
  ],
  'admin.analytics': [() => ({ days: 0 }), () => ({ days: 91 }), () => ({ extra: 1 })],
  'admin.flags.annotate': [
    () => ({ flags: [] }),
    () => ({ flags: [{ key, stage: 'gamma' }] }),
    () => ({ flags: [{ key, owner: 'not-an-email' }] }),
    () => ({ flags: [{ key, version: 3 }] }),
    () => ({ flags: [{ key, category: 'x' }], dryRun: 'yes' }),
  ],
  'admin.flags.bulk': [
    () => ({ action: 'delete', keys: [key], reason: 'r' }),
    () => ({ action: 'archive', keys: [], reason: 'r' }),
    () => ({ action: 'archive', keys: [key] }),
    () => ({ action: 'setStage', keys: [key], reason: 'r' }),
    () => ({ action: 'archive', keys: Array.from({ length: 101 }, (_, i) => `k${i}`), reason: 'r' }),
  ],
  'admin.flags.explain': [() => ({ key }), () => ({ key, email: 'nope' }), () => ({ key, userId: 'a', email: 'b@example.com' }), () => ({ key: 'Bad Key', email: 'member@stagegate.dev' })],
  'admin.flags.reach': [() => ({ key, rolloutPercentage: 101 }), () => ({ key }), () => ({ key, rolloutPercentage: 5, bucketBy: 'team' })],
  'admin.flags.health': [() => ({ key, hours: 0 }), () => ({ key, hours: 24 * 90 + 1 }), () => ({ key, hours: 1.5 }), () => ({ key: 'Bad Key' }), () => ({ hours: 6 }), () => ({ key, extra: 1 })],
  'admin.operators.list': [() => ({ extra: 1 })],
  'admin.operators.setRole': [() => ({ email: 'member@acme.dev', role: 'god' }), () => ({ email: 'nope', role: 'viewer' }), () => ({ role: 'viewer' })],
  'admin.tokens.list': [() => ({ extra: 1 })],
  'admin.tokens.create': [() => ({ name: '', kind: 'service' }), () => ({ name: 'x', kind: 'root' }), () => ({ name: MB, kind: 'service' }), () => ({ name: 'x', kind: 'user', email: 'nope' })],
  'admin.tokens.revoke': [() => ({}), () => ({ id: 5 }), () => ({ id: MB })],
  'admin.schedule.list': [() => ({ status: 'soon' }), () => ({ key: 'Bad Key' }), () => ({ extra: 1 })],
  'admin.schedule.create': [
    () => ({ key, action: 'kill', reason: 'no time' }),
    () => ({ key, action: 'kill', runAt: 'tomorrow', reason: 'x' }),
    () => ({ key, action: 'kill', runAt: '2099-01-01T00:00:00Z' }),
    () => ({ key, action: 'explode', runAt: '2099-01-01T00:00:00Z', reason: 'x' }),
    () => ({ key, action: 'set_rollout', rolloutPercentage: 101, runAt: '2099-01-01T00:00:00Z', reason: 'x' }),
    () => ({ key, action: 'set_stage', stage: 'gamma', runAt: '2099-01-01T00:00:00Z', reason: 'x' }),
    () => ({ key, action: 'kill', runAt: '2020-01-01T00:00:00Z', reason: 'in the past' }),
    () => ({ key, action: 'kill', runAt: '2099-01-01T00:00:00Z', reason: MB }),
  ],
  'admin.plans.list': [() => ({ extra: 1 }), () => 'all'],
  'admin.plans.get': [() => ({}), () => ({ key: 'Bad Key' }), () => ({ key, extra: 1 })],
  'admin.plans.attach': [
    () => ({}),
    () => ({ key, steps: [] }),
    () => ({ key, steps: [5, 50] }),
    () => ({ key, steps: [50, 5, 100] }),
    () => ({ key, steps: [0, 50, 100] }),
    () => ({ key, minStepSeconds: 0 }),
    () => ({ key, minCalls: -1 }),
    () => ({ key, maxErrorRate: 1.5 }),
    () => ({ key, errorMargin: -0.1 }),
    () => ({ key, onTrip: 'panic' }),
    () => ({ key, reason: MB }),
  ],
  'admin.plans.control': [() => ({ key, action: 'pause' }), () => ({ key, action: 'rewind', reason: 'x' }), () => ({ action: 'pause', reason: 'x' }), () => ({ key, action: 'abort', reason: '' })],
  'admin.schedule.cancel': [() => ({}), () => ({ id: 0 }), () => ({ id: 'one' }), () => ({ id: 1.5 }), () => ({ id: 1, extra: true })],
  'session.whoami': [() => ({ extra: 1 })],
  'workspace.policy': [() => ({ extra: 1 })],
  'workspace.setOptInBlocked': [() => ({}), () => ({ blocked: 'yes' }), () => ({ blocked: true, reason: MB })],
  'workspace.setFlagPolicy': [() => ({ flagKey: key, policy: 'maybe' }), () => ({ flagKey: 'Bad Key', policy: null }), () => ({ policy: 'blocked' })],
};

/** Text no column may hold, in every shape a hostile client can send it. */
const UNSAFE_TEXT = ['nul\u0000byte', '\uD800lone high surrogate', 'lone low \uDC00 surrogate'];
const deep = (levels: number): unknown => (levels === 0 ? 'x' : { nested: deep(levels - 1) });

/** Every string in a valid input replaced, one at a time, by each unsafe text; plus an unsafe key and a deep object. */
function unsafeVariants(input: unknown): unknown[] {
  const variants: unknown[] = [{ ['key\u0000']: 1 }, deep(40)];
  const walk = (value: unknown, replace: (v: unknown) => unknown) => {
    if (typeof value === 'string') for (const text of UNSAFE_TEXT) variants.push(replace(text));
    else if (value && typeof value === 'object') for (const [k, child] of Object.entries(value)) walk(child, (v) => replace({ ...(value as object), [k]: v }));
  };
  walk(input, (v) => v);
  return variants;
}

/** The procedure at `path` on a caller, taking whatever input the test hands it. */
function procedureAt(caller: object, path: string): (input: unknown) => Promise<unknown> {
  const target = path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], caller);
  if (typeof target !== 'function') throw new Error(`no procedure ${path}`);
  return target as (input: unknown) => Promise<unknown>;
}

/** A caller the procedure's access level lets in, so what is tested is the input, not who sends it. */
const WHO: Record<Access, 'member' | 'admin' | 'owner' | 'service'> = { public: 'member', signedIn: 'member', member: 'member', workspaceAdmin: 'admin', viewer: 'owner', editor: 'owner', owner: 'owner', sdk: 'owner' };
const accessOf = (path: string) => (procedures[path]?._def.meta as { access: Access }).access;
const callerFor = (path: string) => h[WHO[accessOf(path)] as 'member' | 'admin' | 'owner'];
const tokenFor = (path: string) => DEMO_TOKENS[WHO[accessOf(path)]];

describe('bad input', () => {
  it('has cases for every query and mutation the router has', () => {
    const callable = Object.keys(procedures).filter((path) => procedures[path]?._def.type !== 'subscription');
    expect(Object.keys(BAD_INPUT).sort()).toEqual(callable.sort());
  });

  it.each(Object.keys(BAD_INPUT))('%s refuses every bad input with VALIDATION_FAILED (400) in-process', async (path) => {
    const call = procedureAt(callerFor(path), path);
    for (const input of BAD_INPUT[path] ?? []) await expectCode(call(input()), 'VALIDATION_FAILED', 400);
  });

  it('answers the same over HTTP: 400 VALIDATION_FAILED, or 413 when the body is over the limit', async () => {
    for (const [path, inputs] of Object.entries(BAD_INPUT)) {
      const query = procedures[path]?._def.type === 'query';
      for (const input of inputs) {
        const value = input();
        // A megabyte does not fit in a URL; queries get it in-process above.
        if (query && JSON.stringify(value ?? null).length > 8_000) continue;
        const expected = JSON.stringify(value ?? null).length > 100 * 1024 ? { status: 413, code: 'PAYLOAD_TOO_LARGE' } : { status: 400, code: 'VALIDATION_FAILED' };
        expect(await h.server.call(path, value, bearer(tokenFor(path))), `${path} ${JSON.stringify(value)?.slice(0, 80)}`).toEqual(expected);
      }
    }
  });

  it('answers malformed JSON on every mutation with 400 VALIDATION_FAILED', async () => {
    const mutations = Object.keys(procedures).filter((path) => procedures[path]?._def.type === 'mutation');
    for (const path of mutations) {
      expect(await h.server.call(path, undefined, bearer(tokenFor(path)), '{"key": "auto-tagging-v2", '), path).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    expect(await h.server.call('admin.flags.get', undefined, bearer(DEMO_TOKENS.owner)), 'missing input').toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const garbledQuery = await fetch(`${h.server.url}/trpc/admin.flags.list?input=%7Bnot-json`, { headers: bearer(DEMO_TOKENS.owner) });
    expect(garbledQuery.status).toBe(400);
  });

  it('refuses NUL bytes, lone surrogates, unsafe keys and deep nesting in every procedure over HTTP: 400 VALIDATION_FAILED, never 5xx', async () => {
    let sent = 0;
    for (const [path, sample] of Object.entries(PROCEDURE_SAMPLES)) {
      const valid = sample({ ...h, tokenId: 'no-such-token' }) ?? {};
      for (const input of unsafeVariants(valid)) {
        expect(await h.server.call(path, input, bearer(tokenFor(path))), `${path} ${JSON.stringify(input).slice(0, 80)}`).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        sent++;
      }
    }
    expect(sent).toBeGreaterThan(100);
  });

  it('refuses the same in the REST contract and the SDK routes', async () => {
    const cases = [
      { path: '/api/beta-features/auto-tagging-v2/toggle', method: 'POST', token: DEMO_TOKENS.member, body: '{"enabled":true,"x\\u0000":1}' },
      { path: `/api/flags/state?userId=a%00b&workspaceId=${h.seed.workspaceId}`, method: 'GET', token: DEMO_TOKENS.service },
      { path: '/api/flags/metrics', method: 'POST', token: DEMO_TOKENS.service, body: '{"sentAt":"2026-12-02T12:00:00Z","windows":[{"start":"2026-12-02T12:00:00Z","end":"2026-12-02T12:00:00Z","flags":[{"key":"a\\u0000b","evaluations":[]}]}],"dropped":{"windows":0,"evaluations":0,"routeCalls":0}}' },
    ];
    for (const { path, method, token, body } of cases) {
      const response = await fetch(`${h.server.url}${path}`, { method, headers: { ...bearer(token), 'content-type': 'application/json' }, body });
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { code: string }).code, path).toBe('VALIDATION_FAILED');
    }
  });

  it('answers a path that is not valid percent-encoding with 400, not 500', async () => {
    const response = await fetch(`${h.server.url}/trpc/%ZZ`);
    expect(response.status).toBe(400);
  });

  it(`refuses a batch of more than ${MAX_BATCH_SIZE} procedures with BATCH_TOO_LARGE, running none of them`, async () => {
    const paths = Array.from({ length: MAX_BATCH_SIZE + 1 }, () => 'betaFeatures.toggle').join(',');
    const input = Object.fromEntries(Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) => [i, { key, enabled: i % 2 === 0 }]));
    const response = await fetch(`${h.server.url}/trpc/${paths}?batch=1`, { method: 'POST', headers: { ...bearer(DEMO_TOKENS.member), 'content-type': 'application/json' }, body: JSON.stringify(input) });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('BATCH_TOO_LARGE');
    const ok = await fetch(`${h.server.url}/trpc/${Array.from({ length: MAX_BATCH_SIZE }, () => 'flags.evaluate').join(',')}?batch=1&input=${encodeURIComponent('{}')}`, { headers: bearer(DEMO_TOKENS.member) });
    expect(ok.status).toBe(200);
  });

  it('wrote nothing through all of it', async () => {
    expect(await snapshotWrites(h.db)).toEqual(before);
  });
});
