import { STAGES, ttlWarnings } from '@stagegate/flags-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, seedDemo, SeedRefusedError, type SeedResult } from './seed.js';
import { hashToken } from './tokens.js';
import { createDatabaseSource } from './source.js';
import { openTestDatabase, type TestDatabase } from './testing.js';

const now = new Date('2026-11-22T12:00:00.000Z');
let db: TestDatabase;
let first: SeedResult;

const counts = async () => ({
  workspaces: await db.prisma.workspace.count(),
  users: await db.prisma.user.count(),
  memberships: await db.prisma.membership.count(),
  tokens: await db.prisma.apiToken.count(),
  flags: await db.prisma.flag.count(),
});

const SEEDED = { workspaces: 2, users: 7, memberships: 4, tokens: 8, flags: 8 };

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe('seedDemo', () => {
  it('refuses under NODE_ENV=production and writes nothing', async () => {
    await expect(seedDemo(db, { now, env: { NODE_ENV: 'production' } })).rejects.toBeInstanceOf(SeedRefusedError);
    expect(await counts()).toEqual({ workspaces: 0, users: 0, memberships: 0, tokens: 0, flags: 0 });
  });

  it('seeds two workspaces, operators outside them, their tokens and eight flags', async () => {
    first = await seedDemo(db, { now, env: {} });
    expect(await counts()).toEqual(SEEDED);
    expect(first.createdFlags).toHaveLength(8);
    const workspace = await db.prisma.workspace.findUniqueOrThrow({ where: { slug: 'demo' }, include: { memberships: { include: { user: true } } } });
    expect(workspace.name).toBe('Demo Workspace');
    expect(workspace.memberships.map((m) => [m.user.email, m.role]).sort()).toEqual([
      ['admin@stagegate.dev', 'admin'],
      ['member@stagegate.dev', 'member'],
    ]);
    const acme = await db.prisma.workspace.findUniqueOrThrow({ where: { slug: 'acme' }, include: { memberships: { include: { user: true } }, flagPolicies: true } });
    expect(acme.memberships.map((m) => [m.user.email, m.role]).sort()).toEqual([
      ['admin@acme.dev', 'admin'],
      ['member@acme.dev', 'member'],
    ]);
    expect(acme.flagPolicies.map((p) => [p.flagKey, p.policy]).sort()).toEqual([
      ['global-chat-enabled', 'enabled'],
      ['internal-search', 'blocked'],
    ]);
    const operators = await db.prisma.user.findMany({ where: { operatorRole: { not: null } }, include: { memberships: true }, orderBy: { email: 'asc' } });
    expect(operators.map((u) => [u.email, u.operatorRole, u.memberships.length])).toEqual([
      ['editor@stagegate.dev', 'editor', 0],
      ['owner@stagegate.dev', 'owner', 0],
      ['viewer@stagegate.dev', 'viewer', 0],
    ]);
  });

  it('stores only the SHA-256 of each documented token', async () => {
    // Pinned (printf dev-admin-token | sha256sum): the API hashes presented tokens the same way.
    expect(hashToken('dev-admin-token')).toBe('1734d503f6aa6a047c36d113cbad769f719c93784b469b771c4c3e7c63adbefd');
    const tokens = await db.prisma.apiToken.findMany({ include: { user: true }, orderBy: { name: 'asc' } });
    expect(tokens.map((t) => [t.name, t.kind, t.user?.email ?? null, t.tokenHash])).toEqual([
      ['Demo acmeAdmin', 'user', 'admin@acme.dev', hashToken(DEMO_TOKENS.acmeAdmin)],
      ['Demo acmeMember', 'user', 'member@acme.dev', hashToken(DEMO_TOKENS.acmeMember)],
      ['Demo admin', 'user', 'admin@stagegate.dev', hashToken(DEMO_TOKENS.admin)],
      ['Demo editor', 'user', 'editor@stagegate.dev', hashToken(DEMO_TOKENS.editor)],
      ['Demo member', 'user', 'member@stagegate.dev', hashToken(DEMO_TOKENS.member)],
      ['Demo owner', 'user', 'owner@stagegate.dev', hashToken(DEMO_TOKENS.owner)],
      ['Demo service', 'service', null, hashToken(DEMO_TOKENS.service)],
      ['Demo viewer', 'user', 'viewer@stagegate.dev', hashToken(DEMO_TOKENS.viewer)],
    ]);
    const everything = JSON.stringify(await db.query('SELECT * FROM api_tokens'));
    for (const plaintext of Object.values(DEMO_TOKENS)) expect(everything).not.toContain(plaintext);
  });

  it('covers every stage, a rollout, a kill switch and a TTL ending soon', async () => {
    const flags = await createDatabaseSource(db).loadFlags();
    expect(new Set(flags.map((f) => f.stage))).toEqual(new Set(STAGES));
    expect(flags.find((f) => f.key === 'auto-tagging-v2')).toMatchObject({
      stage: 'beta',
      name: 'Auto-Tagging V2',
      description: 'Automatically tag meetings based on content',
      kbArticle: 'https://help.stagegate.dev/auto-tagging',
      category: 'automation',
    });
    expect(flags.find((f) => f.key === 'internal-search')).toMatchObject({ stage: 'alpha', kbArticle: null, category: 'search' });
    expect(flags.find((f) => f.key === 'process-agent')).toMatchObject({ stage: 'lab', ttlDays: 90 });
    expect(flags.find((f) => f.key === 'phoenix-pipeline-enabled')).toMatchObject({ stage: 'ga', rolloutPercentage: 5, enabled: false });
    expect(flags.find((f) => f.key === 'smart-summaries')).toMatchObject({ stage: 'ga', enabled: true });
    expect(flags.find((f) => f.key === 'legacy-export')?.kill).toMatchObject({ reason: expect.stringMatching(/\w/), by: 'editor@stagegate.dev' });
    expect(ttlWarnings(flags, now)).toEqual([expect.objectContaining({ key: 'privacy-agent', stage: 'alpha', daysRemaining: 12 })]);
    for (const flag of flags) expect(flag.owner).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
  });

  it('is idempotent, restores the demo accounts and leaves flags as admins changed them', async () => {
    await db.prisma.flag.update({ where: { key: 'phoenix-pipeline-enabled' }, data: { rolloutPercentage: 25 } });
    await db.prisma.apiToken.update({ where: { tokenHash: hashToken(DEMO_TOKENS.member) }, data: { revokedAt: new Date() } });
    await db.prisma.membership.updateMany({ data: { role: 'member' } });

    const again = await seedDemo(db, { now, env: {} });

    expect(again).toEqual({ ...first, createdFlags: [] });
    expect(await counts()).toEqual(SEEDED);
    expect(await db.prisma.flag.findUniqueOrThrow({ where: { key: 'phoenix-pipeline-enabled' } })).toMatchObject({ rolloutPercentage: 25 });
    expect(await db.prisma.apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(DEMO_TOKENS.member) } })).toMatchObject({ revokedAt: null });
    expect(await db.prisma.membership.findUniqueOrThrow({ where: { userId_workspaceId: { userId: first.adminId, workspaceId: first.workspaceId } } })).toMatchObject({ role: 'admin' });
  });

  it('creates a demo flag again once it was deleted', async () => {
    await db.prisma.flag.delete({ where: { key: 'internal-search' } });
    expect((await seedDemo(db, { now, env: {} })).createdFlags).toEqual(['internal-search']);
  });
});
