import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database.js';
import { testFlag } from './flags.fixtures.js';
import { openTestDatabase, type TestDatabase } from './testing.js';

// The priority lane: a kill must commit while the main pool is busy with user traffic (the issue saw a
// kill sent 1 s into 2,000 toggles return after 4.5 s). PostgreSQL only: PGlite is one backend for all.
// Asserted by order, not by milliseconds: what commits while the main pool's work is still running
// did not wait for it, however loaded the machine is.

const POOL_SIZE = 4;
let test: TestDatabase;
let db: Database;
let userId: string;
let workspaceId: string;

beforeAll(async () => {
  test = await openTestDatabase();
  db = await openDatabase({ url: test.url, poolSize: POOL_SIZE });
  await test.prisma.flag.createMany({ data: [testFlag('auto-tagging-v2'), testFlag('checkout-v2')] });
  ({ id: userId } = await test.prisma.user.create({ data: { email: 'ann@stagegate.dev', name: 'Ann' } }));
  ({ id: workspaceId } = await test.prisma.workspace.create({ data: { slug: 'acme', name: 'Acme' } }));
  // Both clients are warm (engine loaded, a connection open), as in a server that has been running a while.
  await Promise.all([db.prisma.$queryRaw`SELECT 1`, db.priority.$queryRaw`SELECT 1`]);
});
afterAll(async () => {
  await db.close();
  await test.close();
});

const kill = (client: Database['prisma'], reason: string) =>
  client.flag.update({ where: { key: 'auto-tagging-v2' }, data: { killReason: reason, killedAt: new Date(), killedBy: 'ops@stagegate.dev', version: { increment: 1 } } });


describe('db.priority', () => {
  it('commits a kill while every main connection is held by a slow query', async () => {
    // Promise.all starts them: Prisma's queries are lazy until awaited.
    let slowFinished = 0;
    const slow = Promise.all(Array.from({ length: POOL_SIZE }, () => db.prisma.$executeRaw`SELECT pg_sleep(1.5)`.then(() => slowFinished++)));
    const sleeping = `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep%' AND state = 'active'`;
    await expect.poll(async () => (await test.query(sleeping)).length, { timeout: 5_000 }).toBe(POOL_SIZE);

    await kill(db.priority, 'error spike');
    const slowFinishedAtPriorityCommit = slowFinished;
    await kill(db.prisma, 'queued behind the burst');
    const slowFinishedAtMainCommit = slowFinished;
    await slow;

    expect(slowFinishedAtPriorityCommit).toBe(0);
    // The same write on the main pool waits for a slow query to free a connection: what the lane is for.
    expect(slowFinishedAtMainCommit).toBeGreaterThan(0);
  });

  it('commits a kill sent mid-burst of 2,000 opt-in toggles ahead of the toggles queued before it', async () => {
    let settled = 0;
    // Sent at a point in the burst, not after a fixed second: with fsync off a whole burst takes < 1 s.
    let tenthSettled!: () => void;
    const underway = new Promise<void>((resolve) => (tenthSettled = resolve));
    const toggles = Array.from({ length: 2_000 }, (_, i) =>
      db.prisma.betaPreference
        .upsert({
          where: { userId_workspaceId_flagKey: { userId, workspaceId, flagKey: 'checkout-v2' } },
          create: { userId, workspaceId, flagKey: 'checkout-v2', enabled: i % 2 === 0 },
          update: { enabled: i % 2 === 0 },
        })
        .then(() => {
          if (++settled === 200) tenthSettled();
        }),
    );
    const burst = Promise.all(toggles);
    await underway;

    const pendingAtSend = toggles.length - settled;
    await kill(db.priority, 'error spike');
    const pendingAtCommit = toggles.length - settled;
    await burst;
    console.log(`kill sent with ${pendingAtSend} toggles pending; committed with ${pendingAtCommit} still pending`);

    // Otherwise the burst was too quick to prove anything.
    expect(pendingAtSend).toBeGreaterThan(0);
    // Queued behind them, it would commit only after every toggle sent before it.
    expect(pendingAtCommit).toBeGreaterThan(0);
    await expect(test.prisma.flag.findUniqueOrThrow({ where: { key: 'auto-tagging-v2' } })).resolves.toMatchObject({ killReason: 'error spike' });
  });
});
