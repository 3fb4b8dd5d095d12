import { hashToken } from '@stagegate/db';
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_FAILURES_PER_MINUTE, authenticate, TOKEN_STALE_MAX_MS, type AuthOutcome } from './auth.js';
import { countingDatabase, createUser, startHarness, type Harness } from './testing/harness.js';

let h: Harness;
let counted: ReturnType<typeof countingDatabase>;
let twoWorkspaces: { userId: string; otherWorkspaceId: string; token: string };

beforeAll(async () => {
  h = await startHarness({ wrapDb: (db) => (counted = countingDatabase(db)).db });
  // A member of the demo workspace who is also admin of a workspace of their own.
  const own = await createUser(h.db, { email: 'both@stagegate.dev', role: 'admin', token: 'both-token' });
  await h.db.prisma.membership.create({ data: { userId: own.userId, workspaceId: h.seed.workspaceId, role: 'member' } });
  twoWorkspaces = { userId: own.userId, otherWorkspaceId: own.workspaceId, token: own.token };
});
afterAll(() => h.close());

const auth = (authorization?: string, workspace?: string, address?: string) => authenticate(h.services, { authorization, workspace, address });
const codeOf = (outcome: AuthOutcome) => outcome.error?.code ?? null;
/** Where the call acts: the workspace, or the code of why it has none. */
const seatOf = (outcome: AuthOutcome) => (outcome.auth?.kind === 'user' ? (outcome.auth.workspace ?? outcome.auth.workspaceError?.code) : null);

describe('authenticate', () => {
  it('lets a request without Authorization through as anonymous (procedures decide)', async () => {
    expect(await auth()).toEqual({ auth: null, error: null });
  });

  it.each([
    ['a malformed header', 'Basic abc'],
    ['a bare Bearer', 'Bearer'],
    ['an unknown token', 'Bearer not-a-token'],
    ['an absurdly long token', `Bearer ${'x'.repeat(10_000)}`],
  ])('answers %s with UNAUTHORIZED', async (_, header) => {
    expect(codeOf(await auth(header))).toBe('UNAUTHORIZED');
  });

  it('refuses a revoked token', async () => {
    await h.db.prisma.apiToken.create({
      data: { tokenHash: hashToken('revoked-token'), name: 'old laptop', userId: h.seed.memberId, revokedAt: new Date() },
    });
    const outcome = await auth('Bearer revoked-token');
    expect(codeOf(outcome)).toBe('UNAUTHORIZED');
    expect(outcome.error?.message).toMatch(/revoked/);
  });

  it('resolves a user to their only workspace and their role there', async () => {
    expect((await auth(`Bearer ${DEMO_TOKENS.member}`)).auth).toMatchObject({ kind: 'user', via: 'token', workspace: { id: h.seed.workspaceId, role: 'member' }, user: { id: h.seed.memberId, operatorRole: null } });
    expect((await auth(`bearer ${DEMO_TOKENS.admin}`)).auth).toMatchObject({ kind: 'user', workspace: { role: 'admin' }, user: { email: 'admin@stagegate.dev' } });
  });

  it('resolves an operator with their role and no workspace (not an error: operator procedures need none)', async () => {
    const outcome = await auth(`Bearer ${DEMO_TOKENS.owner}`);
    expect(outcome).toMatchObject({ error: null, auth: { kind: 'user', user: { email: 'owner@stagegate.dev', operatorRole: 'owner' }, memberships: [], workspace: null } });
    expect(seatOf(outcome)).toBe('FORBIDDEN');
  });

  it('resolves a service token to a service caller', async () => {
    expect((await auth(`Bearer ${DEMO_TOKENS.service}`)).auth).toMatchObject({ kind: 'service', name: 'Demo service' });
  });

  it('needs X-Workspace-Id from a user of several workspaces, and takes the role of the one named', async () => {
    const bearer = `Bearer ${twoWorkspaces.token}`;
    expect(seatOf(await auth(bearer))).toBe('WORKSPACE_REQUIRED');
    expect(seatOf(await auth(bearer, h.seed.workspaceId))).toMatchObject({ id: h.seed.workspaceId, role: 'member' });
    expect(seatOf(await auth(bearer, twoWorkspaces.otherWorkspaceId))).toMatchObject({ id: twoWorkspaces.otherWorkspaceId, role: 'admin' });
    // The slug names a workspace as well as its id.
    expect(seatOf(await auth(bearer, 'demo'))).toMatchObject({ id: h.seed.workspaceId, role: 'member' });
  });

  it('forbids a workspace the user does not belong to, and users of no workspace', async () => {
    expect(seatOf(await auth(`Bearer ${DEMO_TOKENS.admin}`, twoWorkspaces.otherWorkspaceId))).toBe('FORBIDDEN');
    expect(seatOf(await auth(`Bearer ${DEMO_TOKENS.admin}`, 'no-such-workspace'))).toBe('FORBIDDEN');
    const loner = await h.db.prisma.user.create({ data: { email: 'loner@stagegate.dev', name: 'Loner' } });
    await h.db.prisma.apiToken.create({ data: { tokenHash: hashToken('loner-token'), name: 'loner', userId: loner.id } });
    expect(seatOf(await auth('Bearer loner-token'))).toBe('FORBIDDEN');
  });

  it('caches a resolved token: the next requests make no query, and lastUsedAt is written once', async () => {
    await h.db.prisma.apiToken.create({ data: { tokenHash: hashToken('fresh-token'), name: 'fresh', userId: h.seed.memberId } });
    const first = counted.queries();
    await auth('Bearer fresh-token');
    // The lookup, then the lastUsedAt write off the request path.
    await expect.poll(async () => (await h.db.prisma.apiToken.findUnique({ where: { tokenHash: hashToken('fresh-token') } }))?.lastUsedAt).not.toBeNull();
    expect(counted.queries() - first).toBe(2);

    const warm = counted.queries();
    for (let i = 0; i < 20; i++) expect((await auth('Bearer fresh-token')).auth?.kind).toBe('user');
    expect(counted.queries() - warm).toBe(0);
  });

  it('keeps a session and an API token apart: neither works where the other travels', async () => {
    await h.db.prisma.apiToken.create({ data: { tokenHash: hashToken('session-value'), name: 'Browser session', kind: 'session', userId: h.seed.memberId, expiresAt: new Date(Date.now() + 60_000) } });
    expect(codeOf(await auth('Bearer session-value'))).toBe('UNAUTHORIZED');
    expect(codeOf(await authenticate(h.services, { session: DEMO_TOKENS.member }))).toBe('UNAUTHORIZED');
    expect((await authenticate(h.services, { session: 'session-value' })).auth).toMatchObject({ kind: 'user', via: 'session', user: { id: h.seed.memberId } });
  });

  it('refuses an expired session', async () => {
    await h.db.prisma.apiToken.create({ data: { tokenHash: hashToken('ended-session'), name: 'Browser session', kind: 'session', userId: h.seed.memberId, expiresAt: new Date(Date.now() - 1) } });
    expect(codeOf(await authenticate(h.services, { session: 'ended-session' }))).toBe('UNAUTHORIZED');
  });
});

