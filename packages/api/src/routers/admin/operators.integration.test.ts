import { hashToken } from '@stagegate/db';
import { DEMO_USERS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, tokenResolver } from '../../auth.js';
import { expectCode, snapshotWrites, startHarness, type Harness } from '../../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const lastAudit = async () => (await h.db.prisma.auditEntry.findMany({ orderBy: { id: 'desc' }, take: 1 }))[0];

describe('admin.tokens (owners)', () => {
  it('creates a service token shown once and stored hashed, which then reads flags and nothing else', async () => {
    const { token, apiToken } = await h.owner.admin.tokens.create({ name: 'billing service', kind: 'service' });
    expect(token).toMatch(/^sg_svc_[A-Za-z0-9_-]{32}$/);
    expect(apiToken).toMatchObject({ name: 'billing service', kind: 'service', userEmail: null, createdBy: DEMO_USERS.owner.email, lastUsedAt: null, revokedAt: null });
    const row = await h.db.prisma.apiToken.findUniqueOrThrow({ where: { id: apiToken.id } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect((await h.owner.admin.tokens.list()).map((t) => t.id)).toContain(apiToken.id);
    // The plaintext is never listed again.
    expect(JSON.stringify(await h.owner.admin.tokens.list())).not.toContain(token);
    expect((await authenticate(h.services, { authorization: `Bearer ${token}` })).auth).toMatchObject({ kind: 'service', name: 'billing service' });
    const service = await h.callerFor(token);
    await expectCode(service.betaFeatures.list(), 'FORBIDDEN', 403);
    await expectCode(service.admin.flags.list(), 'FORBIDDEN', 403);
    expect(await lastAudit()).toMatchObject({ action: 'api_token.create', actor: DEMO_USERS.owner.email, after: { id: apiToken.id, kind: 'service' } });
  });

  it('records when a token was last used', async () => {
    const { token, apiToken } = await h.owner.admin.tokens.create({ name: 'used once', kind: 'service' });
    await authenticate(h.services, { authorization: `Bearer ${token}` });
    await expect.poll(async () => (await h.owner.admin.tokens.list()).find((t) => t.id === apiToken.id)?.lastUsedAt).not.toBeNull();
  });

  it('creates a user token acting as a named user', async () => {
    const { token, apiToken } = await h.owner.admin.tokens.create({ name: 'member laptop', kind: 'user', email: DEMO_USERS.member.email });
    expect(apiToken).toMatchObject({ kind: 'user', userEmail: DEMO_USERS.member.email });
    expect((await (await h.callerFor(token)).betaFeatures.list()).features.length).toBeGreaterThan(0);
    await expectCode(h.owner.admin.tokens.create({ name: 'ghost', kind: 'user', email: 'ghost@nowhere.dev' }), 'USER_NOT_FOUND', 404);
  });

  it('revokes: refused at once by this process, audited; revoking again is CONFLICT', async () => {
    const { token, apiToken } = await h.owner.admin.tokens.create({ name: 'to revoke', kind: 'service' });
    expect((await authenticate(h.services, { authorization: `Bearer ${token}` })).auth?.kind).toBe('service');
    const revoked = await h.owner.admin.tokens.revoke({ id: apiToken.id });
    expect(revoked.revokedAt).not.toBeNull();
    // Within the token cache's freshness window, yet refused: the revoking process drops its cached entry.
    expect((await authenticate(h.services, { authorization: `Bearer ${token}` })).error?.code).toBe('UNAUTHORIZED');
    expect(await lastAudit()).toMatchObject({ action: 'api_token.revoke', after: { id: apiToken.id, revoked: true } });
    await expectCode(h.owner.admin.tokens.revoke({ id: apiToken.id }), 'CONFLICT', 409);
    await expectCode(h.owner.admin.tokens.revoke({ id: 'no-such-token' }), 'TOKEN_NOT_FOUND', 404);
  });

  it('is for owners only: an editor can do neither', async () => {
    await expectCode(h.editor.admin.tokens.list(), 'FORBIDDEN', 403);
    await expectCode(h.editor.admin.tokens.create({ name: 'sneaky', kind: 'service' }), 'FORBIDDEN', 403);
  });
});

describe('admin.operators (owners)', () => {
  it('lists the operators with their roles', async () => {
    expect((await h.owner.admin.operators.list()).map((o) => [o.email, o.role])).toEqual([
      ['editor@stagegate.dev', 'editor'],
      ['owner@stagegate.dev', 'owner'],
      ['viewer@stagegate.dev', 'viewer'],
    ]);
  });

  it('makes a user an operator (the role bites on their next request) and takes it away again, audited', async () => {
    await h.owner.admin.operators.setRole({ email: DEMO_USERS.acmeAdmin.email, role: 'viewer' });
    expect(await lastAudit()).toMatchObject({ action: 'operator.set_role', before: { email: DEMO_USERS.acmeAdmin.email, role: null }, after: { role: 'viewer' } });
    // The token cache holds the old role for at most its 10 s; dropping this process's entry shows the new one now.
    tokenResolver(h.services).forget((await h.db.prisma.apiToken.findFirstOrThrow({ where: { user: { email: DEMO_USERS.acmeAdmin.email } } })).id);
    const acmeAdmin = await h.callerFor(h.seed.tokens.acmeAdmin);
    expect((await acmeAdmin.admin.flags.list()).length).toBeGreaterThan(0);
    await expectCode(acmeAdmin.admin.flags.kill({ key: 'smart-summaries', reason: 'no' }), 'FORBIDDEN', 403);
    await h.owner.admin.operators.setRole({ email: DEMO_USERS.acmeAdmin.email, role: null });
    expect((await h.owner.admin.operators.list()).map((o) => o.email)).not.toContain(DEMO_USERS.acmeAdmin.email);
  });

  it('never demotes the last owner', async () => {
    const before = await snapshotWrites(h.db);
    await expectCode(h.owner.admin.operators.setRole({ email: DEMO_USERS.owner.email, role: 'editor' }), 'CONFLICT', 409);
    expect(await snapshotWrites(h.db)).toEqual(before);
    await expectCode(h.owner.admin.operators.setRole({ email: 'ghost@nowhere.dev', role: 'viewer' }), 'USER_NOT_FOUND', 404);
  });
});
