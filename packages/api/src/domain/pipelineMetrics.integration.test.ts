import { expectCode, startHarness, type Harness } from '@stagegate/api/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flagHealth } from './pipelineHealth.js';
import { pathCounts, reportOf, routed } from './pipelineMetrics.fixtures.js';
import { ingestMetricsReport, readRouteTotals, rollUpRouteMetrics } from './pipelineMetrics.js';

const FLAG = 'phoenix-pipeline-enabled';
const OTHER = 'auto-tagging-v2';
const MIN = 60_000;
const HOUR = 3_600_000;

let h: Harness;
let clock = new Date('2026-12-02T12:00:30.000Z');
const setClock = (iso: string) => (clock = new Date(iso));

beforeAll(async () => {
  h = await startHarness({ now: () => clock });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.db.exec('DELETE FROM route_metrics_minute; DELETE FROM route_metrics_hourly; DELETE FROM flag_evaluations_daily');
  setClock('2026-12-02T12:00:30.000Z');
});

async function minuteRows() {
  const rows = await h.db.prisma.routeMetricsMinute.findMany({ orderBy: [{ flagKey: 'asc' }, { minute: 'asc' }, { path: 'asc' }] });
  return rows.map((row) => ({ flag: row.flagKey, path: row.path, minute: row.minute.toISOString(), calls: Number(row.calls), errors: Number(row.errors), fallbacks: Number(row.fallbacks), buckets: row.latencyBuckets.map(Number), sumMs: row.latencySumMs }));
}
async function hourRows() {
  const rows = await h.db.prisma.routeMetricsHourly.findMany({ orderBy: [{ flagKey: 'asc' }, { hour: 'asc' }, { path: 'asc' }] });
  return rows.map((row) => ({ flag: row.flagKey, path: row.path, hour: row.hour.toISOString(), calls: Number(row.calls), errors: Number(row.errors), fallbacks: Number(row.fallbacks), buckets: row.latencyBuckets.map(Number), sumMs: row.latencySumMs }));
}
const counterValue = async (name: string, labels: Record<string, string>) => {
  const metric = await h.services.metrics.registry.getSingleMetric(name)!.get();
  return metric.values.find((value) => Object.entries(labels).every(([k, v]) => value.labels[k] === v))?.value ?? 0;
};

