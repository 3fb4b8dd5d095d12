import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testFlag } from './flags.fixtures.js';
import { openTestDatabase, type TestDatabase } from './testing.js';

let db: TestDatabase;
let userId: string;
let workspaceId: string;
beforeAll(async () => {
  db = await openTestDatabase();
  ({ id: userId } = await db.prisma.user.create({ data: { email: 'ann@stagegate.dev', name: 'Ann' } }));
  ({ id: workspaceId } = await db.prisma.workspace.create({ data: { slug: 'acme', name: 'Acme' } }));
  await db.prisma.flag.create({ data: testFlag('search') });
  await db.prisma.flag.create({ data: testFlag('chat') });
});
afterAll(() => db.close());

const entriesFor = (flagKey: string) => db.prisma.auditEntry.findMany({ where: { flagKey }, orderBy: { id: 'asc' } });
const upsert = (flagKey: string, enabled: boolean) =>
  db.exec(`INSERT INTO beta_preferences (user_id, workspace_id, flag_key, enabled, updated_at)
    VALUES ('${userId}', '${workspaceId}', '${flagKey}', ${String(enabled)}, now())
    ON CONFLICT (user_id, workspace_id, flag_key) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at`);

describe('every write to beta_preferences writes its audit entry', () => {
  it('an opt-in: before null, after the new state, by the user, at the row’s updated_at', async () => {
    const at = new Date('2026-11-22T04:00:00.123Z');
    await db.prisma.betaPreference.create({ data: { userId, workspaceId, flagKey: 'search', enabled: true, updatedAt: at } });
    expect(await entriesFor('search')).toEqual([
      expect.objectContaining({
        at,
        actor: 'ann@stagegate.dev',
        action: 'beta_feature.enabled',
        before: null,
        after: { userId, workspaceId, enabled: true },
        reason: null,
      }),
    ]);
  });

  it('a change: before is the old state', async () => {
    await db.prisma.betaPreference.update({ where: { userId_workspaceId_flagKey: { userId, workspaceId, flagKey: 'search' } }, data: { enabled: false } });
    expect((await entriesFor('search')).at(-1)).toMatchObject({
      actor: 'ann@stagegate.dev',
      action: 'beta_feature.disabled',
      before: { userId, workspaceId, enabled: true },
      after: { userId, workspaceId, enabled: false },
    });
  });

  it('racing upserts of a new row: one insert, then updates that each saw the previous state', async () => {
    const sent = Array.from({ length: 20 }, (_, i) => i % 3 === 0);
    await Promise.all(sent.map((enabled) => upsert('chat', enabled)));
    const chain = await entriesFor('chat');
    expect(chain).toHaveLength(sent.length);
    expect(chain[0]?.before).toBeNull();
    chain.slice(1).forEach((entry, i) => expect(entry.before).toEqual(chain[i]?.after));
    const row = await db.prisma.betaPreference.findUniqueOrThrow({ where: { userId_workspaceId_flagKey: { userId, workspaceId, flagKey: 'chat' } } });
    expect(chain.at(-1)?.after).toEqual({ userId, workspaceId, enabled: row.enabled });
  });
});
