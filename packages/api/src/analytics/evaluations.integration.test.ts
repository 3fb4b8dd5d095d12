import { openDatabase, type Database } from '@stagegate/db';
import { openTestDatabase, type TestDatabase } from '@stagegate/db/testing';
import type { FlagResolution } from '@stagegate/flags-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEvaluationCounter } from './evaluations.js';

const on = (key: string): FlagResolution => ({ key, enabled: true, reason: 'GLOBAL', stage: 'ga' });
const off = (key: string): FlagResolution => ({ key, enabled: false, reason: 'DEFAULT', stage: 'ga' });

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.exec('DELETE FROM flag_evaluations_daily');
});

async function rows(target: Database = db) {
  const found = await target.prisma.flagEvaluationDaily.findMany({ orderBy: [{ day: 'asc' }, { flagKey: 'asc' }] });
  return found.map((row) => ({ flagKey: row.flagKey, day: row.day.toISOString().slice(0, 10), evaluations: row.evaluations, enabledCount: row.enabledCount }));
}

describe('createEvaluationCounter', () => {
  it('counts per flag and UTC day and adds to what is stored on each flush', async () => {
    let clock = new Date('2026-03-01T23:59:59.000Z');
    const counter = createEvaluationCounter(db, () => clock, { flushIntervalMs: 0 });
    counter.record(on('a'));
    counter.record(off('a'));
    counter.record(on('b'));
    clock = new Date('2026-03-02T00:00:00.000Z');
    counter.record(on('a'));
    await counter.flush();
    expect(await rows()).toEqual([
      { flagKey: 'a', day: '2026-03-01', evaluations: 2, enabledCount: 1 },
      { flagKey: 'b', day: '2026-03-01', evaluations: 1, enabledCount: 1 },
      { flagKey: 'a', day: '2026-03-02', evaluations: 1, enabledCount: 1 },
    ]);

    counter.record(off('a'));
    counter.record(on('a'));
    await counter.flush();
    await counter.flush();
    expect(await rows()).toEqual([
      { flagKey: 'a', day: '2026-03-01', evaluations: 2, enabledCount: 1 },
      { flagKey: 'b', day: '2026-03-01', evaluations: 1, enabledCount: 1 },
      { flagKey: 'a', day: '2026-03-02', evaluations: 3, enabledCount: 2 },
    ]);
  });

  it('keeps running totals by flag, reason and result across days and flushes (what /metrics exposes)', async () => {
    let clock = new Date('2026-03-01T23:59:59.000Z');
    const counter = createEvaluationCounter(db, () => clock, { flushIntervalMs: 0 });
    const shared = on('a');
    counter.record(shared);
    counter.record(shared);
    counter.record(off('a'));
    counter.record({ key: 'a', enabled: true, reason: 'OPT_IN', stage: 'beta' });
    counter.record({ key: 'ghost', enabled: false, reason: 'FLAG_NOT_FOUND', stage: null });
    await counter.flush();
    clock = new Date('2026-03-02T00:00:01.000Z');
    counter.record(shared);
    counter.recordAll([off('a'), off('b')]);
    const byKey = Object.fromEntries(counter.totals().map((total) => [`${total.flag} ${total.reason} ${total.enabled ? 'on' : 'off'}`, total.count]));
    expect(byKey).toEqual({ 'a GLOBAL on': 3, 'a DEFAULT off': 2, 'a OPT_IN on': 1, 'b DEFAULT off': 1 });
  });

  it('does not count keys that name no flag', async () => {
    const counter = createEvaluationCounter(db, () => new Date('2026-03-01T12:00:00Z'), { flushIntervalMs: 0 });
    counter.record({ key: 'no-such-flag', enabled: false, reason: 'FLAG_NOT_FOUND', stage: null });
    counter.record(off('real'));
    await counter.flush();
    expect((await rows()).map((row) => row.flagKey)).toEqual(['real']);
  });

  it('recordAll counts a list as record() would each, with one clock read', async () => {
    let reads = 0;
    const counter = createEvaluationCounter(db, () => (reads++, new Date('2026-03-01T12:00:00Z')), { flushIntervalMs: 0 });
    counter.recordAll([on('a'), off('a'), on('b'), { key: 'no-such-flag', enabled: false, reason: 'FLAG_NOT_FOUND', stage: null }]);
    expect(reads).toBe(1);
    await counter.flush();
    expect(await rows()).toEqual([
      { flagKey: 'a', day: '2026-03-01', evaluations: 2, enabledCount: 1 },
      { flagKey: 'b', day: '2026-03-01', evaluations: 1, enabledCount: 1 },
    ]);
    expect(counter.totals().find((total) => total.flag === 'a' && total.reason === 'GLOBAL')?.count).toBe(1);
  });

  it('recordAll of one list served again and again counts it each time, on the day it was served', async () => {
    let clock = new Date('2026-03-01T23:59:59.000Z');
    const counter = createEvaluationCounter(db, () => clock, { flushIntervalMs: 0 });
    const list = [on('a'), off('b')];
    for (let i = 0; i < 1_000; i++) counter.recordAll(list);
    clock = new Date('2026-03-02T00:00:01.000Z');
    counter.recordAll(list);
    counter.record(on('a'));
    expect(counter.totals().filter((total) => total.flag === 'a')).toEqual([{ flag: 'a', reason: 'GLOBAL', enabled: true, count: 1_002 }]);
    await counter.flush();
    expect(await rows()).toEqual([
      { flagKey: 'a', day: '2026-03-01', evaluations: 1_000, enabledCount: 1_000 },
      { flagKey: 'b', day: '2026-03-01', evaluations: 1_000, enabledCount: 0 },
      { flagKey: 'a', day: '2026-03-02', evaluations: 2, enabledCount: 2 },
      { flagKey: 'b', day: '2026-03-02', evaluations: 1, enabledCount: 0 },
    ]);
  });

  it('sums up when two processes flush into one database at the same time', async () => {
    // On PostgreSQL the second counter gets connections of its own, like a second API process.
    const second = db.url ? await openDatabase({ url: db.url }) : db;
    try {
      const now = () => new Date('2026-03-01T12:00:00Z');
      const a = createEvaluationCounter(db, now, { flushIntervalMs: 0 });
      const b = createEvaluationCounter(second, now, { flushIntervalMs: 0 });
      const rounds = 20;
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < 50; i++) {
          a.record(on('shared'));
          b.record(i % 2 ? on('shared') : off('shared'));
        }
        await Promise.all([a.flush(), b.flush()]);
      }
      expect(await rows()).toEqual([{ flagKey: 'shared', day: '2026-03-01', evaluations: rounds * 100, enabledCount: rounds * 75 }]);
    } finally {
      if (second !== db) await second.close();
    }
  });

  it('keeps the counts of a failed flush for the next one', async () => {
    const counter = createEvaluationCounter(db, () => new Date('2026-03-01T12:00:00Z'), { flushIntervalMs: 0 });
    counter.record(on('kept'));
    await db.exec('ALTER TABLE flag_evaluations_daily RENAME TO flag_evaluations_daily_away');
    try {
      await expect(counter.flush()).rejects.toThrow();
    } finally {
      await db.exec('ALTER TABLE flag_evaluations_daily_away RENAME TO flag_evaluations_daily');
    }
    counter.record(on('kept'));
    await counter.flush();
    expect(await rows()).toEqual([{ flagKey: 'kept', day: '2026-03-01', evaluations: 2, enabledCount: 2 }]);
  });

  it('flushes in the background, and what is left on close', async () => {
    const counter = createEvaluationCounter(db, () => new Date('2026-03-01T12:00:00Z'), { flushIntervalMs: 50 });
    counter.record(on('background'));
    const deadline = Date.now() + 3_000;
    while ((await rows()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await rows()).toEqual([{ flagKey: 'background', day: '2026-03-01', evaluations: 1, enabledCount: 1 }]);

    counter.record(off('background'));
    await counter.close();
    expect(await rows()).toEqual([{ flagKey: 'background', day: '2026-03-01', evaluations: 2, enabledCount: 1 }]);
  });

  it('records a million evaluations cheaply (hot path) and flushes them as one sum per flag', async () => {
    const counter = createEvaluationCounter(db, () => new Date('2026-03-01T12:00:00Z'), { flushIntervalMs: 0 });
    const resolutions = Array.from({ length: 16 }, (_, i) => (i % 2 ? on(`flag-${i}`) : off(`flag-${i}`)));
    const started = performance.now();
    for (let i = 0; i < 1_000_000; i++) counter.record(resolutions[i & 15] as FlagResolution);
    // ~0.3 µs each here; the bound leaves room for a loaded CI machine and still catches a per-call scan or query.
    expect(performance.now() - started).toBeLessThan(3_000);
    await counter.flush();
    expect(await rows()).toHaveLength(16);
    expect((await rows()).reduce((sum, row) => sum + row.evaluations, 0)).toBe(1_000_000);
  });
});