describe('ingestMetricsReport', () => {
  it('places each window at the server clock by its age, whatever the client clock says, and a future one at now', async () => {
    // The client's clock runs 3 h 17 min ahead of the server's.
    const clientNow = new Date(clock.getTime() + 3 * HOUR + 17 * MIN);
    const result = await ingestMetricsReport(
      h.services,
      reportOf(clientNow, [
        { endsAgoMs: 90_000, flags: [routed(FLAG, pathCounts(10, 1), pathCounts(5, 0))] },
        { endsAgoMs: 35_000, flags: [routed(FLAG, pathCounts(4, 0), pathCounts(0, 0))] },
        { endsAgoMs: -600_000, flags: [routed(FLAG, pathCounts(2, 2, 12, 20_000), pathCounts(2, 0), 2)] },
      ]),
    );
    expect(result).toEqual({ accepted: 3, ignoredWindows: 0, flags: 1, ignoredFlags: 0 });
    const buckets = (at: number, n: number) => Object.assign(new Array<number>(13).fill(0), { [at]: n });
    // 12:00:30 − 90 s = 11:59:00; − 35 s = 11:59:55 (same minute, added); the future one: 12:00.
    expect(await minuteRows()).toEqual([
      { flag: FLAG, path: 'enabled', minute: '2026-12-02T11:59:00.000Z', calls: 14, errors: 1, fallbacks: 0, buckets: buckets(2, 14), sumMs: 98 },
      { flag: FLAG, path: 'disabled', minute: '2026-12-02T11:59:00.000Z', calls: 5, errors: 0, fallbacks: 0, buckets: buckets(2, 5), sumMs: 35 },
      { flag: FLAG, path: 'enabled', minute: '2026-12-02T12:00:00.000Z', calls: 2, errors: 2, fallbacks: 2, buckets: buckets(12, 2), sumMs: 40_000 },
      { flag: FLAG, path: 'disabled', minute: '2026-12-02T12:00:00.000Z', calls: 2, errors: 0, fallbacks: 0, buckets: buckets(2, 2), sumMs: 14 },
    ]);
  });

  it('ignores windows older than the minute rows are kept (48 h), and flags the server does not know, counting both', async () => {
    const result = await ingestMetricsReport(
      h.services,
      reportOf(clock, [
        { endsAgoMs: 48 * HOUR + MIN, flags: [routed(FLAG, pathCounts(100, 0), pathCounts(0, 0))] },
        { endsAgoMs: 0, flags: [routed('no-such-flag', pathCounts(7, 0), pathCounts(0, 0)), routed('made-up', pathCounts(1, 0), pathCounts(0, 0)), routed(OTHER, pathCounts(3, 0), pathCounts(1, 0))] },
      ]),
    );
    expect(result).toEqual({ accepted: 1, ignoredWindows: 1, flags: 1, ignoredFlags: 2 });
    expect((await minuteRows()).map((row) => [row.flag, row.path, row.calls])).toEqual([
      [OTHER, 'enabled', 3],
      [OTHER, 'disabled', 1],
    ]);
  });

  it('adds concurrent reports of the same minute together (one atomic upsert each, no read-modify-write)', async () => {
    const reports = Array.from({ length: 8 }, (_, i) => reportOf(clock, [{ endsAgoMs: 1_000, flags: [routed(FLAG, pathCounts(10 + i, i), pathCounts(3, 1), 1)] }]));
    await Promise.all(reports.map((report) => ingestMetricsReport(h.services, report)));
    const rows = await minuteRows();
    expect(rows.map((row) => [row.path, row.calls, row.errors, row.fallbacks, row.buckets[2]])).toEqual([
      ['enabled', 8 * 10 + 28, 28, 8, 108],
      ['disabled', 24, 8, 0, 24],
    ]);
  });

  it('adds SDK evaluations to flag_evaluations_daily on the server day, and counts everything in Prometheus', async () => {
    setClock('2026-12-03T00:00:10.000Z');
    const before = await counterValue('stagegate_route_calls_total', { flag: OTHER, path: 'enabled' });
    await h.db.prisma.flagEvaluationDaily.create({ data: { flagKey: OTHER, day: new Date('2026-12-02'), evaluations: 5, enabledCount: 1 } });
    await ingestMetricsReport(
      h.services,
      reportOf(
        clock,
        [
          // 11 s before midnight (server), and after it.
          { endsAgoMs: 21_000, flags: [{ key: OTHER, evaluations: [{ reason: 'ROLLOUT', enabled: true, count: 6 }, { reason: 'DEFAULT', enabled: false, count: 4 }] }] },
          { endsAgoMs: 0, flags: [{ key: OTHER, evaluations: [{ reason: 'ROLLOUT', enabled: true, count: 2 }], route: { enabled: pathCounts(2, 1), disabled: pathCounts(0, 0), fallbacks: 1 } }] },
        ],
        { windows: 2, evaluations: 30, routeCalls: 4 },
      ),
    );
    const days = await h.db.prisma.flagEvaluationDaily.findMany({ where: { flagKey: OTHER }, orderBy: { day: 'asc' } });
    expect(days.map((row) => [row.day.toISOString().slice(0, 10), row.evaluations, row.enabledCount])).toEqual([
      ['2026-12-02', 15, 7],
      ['2026-12-03', 2, 2],
    ]);
    expect(await counterValue('stagegate_route_calls_total', { flag: OTHER, path: 'enabled' })).toBe(before + 2);
    expect(await counterValue('stagegate_route_errors_total', { flag: OTHER, path: 'enabled' })).toBeGreaterThanOrEqual(1);
    expect(await counterValue('stagegate_sdk_evaluations_total', { flag: OTHER, reason: 'ROLLOUT', result: 'enabled' })).toBeGreaterThanOrEqual(8);
    expect(await counterValue('stagegate_sdk_telemetry_dropped_total', { kind: 'evaluations' })).toBeGreaterThanOrEqual(30);
  });

  it('refuses counts that add up past what a number holds exactly, storing nothing', async () => {
    const huge = pathCounts(Number.MAX_SAFE_INTEGER, 0, 2, 0);
    await expect(ingestMetricsReport(h.services, reportOf(clock, [{ endsAgoMs: 0, flags: [routed(FLAG, huge, pathCounts(0, 0))] }, { endsAgoMs: 1, flags: [routed(FLAG, huge, pathCounts(0, 0))] }]))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await minuteRows()).toEqual([]);
  });
});

