import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testFlag } from './flags.fixtures.js';
import { openTestDatabase, type TestDatabase } from './testing.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

const killedAt = new Date('2026-02-01T00:00:00Z');

describe('CHECK constraints on flags', () => {
  it.each([
    ['rollout 0', { rolloutPercentage: 0 }],
    ['rollout 100', { rolloutPercentage: 100 }],
    ['rollout 0.1', { rolloutPercentage: 0.1 }],
    ['ttl of 1 day', { ttlDays: 1 }],
    ['version 1', { version: 1 }],
    ['a full kill switch', { killReason: 'errors', killedAt, killedBy: 'admin@stagegate.dev' }],
  ])('accepts %s', async (_, fields) => {
    const key = `ok-${Math.random().toString(36).slice(2)}`;
    await db.prisma.flag.create({ data: testFlag(key, fields) });
    expect(await db.prisma.flag.count({ where: { key } })).toBe(1);
  });

  it.each([
    ['rollout above 100', { rolloutPercentage: 100.01 }, 'flags_rollout_percentage_check'],
    ['negative rollout', { rolloutPercentage: -1 }, 'flags_rollout_percentage_check'],
    ['ttl of 0 days', { ttlDays: 0 }, 'flags_ttl_days_check'],
    ['negative ttl', { ttlDays: -5 }, 'flags_ttl_days_check'],
    ['version 0', { version: 0 }, 'flags_version_check'],
    ['a kill reason without when and by whom', { killReason: 'errors' }, 'flags_kill_switch_check'],
    ['a kill time without reason', { killedAt, killedBy: 'admin@stagegate.dev' }, 'flags_kill_switch_check'],
  ])('refuses %s', async (_, fields, constraint) => {
    await expect(db.prisma.flag.create({ data: testFlag('bad', fields) })).rejects.toThrow(constraint);
    expect(await db.prisma.flag.count({ where: { key: 'bad' } })).toBe(0);
  });

  it('refuses an update that breaks a check, from raw SQL too', async () => {
    await db.prisma.flag.create({ data: testFlag('rolling', { rolloutPercentage: 5 }) });
    await expect(db.prisma.flag.update({ where: { key: 'rolling' }, data: { rolloutPercentage: 150 } })).rejects.toThrow('flags_rollout_percentage_check');
    await expect(db.exec(`UPDATE flags SET ttl_days = 0 WHERE key = 'rolling'`)).rejects.toThrow('flags_ttl_days_check');
    await expect(db.prisma.flag.findUniqueOrThrow({ where: { key: 'rolling' } })).resolves.toMatchObject({ rolloutPercentage: 5, ttlDays: 90 });
  });
});

describe('a flag version that counts every change', () => {
  const version = async (key: string) => (await db.prisma.flag.findUniqueOrThrow({ where: { key } })).version;

  it('moves on for an edit by SQL that leaves it alone, once for a write that moves it itself, and not for a write that changes nothing', async () => {
    await db.prisma.flag.create({ data: testFlag('versioned') });
    expect(await version('versioned')).toBe(1);
    await db.exec(`UPDATE flags SET description = 'edited by hand' WHERE key = 'versioned'`);
    expect(await version('versioned')).toBe(2);
    // Stagegate's own writes increment it themselves: the trigger must not add a second step.
    await db.prisma.flag.update({ where: { key: 'versioned' }, data: { enabled: true, version: { increment: 1 } } });
    expect(await version('versioned')).toBe(3);
    await db.exec(`UPDATE flags SET description = description WHERE key = 'versioned'`);
    expect(await version('versioned')).toBe(3);
  });
});
