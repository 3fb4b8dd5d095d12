import { createFlagClient, FlagDefinition, type FlagChange } from '@stagegate/flags-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_NAMES, type Database } from './database.js';
import { demoFlags, seedDemo, type SeedResult } from './seed.js';
import { createDatabaseSource, type DatabaseSource } from './source.js';
import { openTestDatabase, waitFor, type TestDatabase } from './testing.js';

const now = new Date('2026-11-22T12:00:00.000Z');
let db: TestDatabase;
let demo: SeedResult;
let otherWorkspaceId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  demo = await seedDemo(db, { now });
  ({ id: otherWorkspaceId } = await db.prisma.workspace.create({ data: { slug: 'other', name: 'Other' } }));
});
afterAll(() => db.close());

/** Ends the source's LISTEN connection: for real on PostgreSQL; PGlite has no connection to lose, so its drop is simulated. */
function droppable(target: TestDatabase): { db: Database; drop: () => Promise<void> } {
  if (target.kind === 'postgres') {
    return {
      db: target,
      drop: async () => {
        const killed = await target.query<{ done: boolean }>(
          `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
          [APPLICATION_NAMES.listen],
        );
        expect(killed).toEqual([{ done: true }]);
      },
    };
  }
  const drops: Array<() => void> = [];
  const wrapped: Database = {
    ...target,
    async listen(channel, onPayload, options) {
      let active = true;
      const stop = await target.listen(channel, (payload) => active && onPayload(payload), options);
      drops.push(() => {
        if (!active) return;
        active = false;
        void stop();
        options?.onLost?.(new Error('simulated drop'));
      });
      return async () => {
        active = false;
        await stop();
      };
    },
  };
  return { db: wrapped, drop: async () => drops.splice(0).forEach((drop) => drop()) };
}

describe('loading', () => {
  let source: DatabaseSource;
  beforeEach(() => {
    source = createDatabaseSource(db);
  });

  it('loads every flag in one query, as valid FlagDefinitions', async () => {
    const flags = await source.loadFlags();
    expect(flags).toEqual(demoFlags(now).sort((a, b) => a.key.localeCompare(b.key)));
    for (const flag of flags) expect(FlagDefinition.parse(flag)).toEqual(flag);
    expect(flags.find((f) => f.key === 'legacy-export')?.kill).toEqual({ reason: expect.any(String), at: expect.any(Date), by: 'editor@stagegate.dev' });
    expect(source.stats().queries).toBe(1);
  });

  it("loads one user's opt-ins in one workspace and their overrides, and the workspace's policy, in three queries", async () => {
    const userId = demo.memberId;
    const expiresAt = new Date('2027-01-01T00:00:00.000Z');
    await db.prisma.betaPreference.createMany({
      data: [
        { userId, workspaceId: demo.workspaceId, flagKey: 'auto-tagging-v2', enabled: true },
        { userId, workspaceId: demo.workspaceId, flagKey: 'internal-search', enabled: false },
        { userId, workspaceId: otherWorkspaceId, flagKey: 'global-chat-enabled', enabled: true },
      ],
    });
    await db.prisma.userOverride.create({ data: { userId, flagKey: 'process-agent', enabled: true, reason: 'design partner', expiresAt, createdBy: 'admin@stagegate.dev' } });

    expect(await source.loadUserState(userId, demo.workspaceId)).toEqual({
      optIns: { 'auto-tagging-v2': true, 'internal-search': false },
      overrides: { 'process-agent': { enabled: true, reason: 'design partner', expiresAt } },
    });
    expect(await source.loadUserState(userId, otherWorkspaceId)).toEqual({
      optIns: { 'global-chat-enabled': true },
      overrides: { 'process-agent': { enabled: true, reason: 'design partner', expiresAt } },
    });
    expect(await source.loadUserState(demo.adminId, demo.workspaceId)).toEqual({ optIns: {}, overrides: {} });
    expect(source.stats().queries).toBe(9);
    // Acme's seeded policy travels with every member's state there.
    expect(await source.loadUserState(demo.users.acmeMember, demo.acmeWorkspaceId)).toEqual({
      optIns: {},
      overrides: {},
      workspace: { optInBlocked: false, flags: { 'internal-search': 'blocked', 'global-chat-enabled': 'enabled' } },
    });
  });

  it('serves a FlagClient whose cached answers cost no query', async () => {
    const client = createFlagClient({ source, clock: () => now.getTime() });
    const ctx = { userId: demo.memberId, workspaceId: demo.workspaceId, now };
    expect(await client.evaluate('auto-tagging-v2', ctx)).toMatchObject({ enabled: true, reason: 'OPT_IN' });
    const after = source.stats().queries;
    expect(await client.evaluate('legacy-export', ctx)).toMatchObject({ enabled: false, reason: 'KILLED' });
    expect(await client.evaluate('smart-summaries', ctx)).toMatchObject({ enabled: true, reason: 'GLOBAL' });
    expect(source.stats().queries).toBe(after);
    await client.close();
  });
});

describe('subscribing', () => {
  let source: DatabaseSource;
  let drop: () => Promise<void>;
  const errors: unknown[] = [];
  const changes: FlagChange[] = [];
  let unsubscribe: () => void | Promise<void>;

  beforeAll(async () => {
    const target = droppable(db);
    drop = target.drop;
    source = createDatabaseSource(target.db, { reconnectDelayMs: 20, onError: (error) => errors.push(error) });
    unsubscribe = source.subscribe((change) => changes.push(change));
    await source.listening();
  });
  afterAll(() => source.close());
  beforeEach(() => {
    changes.length = 0;
  });

  it('passes on every kind of change the triggers report', async () => {
    await db.prisma.flag.update({ where: { key: 'phoenix-pipeline-enabled' }, data: { rolloutPercentage: 25 } });
    await waitFor(() => changes.length === 1, 5_000, 'the flags change');
    await db.prisma.betaPreference.create({ data: { userId: demo.adminId, workspaceId: demo.workspaceId, flagKey: 'internal-search', enabled: true } });
    await waitFor(() => changes.length === 2, 5_000, 'the opt-in change');
    await db.prisma.userOverride.create({ data: { userId: demo.adminId, flagKey: 'internal-search', enabled: false, reason: 'qa', createdBy: 'cli' } });
    await waitFor(() => changes.length === 3, 5_000, 'the override change');
    expect(changes).toEqual([
      { kind: 'flags' },
      { kind: 'user', userId: demo.adminId, workspaceId: demo.workspaceId },
      { kind: 'user', userId: demo.adminId },
    ]);
    expect(errors).toEqual([]);
  });

  it('stops telling a subscriber that unsubscribed, and keeps telling the others', async () => {
    const late: FlagChange[] = [];
    const stopLate = source.subscribe((change) => late.push(change));
    await db.prisma.flag.update({ where: { key: 'smart-summaries' }, data: { description: 'v2' } });
    await waitFor(() => late.length === 1 && changes.length === 1, 5_000, 'both subscribers');
    await stopLate();
    await db.prisma.flag.update({ where: { key: 'smart-summaries' }, data: { description: 'v3' } });
    await waitFor(() => changes.length === 2, 5_000, 'the remaining subscriber');
    expect(late).toEqual([{ kind: 'flags' }]);
  });

  it('listens again after the connection drops and asks subscribers to reset', async () => {
    await drop();
    await waitFor(() => changes.some((change) => change.kind === 'reset'), 10_000, 'the reset');
    expect(source.stats().reconnects).toBe(1);
    expect(errors).toHaveLength(1);
    await source.listening();
    expect(source.stats()).toMatchObject({ listening: true, lostAt: null, lastOutageMs: expect.any(Number) });

    await db.prisma.flag.update({ where: { key: 'smart-summaries' }, data: { description: 'after the drop' } });
    await waitFor(() => changes.at(-1)?.kind === 'flags', 5_000, 'a change after reconnecting');
    expect(changes).toEqual([{ kind: 'reset' }, { kind: 'flags' }]);
  });

  it('stops listening when the last subscriber leaves', async () => {
    await unsubscribe();
    await db.prisma.flag.update({ where: { key: 'smart-summaries' }, data: { description: 'unheard' } });
    const marker = createDatabaseSource(db);
    const heard: FlagChange[] = [];
    marker.subscribe((change) => heard.push(change));
    await marker.listening();
    await db.prisma.flag.update({ where: { key: 'smart-summaries' }, data: { description: 'heard by the marker' } });
    await waitFor(() => heard.length === 1, 5_000, 'the marker source');
    await marker.close();
    expect(changes).toEqual([]);
    if (db.kind === 'postgres') {
      // A closed connection's backend exits a moment after the client is gone.
      await expect.poll(() => db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [APPLICATION_NAMES.listen]), { timeout: 5_000 }).toEqual([]);
    }
  });
});