describe('rollUpRouteMetrics and readRouteTotals', () => {
  /** Calls over three days: one report per 10 minutes, each with its own latency bucket. */
  async function ingestDays() {
    const end = new Date('2026-12-04T12:00:30.000Z').getTime();
    let expected = { calls: 0, errors: 0, disabled: 0, fallbacks: 0, buckets: new Array<number>(13).fill(0) };
    for (let t = end - 47 * HOUR; t <= end; t += 10 * MIN) {
      setClock(new Date(t).toISOString());
      const i = Math.floor(t / (10 * MIN)) % 13;
      await ingestMetricsReport(h.services, reportOf(clock, [{ endsAgoMs: 0, flags: [routed(FLAG, pathCounts(3, 1, i), pathCounts(2, 0), 1)] }]));
      expected = { calls: expected.calls + 3, errors: expected.errors + 1, disabled: expected.disabled + 2, fallbacks: expected.fallbacks + 1, buckets: expected.buckets.map((n, b) => (b === i ? n + 3 : n)) };
    }
    return expected;
  }

  it('moves minutes older than 48 h into hours with histograms summed exactly, is idempotent, and totals stay the same across both tables', async () => {
    const expected = await ingestDays();
    const since = new Date('2026-12-01T00:00:00.000Z');
    const before = await readRouteTotals(h.db, FLAG, since);
    expect(before.enabled).toMatchObject({ calls: expected.calls, errors: expected.errors, latencyMs: expected.buckets });
    expect(before.disabled.calls).toBe(expected.disabled);
    expect(before.fallbacks).toBe(expected.fallbacks);
    expect(before.enabled.errorRate).toBeCloseTo(1 / 3, 10);

    // Two days on, all but the last few hours are older than 48 h.
    setClock('2026-12-06T09:30:00.000Z');
    const minutesBefore = (await minuteRows()).length;
    const first = await rollUpRouteMetrics(h.services);
    const cutoff = new Date('2026-12-04T09:00:00.000Z');
    const left = await minuteRows();
    expect(left.every((row) => row.minute >= cutoff.toISOString())).toBe(true);
    expect(first.movedMinutes).toBe(minutesBefore - left.length);
    const hours = await hourRows();
    expect(hours.every((row) => row.hour < cutoff.toISOString() && row.hour.endsWith(':00:00.000Z'))).toBe(true);
    expect(first.hours).toBe(hours.length);
    expect(await readRouteTotals(h.db, FLAG, since)).toEqual(before);

    const second = await rollUpRouteMetrics(h.services);
    expect(second).toEqual({ movedMinutes: 0, hours: 0, deletedHours: 0 });
    expect(await readRouteTotals(h.db, FLAG, since)).toEqual(before);

    // A range: minutes and hours together, each hour counted when it starts inside it.
    const ranged = await readRouteTotals(h.db, FLAG, new Date('2026-12-04T08:00:00.000Z'), new Date('2026-12-04T10:00:00.000Z'));
    expect(ranged.enabled.calls).toBe(2 * 6 * 3);
    expect(ranged.fallbacks).toBe(12);
    expect((await readRouteTotals(h.db, OTHER, since)).enabled).toEqual({ calls: 0, errors: 0, errorRate: 0, latencyMs: new Array<number>(13).fill(0), latencySumMs: 0 });
  });

  it('adds minutes that arrive late into the hour already rolled up', async () => {
    setClock('2026-12-02T12:00:30.000Z');
    await ingestMetricsReport(h.services, reportOf(clock, [{ endsAgoMs: 0, flags: [routed(FLAG, pathCounts(5, 1, 3), pathCounts(0, 0))] }]));
    setClock('2026-12-04T13:10:00.000Z');
    await rollUpRouteMetrics(h.services);
    // Another process still held a minute of 12:00 when the first rollup ran.
    await h.db.exec(`INSERT INTO route_metrics_minute (flag_key, path, minute, calls, errors, fallbacks, latency_buckets, latency_sum_ms) VALUES ('${FLAG}', 'enabled', '2026-12-02 12:59:00', 2, 0, 0, '{0,0,0,2,0,0,0,0,0,0,0,0,0}', 10)`);
    await rollUpRouteMetrics(h.services);
    expect(await hourRows()).toEqual([{ flag: FLAG, path: 'enabled', hour: '2026-12-02T12:00:00.000Z', calls: 7, errors: 1, fallbacks: 0, buckets: [0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0], sumMs: 45 }]);
  });

  it('deletes hours past the retention', async () => {
    await ingestMetricsReport(h.services, reportOf(clock, [{ endsAgoMs: 0, flags: [routed(FLAG, pathCounts(5, 0), pathCounts(1, 0))] }]));
    setClock('2026-12-10T00:00:00.000Z');
    await rollUpRouteMetrics(h.services, { retentionDays: 30 });
    expect(await hourRows()).toHaveLength(2);
    setClock('2027-01-01T13:00:00.000Z');
    expect(await rollUpRouteMetrics(h.services, { retentionDays: 30 })).toEqual({ movedMinutes: 0, hours: 0, deletedHours: 2 });
    expect(await hourRows()).toEqual([]);
    await expect(rollUpRouteMetrics(h.services, { rollupAfterHours: 24 * 30, retentionDays: 30 })).rejects.toThrow(/below the retention/);
  });
});

