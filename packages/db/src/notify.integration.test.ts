import type { FlagChange } from '@stagegate/flags-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testFlag } from './flags.fixtures.js';
import { CHANGES_CHANNEL } from './source.js';
import { openTestDatabase, waitFor, type TestDatabase } from './testing.js';

let db: TestDatabase;
let stop: () => Promise<void>;
const payloads: string[] = [];
let userId: string;
let workspaceId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  stop = await db.listen(CHANGES_CHANNEL, (payload) => payloads.push(payload));
  ({ id: userId } = await db.prisma.user.create({ data: { email: 'ann@stagegate.dev', name: 'Ann' } }));
  ({ id: workspaceId } = await db.prisma.workspace.create({ data: { slug: 'acme', name: 'Acme' } }));
  await db.prisma.flag.create({ data: testFlag('search') });
});
afterAll(async () => {
  await stop();
  await db.close();
});

/** Drains what was heard so far, ending with a marker change so nothing still in flight is missed. */
async function heard(): Promise<FlagChange[]> {
  await db.exec(`SELECT pg_notify('${CHANGES_CHANNEL}', '{"kind":"reset"}')`);
  await waitFor(() => payloads.at(-1) === '{"kind":"reset"}', 5_000, 'the marker notification');
  return payloads.splice(0).slice(0, -1).map((payload) => JSON.parse(payload) as FlagChange);
}

beforeEach(async () => {
  await heard();
});

describe('change notifications on stagegate_changes', () => {
  it('tells of any write to flags as {"kind":"flags"}', async () => {
    await db.prisma.flag.create({ data: testFlag('chat') });
    expect(await heard()).toEqual([{ kind: 'flags' }]);
    await db.prisma.flag.update({ where: { key: 'chat' }, data: { rolloutPercentage: 10 } });
    expect(await heard()).toEqual([{ kind: 'flags' }]);
    await db.exec(`UPDATE flags SET enabled = true WHERE key = 'chat'`);
    expect(await heard()).toEqual([{ kind: 'flags' }]);
  });

  it('tells of a workspace policy change as that workspace, whoever wrote it', async () => {
    const change = { kind: 'workspace', workspaceId };
    const key = { workspaceId_flagKey: { workspaceId, flagKey: 'search' } };
    await db.prisma.workspaceFlagPolicyEntry.create({ data: { workspaceId, flagKey: 'search', policy: 'blocked', updatedBy: 'ann@stagegate.dev' } });
    expect(await heard()).toEqual([change]);
    await db.prisma.workspaceFlagPolicyEntry.update({ where: key, data: { policy: 'enabled' } });
    expect(await heard()).toEqual([change]);
    await db.prisma.workspaceFlagPolicyEntry.delete({ where: key });
    expect(await heard()).toEqual([change]);
    await db.exec(`UPDATE workspaces SET opt_in_blocked = true WHERE id = '${workspaceId}'`);
    expect(await heard()).toEqual([change]);
    // A rename is no policy change: no member's state went stale.
    await db.prisma.workspace.update({ where: { id: workspaceId }, data: { name: 'Acme Inc' } });
    expect(await heard()).toEqual([]);
  });

  it('tells of an opt-in change as the user in that workspace', async () => {
    const change = { kind: 'user', userId, workspaceId };
    await db.prisma.betaPreference.create({ data: { userId, workspaceId, flagKey: 'search', enabled: true } });
    expect(await heard()).toEqual([change]);
    await db.prisma.betaPreference.update({ where: { userId_workspaceId_flagKey: { userId, workspaceId, flagKey: 'search' } }, data: { enabled: false } });
    expect(await heard()).toEqual([change]);
    await db.exec(`DELETE FROM beta_preferences WHERE user_id = '${userId}'`);
    expect(await heard()).toEqual([change]);
  });

  it('tells of an override change as the user, in every workspace', async () => {
    await db.prisma.userOverride.create({ data: { userId, flagKey: 'search', enabled: true, reason: 'support ticket 12', createdBy: 'admin@stagegate.dev' } });
    expect(await heard()).toEqual([{ kind: 'user', userId }]);
    await db.prisma.userOverride.delete({ where: { userId_flagKey: { userId, flagKey: 'search' } } });
    expect(await heard()).toEqual([{ kind: 'user', userId }]);
  });

  it('tells of a flag deletion, and of the user states it took with it', async () => {
    await db.prisma.betaPreference.create({ data: { userId, workspaceId, flagKey: 'search', enabled: true } });
    await heard();
    await db.prisma.flag.delete({ where: { key: 'search' } });
    expect(await heard()).toEqual(expect.arrayContaining([{ kind: 'flags' }, { kind: 'user', userId, workspaceId }]));
    await db.prisma.flag.create({ data: testFlag('search') });
  });

  it('asks for a reset when user states are truncated', async () => {
    await db.exec('TRUNCATE beta_preferences, user_overrides');
    expect(await heard()).toEqual([{ kind: 'reset' }]);
  });

  it('says nothing for a transaction that rolled back', async () => {
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.flag.update({ where: { key: 'search' }, data: { enabled: true } });
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await heard()).toEqual([]);
  });

  it('says nothing for tables that hold no flag state', async () => {
    await db.prisma.auditEntry.create({ data: { actor: 'cli', action: 'noop' } });
    await db.prisma.user.update({ where: { id: userId }, data: { name: 'Ann B.' } });
    expect(await heard()).toEqual([]);
  });
});