describe('failed sign-ins', () => {
  it(`rate-limits an address after ${AUTH_FAILURES_PER_MINUTE} failures a minute, without asking the database, while valid cached tokens pass`, async () => {
    const address = '203.0.113.7';
    await auth(`Bearer ${DEMO_TOKENS.member}`, undefined, address);
    for (let i = 0; i < AUTH_FAILURES_PER_MINUTE; i++) expect(codeOf(await auth(`Bearer spray-${i}`, undefined, address))).toBe('UNAUTHORIZED');
    const before = counted.queries();
    const limited = await auth('Bearer spray-next', undefined, address);
    expect(limited.error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(limited.error!.retryAfterSeconds!).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) expect(codeOf(await auth(`Bearer spray-more-${i}`, undefined, address))).toBe('RATE_LIMITED');
    expect(counted.queries() - before).toBe(0);
    // The member's token was resolved before: still served from the cache.
    expect((await auth(`Bearer ${DEMO_TOKENS.member}`, undefined, address)).auth?.kind).toBe('user');
    // Another address is not affected.
    expect(codeOf(await auth('Bearer spray-elsewhere', undefined, '203.0.113.8'))).toBe('UNAUTHORIZED');
  });

  it('remembers an unknown token briefly: asking again costs no query', async () => {
    expect(codeOf(await auth('Bearer unknown-once'))).toBe('UNAUTHORIZED');
    const before = counted.queries();
    for (let i = 0; i < 10; i++) expect(codeOf(await auth('Bearer unknown-once'))).toBe('UNAUTHORIZED');
    expect(counted.queries() - before).toBe(0);
  });
});

describe('while the database is unreachable', () => {
  it(`trusts identities resolved in the last ${TOKEN_STALE_MAX_MS / 60_000} minutes, and answers BUSY for unknown ones`, async () => {
    const { db } = await import('@stagegate/db/testing').then(async ({ openTestDatabase }) => ({ db: await openTestDatabase() }));
    const { seedDemo } = await import('@stagegate/db/demo');
    await seedDemo(db, { env: {} });
    const { createServices } = await import('./createServices.js');
    const services = createServices({ db, flagsTtlMs: 600_000, userStateTtlMs: 600_000 });
    const realNow = Date.now;
    try {
      expect((await authenticate(services, { authorization: `Bearer ${DEMO_TOKENS.member}` })).auth?.kind).toBe('user');
      await services.close();
      await db.close();
      // Past the token cache's freshness, so the next request has to ask the (closed) database.
      Date.now = () => realNow() + 60_000;
      expect((await authenticate(services, { authorization: `Bearer ${DEMO_TOKENS.member}` })).auth?.kind).toBe('user');
      const unknown = await authenticate(services, { authorization: `Bearer ${DEMO_TOKENS.admin}` });
      expect(unknown.error).toMatchObject({ code: 'BUSY', retryAfterSeconds: 5 });
      Date.now = () => realNow() + TOKEN_STALE_MAX_MS + 60_000;
      expect(codeOf(await authenticate(services, { authorization: `Bearer ${DEMO_TOKENS.member}` }))).toBe('BUSY');
    } finally {
      Date.now = realNow;
    }
  });
});
