import { DEMO_TOKENS, hashToken } from '@stagegate/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, type AuthOutcome } from './auth.js';
import { errorCodeOf } from './errors.js';
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

const auth = (authorization?: string, workspace?: string) => authenticate(h.services, { authorization, workspace });
const codeOf = (outcome: AuthOutcome) => (outcome.error ? errorCodeOf(outcome.error) : null);

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
    expect((await auth(`Bearer ${DEMO_TOKENS.member}`)).auth).toMatchObject({ kind: 'user', workspaceId: h.seed.workspaceId, role: 'member', user: { id: h.seed.memberId } });
    expect((await auth(`bearer ${DEMO_TOKENS.admin}`)).auth).toMatchObject({ kind: 'user', role: 'admin', user: { email: 'admin@stagegate.dev' } });
  });

  it('resolves a service token to a service caller', async () => {
    expect((await auth(`Bearer ${DEMO_TOKENS.service}`)).auth).toMatchObject({ kind: 'service', name: 'Demo service' });
  });

  it('needs X-Workspace-Id from a user of several workspaces, and takes the role of the one named', async () => {
    const bearer = `Bearer ${twoWorkspaces.token}`;
    expect(codeOf(await auth(bearer))).toBe('WORKSPACE_REQUIRED');
    expect((await auth(bearer, h.seed.workspaceId)).auth).toMatchObject({ workspaceId: h.seed.workspaceId, role: 'member' });
    expect((await auth(bearer, twoWorkspaces.otherWorkspaceId)).auth).toMatchObject({ workspaceId: twoWorkspaces.otherWorkspaceId, role: 'admin' });
    // The slug names a workspace as well as its id.
    expect((await auth(bearer, 'demo')).auth).toMatchObject({ workspaceId: h.seed.workspaceId, role: 'member' });
  });

  it('forbids a workspace the user does not belong to, and users of no workspace', async () => {
    expect(codeOf(await auth(`Bearer ${DEMO_TOKENS.admin}`, twoWorkspaces.otherWorkspaceId))).toBe('FORBIDDEN');
    expect(codeOf(await auth(`Bearer ${DEMO_TOKENS.admin}`, 'no-such-workspace'))).toBe('FORBIDDEN');
    const loner = await h.db.prisma.user.create({ data: { email: 'loner@stagegate.dev', name: 'Loner' } });
    await h.db.prisma.apiToken.create({ data: { tokenHash: hashToken('loner-token'), name: 'loner', userId: loner.id } });
    expect(codeOf(await auth('Bearer loner-token'))).toBe('FORBIDDEN');
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
});
