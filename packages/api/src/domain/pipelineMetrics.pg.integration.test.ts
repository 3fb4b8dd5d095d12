// Two API processes rolling up at once, for real: three connections to one PostgreSQL database.
// PostgreSQL pass only (PGlite has one connection, so nothing there can overlap).
import { openDatabase, type Database } from '@stagegate/db';
import { waitFor } from '@stagegate/db/testing';
import { startHarness, type Harness } from '@stagegate/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRouteTotals, rollUpRouteMetrics } from './pipelineMetrics.js';

let h: Harness;
let second: Database;
let locker: Database;
const clock = new Date('2026-12-06T09:30:00.000Z');

beforeAll(async () => {
  h = await startHarness({ now: () => clock });
  if (!h.db.url) throw new Error('this file needs PostgreSQL (STAGEGATE_TEST_PG)');
  second = await openDatabase({ url: h.db.url });
  locker = await openDatabase({ url: h.db.url });
});
afterAll(async () => {
  await locker?.close();
  await second?.close();
  await h?.close();
});

const FLAGS = ['phoenix-pipeline-enabled', 'auto-tagging-v2', 'smart-summaries', 'legacy-export'];

/** Every minute of 3 days for each flag and path, with counts that differ by minute so a lost or doubled row shows. */
async function fill() {
  await h.db.exec(`
    INSERT INTO route_metrics_minute (flag_key, path, minute, calls, errors, fallbacks, latency_buckets, latency_sum_ms)
    SELECT f, p::"RoutePath", m, 10 + (extract(minute FROM m))::int, (extract(minute FROM m))::int % 3, CASE WHEN p = 'enabled' THEN 1 ELSE 0 END,
      ARRAY[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, (extract(hour FROM m))::int]::bigint[], 1.5
    FROM unnest(ARRAY['${FLAGS.join("','")}']) AS f, unnest(ARRAY['enabled', 'disabled']) AS p,
      generate_series('2026-12-03 09:00'::timestamp, '2026-12-06 09:29'::timestamp, '1 minute') AS m`);
}

const sums = async (db: Database) =>
  db.prisma.$queryRaw<Array<Record<string, number>>>`
    SELECT (SELECT COALESCE(SUM(calls), 0) FROM route_metrics_minute)::float8 + (SELECT COALESCE(SUM(calls), 0) FROM route_metrics_hourly)::float8 AS calls,
      (SELECT COALESCE(SUM(errors), 0) FROM route_metrics_minute)::float8 + (SELECT COALESCE(SUM(errors), 0) FROM route_metrics_hourly)::float8 AS errors,
      (SELECT COALESCE(SUM(b), 0) FROM route_metrics_minute, unnest(latency_buckets) AS b)::float8 + (SELECT COALESCE(SUM(b), 0) FROM route_metrics_hourly, unnest(latency_buckets) AS b)::float8 AS buckets,
      (SELECT count(*) FROM route_metrics_minute WHERE minute < '2026-12-04 09:00')::int AS old_minutes`;

describe('rollUpRouteMetrics from two processes at once', () => {
  it('moves every minute exactly once: the sums across both tables are unchanged and every hour is whole', async () => {
    await fill();
    const [before] = await sums(h.db);
    const totalsBefore = await Promise.all(FLAGS.map((flag) => readRouteTotals(h.db, flag, new Date('2026-12-01T00:00:00.000Z'))));
    expect(before!.old_minutes).toBe(FLAGS.length * 2 * 24 * 60);

    // A third connection holds the old rows, so both rollups start, queue on its locks, and then race each other row by row.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const lock = locker.prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT 1 FROM route_metrics_minute WHERE minute < '2026-12-04 09:00' FOR UPDATE`;
        locked();
        await released;
      },
      { timeout: 60_000 },
    );
    await holding;
    const one = rollUpRouteMetrics(h.services);
    const two = rollUpRouteMetrics({ ...h.services, db: second });
    await waitFor(
      async () => {
        const [row] = await h.db.prisma.$queryRaw<Array<{ waiting: number }>>`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        return (row?.waiting ?? 0) >= 2;
      },
      10_000,
      'both rollups waiting on the held rows',
    );
    release();
    await lock;
    const [a, b] = await Promise.all([one, two]);

    expect(a.movedMinutes + b.movedMinutes).toBe(before!.old_minutes);
    const [after] = await sums(h.db);
    expect(after).toEqual({ ...before, old_minutes: 0 });
    // 24 whole hours × flags × paths, each the sum of its 60 minutes (calls 10..69 → 2,370; the last bucket 60 × the hour).
    const hours = await h.db.prisma.routeMetricsHourly.findMany();
    expect(hours).toHaveLength(24 * FLAGS.length * 2);
    for (const hour of hours) {
      expect(Number(hour.calls), hour.hour.toISOString()).toBe(2_370);
      expect(hour.latencyBuckets.map(Number)).toEqual([60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 660, 720, 60 * hour.hour.getUTCHours()]);
      expect(hour.latencySumMs).toBeCloseTo(90, 6);
    }
    expect(await Promise.all(FLAGS.map((flag) => readRouteTotals(h.db, flag, new Date('2026-12-01T00:00:00.000Z'))))).toEqual(totalsBefore);

    // Run again, twice at once, with nothing to move: nothing changes.
    const again = await Promise.all([rollUpRouteMetrics(h.services), rollUpRouteMetrics({ ...h.services, db: second })]);
    expect(again.map((run) => run.movedMinutes)).toEqual([0, 0]);
    expect((await sums(h.db))[0]).toEqual(after);
  });
});