describe('flagHealth', () => {
  it('gives a per-minute series up to 6 h with rates, fallbacks, percentiles and each path’s share', async () => {
    // 100 calls decided: 40 new path (10 failed, answered by legacy), 60 legacy; 3 minutes apart.
    await ingestMetricsReport(h.services, reportOf(clock, [{ endsAgoMs: 3 * MIN, flags: [routed(FLAG, pathCounts(20, 0, 2), pathCounts(30, 0, 5))] }]));
    await ingestMetricsReport(h.services, reportOf(clock, [{ endsAgoMs: 0, flags: [routed(FLAG, pathCounts(20, 10, 4), pathCounts(40, 0, 5), 10)] }]));
    const health = await h.viewer.admin.flags.health({ key: FLAG, hours: 1 });
    expect(health).toMatchObject({ key: FLAG, bucket: 'minute', since: '2026-12-02T11:01:00.000Z', until: '2026-12-02T12:01:00.000Z' });
    expect(health.series).toHaveLength(60);
    expect(health.series.at(-1)).toEqual({
      at: '2026-12-02T12:00:00.000Z',
      enabled: { calls: 20, errors: 10, errorRate: 0.5, p50Ms: 37.5, p95Ms: 48.75 },
      disabled: { calls: 40, errors: 0, errorRate: 0, p50Ms: 75, p95Ms: 97.5 },
      fallbacks: 10,
    });
    expect(health.series.at(-4)?.enabled).toEqual({ calls: 20, errors: 0, errorRate: 0, p50Ms: 7.5, p95Ms: 9.75 });
    expect(health.series.at(-2)).toMatchObject({ enabled: { calls: 0, errorRate: null, p50Ms: null }, fallbacks: 0 });
    expect(health.totals).toEqual({
      enabled: { calls: 40, errors: 10, errorRate: 0.25, p50Ms: 10, p95Ms: 47.5, share: 0.4 },
      disabled: { calls: 70, errors: 0, errorRate: 0, p50Ms: 75, p95Ms: 97.5, share: 0.6 },
      fallbacks: 10,
    });
  });

  it('gives hours beyond 6 h, from minute rows and rolled-up hours alike', async () => {
    await ingestMetricsReport(h.services, reportOf(clock, [{ endsAgoMs: 0, flags: [routed(FLAG, pathCounts(8, 2), pathCounts(0, 0))] }]));
    setClock('2026-12-04T13:30:00.000Z');
    await rollUpRouteMetrics(h.services);
    await ingestMetricsReport(h.services, reportOf(clock, [{ endsAgoMs: 0, flags: [routed(FLAG, pathCounts(4, 0), pathCounts(0, 0))] }]));
    const health = await flagHealth(h.services, { key: FLAG, hours: 72 });
    expect(health.bucket).toBe('hour');
    expect(health.series).toHaveLength(72);
    expect(health.series.filter((point) => point.enabled.calls > 0).map((point) => [point.at, point.enabled.calls, point.enabled.errors])).toEqual([
      ['2026-12-02T12:00:00.000Z', 8, 2],
      ['2026-12-04T13:00:00.000Z', 4, 0],
    ]);
    expect(health.totals.enabled).toMatchObject({ calls: 12, errors: 2, share: 1 });
    expect(health.totals.disabled.share).toBe(0);
  });

  it('answers FLAG_NOT_FOUND for a flag that does not exist', async () => {
    await expectCode(h.viewer.admin.flags.health({ key: 'no-such-flag', hours: 1 }), 'FLAG_NOT_FOUND', 404);
  });
});
