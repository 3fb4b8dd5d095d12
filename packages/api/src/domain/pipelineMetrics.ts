/**
 * route() telemetry from SDKs, stored per flag × path × minute (route_metrics_minute), rolled up to
 * hours (route_metrics_hourly) and deleted past the retention. Every write adds with one atomic
 * statement (INSERT … ON CONFLICT DO UPDATE, or a DELETE … RETURNING moved into an upsert), never a
 * read-modify-write, so any number of API processes ingest and roll up at once without losing or
 * double-counting a call. Each minute's counts live in exactly one of the two tables at any time.
 */
import { Prisma, type Database } from '@stagegate/db';
import { LATENCY_BUCKETS_MS, type FlagSetView, type MetricsReport, type PathMetrics } from '@stagegate/flags-core';
import { DomainError } from '../contract/errors.js';
import type { Services } from '../services.js';
import { inStatement, sqlTimestamp, type Tx } from './transaction.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Minute rows older than this move to hours; ingest refuses windows older than it (a window that old is a client's bug, not a late report: the SDK keeps at most 90 × 20 s). */
export const ROLLUP_AFTER_HOURS = 48;
export const DEFAULT_RETENTION_DAYS = 90;
const BUCKETS = LATENCY_BUCKETS_MS.length + 1;

/** STAGEGATE_METRICS_RETENTION_DAYS (default 90): how long hourly route() metrics are kept. */
export function metricsRetentionDays(env: Record<string, string | undefined> = process.env): number {
  const raw = env.STAGEGATE_METRICS_RETENTION_DAYS?.trim();
  if (!raw) return DEFAULT_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 3 || days > 3_650) throw new Error(`STAGEGATE_METRICS_RETENTION_DAYS must be a whole number of days from 3 to 3650, not "${raw}"`);
  return days;
}


/** Keys of a flag set, built once per set (the set is frozen until a load brings different flags). */
const keysOf = new WeakMap<FlagSetView, ReadonlySet<string>>();
function knownKeys(set: FlagSetView): ReadonlySet<string> {
  let keys = keysOf.get(set);
  if (keys === undefined) keysOf.set(set, (keys = new Set(set.definitions.map((flag) => flag.key))));
  return keys;
}

interface RouteRow {
  flag_key: string;
  path: 'enabled' | 'disabled';
  minute: string;
  calls: number;
  errors: number;
  fallbacks: number;
  latency: number[];
  sum_ms: number;
}

export interface IngestResult {
  /** Windows stored (placed within the last ROLLUP_AFTER_HOURS). */
  accepted: number;
  /** Windows older than that, left out. */
  ignoredWindows: number;
  /** Distinct known flags the report counted. */
  flags: number;
  /** Distinct keys the server does not know, left out (an SDK must not grow the tables with made-up keys). */
  ignoredFlags: number;
}

const safe = (value: number, what: string) => {
  if (!Number.isSafeInteger(value)) throw new DomainError('VALIDATION_FAILED', `${what}: the report's counts add up past ${Number.MAX_SAFE_INTEGER}`);
  return value;
};

/**
 * Adds one SDK report: route() counts per flag × path × minute and evaluation counts per flag × day
 * (flag_evaluations_daily, so the dashboard's evaluations chart includes services), in ONE
 * statement, so a report is stored whole or not at all and the SDK's retry after a failure cannot
 * count half of it twice. Each window is placed at the server's clock by its age
 * (`now − (sentAt − end)`), so the SDK's clock skew does not matter; a window from the future is
 * placed now. Unknown flags cost no query: the FlagClient's flag set says what exists.
 */
export async function ingestMetricsReport(services: Services, report: MetricsReport): Promise<IngestResult> {
  const set = await services.flags.flagSet();
  if (set?.from !== 'source') throw new DomainError('BUSY', 'Flag definitions are not loaded yet: retry in a moment', { retryAfterSeconds: 1 });
  const known = knownKeys(set);
  const now = services.now().getTime();
  const oldest = now - ROLLUP_AFTER_HOURS * HOUR_MS;
  const sentAt = report.sentAt.getTime();

  const routes = new Map<string, RouteRow>();
  const evaluations = new Map<string, { flag_key: string; day: string; evaluations: number; enabled: number }>();
  const byReason = new Map<string, { flag: string; reason: string; result: string; count: number }>();
  const seen = new Set<string>();
  const unknown = new Set<string>();
  let accepted = 0;
  let ignoredWindows = 0;

  const addPath = (flag: string, path: 'enabled' | 'disabled', minute: string, counts: PathMetrics, fallbacks: number) => {
    if (counts.calls === 0 && fallbacks === 0) return;
    const id = `${flag}\u0000${path}\u0000${minute}`;
    let row = routes.get(id);
    if (row === undefined) routes.set(id, (row = { flag_key: flag, path, minute, calls: 0, errors: 0, fallbacks: 0, latency: new Array<number>(BUCKETS).fill(0), sum_ms: 0 }));
    row.calls = safe(row.calls + counts.calls, 'calls');
    row.errors = safe(row.errors + counts.errors, 'errors');
    row.fallbacks = safe(row.fallbacks + fallbacks, 'fallbacks');
    for (let i = 0; i < BUCKETS; i++) row.latency[i] = safe(row.latency[i]! + counts.latencyMs[i]!, 'latencyMs');
    row.sum_ms += counts.latencySumMs;
  };

  for (const window of report.windows) {
    const placed = Math.min(now, now - (sentAt - window.end.getTime()));
    if (placed < oldest) {
      ignoredWindows++;
      continue;
    }
    accepted++;
    const minuteMs = placed - (((placed % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
    const minute = new Date(minuteMs).toISOString();
    const day = minute.slice(0, 10);
    for (const flag of window.flags) {
      if (!known.has(flag.key)) {
        unknown.add(flag.key);
        continue;
      }
      seen.add(flag.key);
      for (const { reason, enabled, count } of flag.evaluations) {
        if (count === 0) continue;
        const id = `${flag.key}\u0000${day}`;
        let daily = evaluations.get(id);
        if (daily === undefined) evaluations.set(id, (daily = { flag_key: flag.key, day, evaluations: 0, enabled: 0 }));
        daily.evaluations = safe(daily.evaluations + count, 'evaluations');
        if (enabled) daily.enabled += count;
        const result = enabled ? 'enabled' : 'disabled';
        const labels = `${flag.key}\u0000${reason}\u0000${result}`;
        const counter = byReason.get(labels);
        if (counter === undefined) byReason.set(labels, { flag: flag.key, reason, result, count });
        else counter.count += count;
      }
      if (flag.route !== undefined) {
        // Fallbacks belong to the new path (its failures the legacy path answered): counted on the enabled row.
        addPath(flag.key, 'enabled', minute, flag.route.enabled, flag.route.fallbacks);
        addPath(flag.key, 'disabled', minute, flag.route.disabled, 0);
      }
    }
  }

  const routeRows = [...routes.values()];
  const dailyRows = [...evaluations.values()];
  if (routeRows.length > 0 || dailyRows.length > 0) {
    await inStatement(
      services,
      () => services.db.prisma.$queryRaw`
        WITH added_routes AS (
          INSERT INTO route_metrics_minute AS m (flag_key, path, minute, calls, errors, fallbacks, latency_buckets, latency_sum_ms)
          SELECT r.flag_key, r.path, r.minute, r.calls, r.errors, r.fallbacks, r.latency, r.sum_ms
          FROM jsonb_to_recordset(${JSON.stringify(routeRows)}::jsonb)
            AS r(flag_key text, path "RoutePath", minute timestamp, calls bigint, errors bigint, fallbacks bigint, latency bigint[], sum_ms float8)
          ON CONFLICT (flag_key, path, minute) DO UPDATE SET
            calls = m.calls + EXCLUDED.calls,
            errors = m.errors + EXCLUDED.errors,
            fallbacks = m.fallbacks + EXCLUDED.fallbacks,
            latency_buckets = stagegate_add_counts(m.latency_buckets, EXCLUDED.latency_buckets),
            latency_sum_ms = m.latency_sum_ms + EXCLUDED.latency_sum_ms
          RETURNING 1
        ), added_evaluations AS (
          -- The daily table's counts are int4: they saturate rather than fail a report.
          INSERT INTO flag_evaluations_daily AS d (flag_key, day, evaluations, enabled_count)
          SELECT e.flag_key, e.day, LEAST(e.evaluations, 2147483647)::int, LEAST(e.enabled, 2147483647)::int
          FROM jsonb_to_recordset(${JSON.stringify(dailyRows)}::jsonb) AS e(flag_key text, day date, evaluations bigint, enabled bigint)
          ON CONFLICT (flag_key, day) DO UPDATE SET
            evaluations = LEAST(d.evaluations::bigint + EXCLUDED.evaluations, 2147483647)::int,
            enabled_count = LEAST(d.enabled_count::bigint + EXCLUDED.enabled_count, 2147483647)::int
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM added_routes)::int AS routes, (SELECT count(*) FROM added_evaluations)::int AS evaluations`,
    );
  }

  // Prometheus counts only what was stored: a refused report is retried by the SDK and counted then.
  const { metrics } = services;
  for (const row of routeRows) {
    metrics.routeCalls.inc({ flag: row.flag_key, path: row.path }, row.calls);
    metrics.routeErrors.inc({ flag: row.flag_key, path: row.path }, row.errors);
    if (row.fallbacks > 0) metrics.routeFallbacks.inc({ flag: row.flag_key }, row.fallbacks);
  }
  for (const { flag, reason, result, count } of byReason.values()) metrics.sdkEvaluations.inc({ flag, reason, result }, count);
  // `dropped` is what the client dropped since its last accepted report (telemetry.ts subtracts what a
  // 2xx acknowledged): a delta, so it adds to a counter as it comes, and a refused report's is sent again.
  for (const kind of ['windows', 'evaluations', 'routeCalls'] as const) if (report.dropped[kind] > 0) metrics.sdkDropped.inc({ kind }, report.dropped[kind]);

  return { accepted, ignoredWindows, flags: seen.size, ignoredFlags: unknown.size };
}

/** One route() path's counts over a range, as plain numbers. */
export interface PathTotals {
  calls: number;
  errors: number;
  /** errors / calls; 0 when there were no calls (check `calls` for samples). */
  errorRate: number;
  /** Calls per latency bucket: LATENCY_BUCKETS_MS, then the overflow. */
  latencyMs: number[];
  latencySumMs: number;
}

export interface RouteTotals {
  enabled: PathTotals;
  disabled: PathTotals;
  /** New-path failures the legacy path answered (also counted in enabled.errors and disabled.calls). */
  fallbacks: number;
}

type Queryable = Database | Tx;
const clientOf = (db: Queryable): Tx => ('prisma' in db ? db.prisma : db);

/** Minute rows and hourly rows of one flag in [since, until) (open-ended without until), each table by its primary key (flag_key, path, time). */
export function routeMetricRows(flagKey: string, since: Date, until: Date | undefined): Prisma.Sql {
  const before = (column: 'minute' | 'hour') => (until === undefined ? Prisma.empty : Prisma.sql`AND ${Prisma.raw(column)} < ${sqlTimestamp(until)}`);
  return Prisma.sql`
    SELECT path, minute AS t, calls, errors, fallbacks, latency_buckets, latency_sum_ms FROM route_metrics_minute
      WHERE flag_key = ${flagKey} AND path IN ('enabled', 'disabled') AND minute >= ${sqlTimestamp(since)} ${before('minute')}
    UNION ALL
    SELECT path, hour AS t, calls, errors, fallbacks, latency_buckets, latency_sum_ms FROM route_metrics_hourly
      WHERE flag_key = ${flagKey} AND path IN ('enabled', 'disabled') AND hour >= ${sqlTimestamp(since)} ${before('hour')}`;
}

export interface PathSums {
  path: 'enabled' | 'disabled';
  calls: number;
  errors: number;
  fallbacks: number;
  buckets: number[] | null;
}

const emptyPath = (): PathTotals => ({ calls: 0, errors: 0, errorRate: 0, latencyMs: new Array<number>(BUCKETS).fill(0), latencySumMs: 0 });

/**
 * route() totals of one flag over [since, until) (until: open-ended when left out), per path, as
 * plain numbers: what the release-plan guard reads every scheduler tick. One query over the minute
 * rows and the hourly rows (for ranges older than the rollup, at hour resolution: an hour counts
 * when it starts inside the range), each by its primary key. One statement sees one snapshot, so a
 * rollup moving minutes to hours meanwhile neither hides nor doubles a call. Keep the shape stable.
 */
export async function readRouteTotals(db: Queryable, flagKey: string, since: Date, until?: Date): Promise<RouteTotals> {
  const rows = await clientOf(db).$queryRaw<Array<PathSums & { sum_ms: number }>>`
    SELECT path::text AS path, SUM(calls)::float8 AS calls, SUM(errors)::float8 AS errors, SUM(fallbacks)::float8 AS fallbacks,
      stagegate_sum_counts(latency_buckets)::float8[] AS buckets, SUM(latency_sum_ms)::float8 AS sum_ms
    FROM (${routeMetricRows(flagKey, since, until)}) AS rows
    GROUP BY path`;
  const totals: RouteTotals = { enabled: emptyPath(), disabled: emptyPath(), fallbacks: 0 };
  for (const row of rows) {
    const path = totals[row.path];
    path.calls = row.calls;
    path.errors = row.errors;
    path.errorRate = row.calls === 0 ? 0 : row.errors / row.calls;
    if (row.buckets) path.latencyMs = row.buckets;
    path.latencySumMs = row.sum_ms;
    totals.fallbacks += row.fallbacks;
  }
  return totals;
}

export interface RollupResult {
  /** Minute rows moved into hours. */
  movedMinutes: number;
  /** Hourly rows written or added to. */
  hours: number;
  /** Hourly rows deleted past the retention. */
  deletedHours: number;
}

/**
 * Moves minute rows older than `rollupAfterHours` (cut at a whole hour, so an hour is never split
 * between the tables) into hourly rows, in ONE statement: the DELETE … RETURNING hands exactly the
 * rows it removed to the upsert, so two processes running it at once move each row once (the second
 * waits for the first's row locks, then finds them gone). Then deletes hourly rows past
 * `retentionDays` (default STAGEGATE_METRICS_RETENTION_DAYS, else 90). The scheduler calls it periodically.
 */
export async function rollUpRouteMetrics(
  services: Services,
  { rollupAfterHours = ROLLUP_AFTER_HOURS, retentionDays = metricsRetentionDays() }: { rollupAfterHours?: number; retentionDays?: number } = {},
): Promise<RollupResult> {
  if (!(rollupAfterHours >= 1) || !(retentionDays * 24 > rollupAfterHours)) throw new Error(`rollUpRouteMetrics: rollupAfterHours (${rollupAfterHours}) must be at least 1 and below the retention (${retentionDays} days)`);
  const now = services.now().getTime();
  const rollupBefore = Math.floor((now - rollupAfterHours * HOUR_MS) / HOUR_MS) * HOUR_MS;
  const deleteBefore = Math.floor((now - retentionDays * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS;
  const { prisma } = services.db;
  const [moved] = await inStatement(
    services,
    () => prisma.$queryRaw<Array<{ moved: number; hours: number }>>`
      WITH moved AS (
        DELETE FROM route_metrics_minute WHERE minute < ${sqlTimestamp(rollupBefore)}
        RETURNING flag_key, path, minute, calls, errors, fallbacks, latency_buckets, latency_sum_ms
      ), hours AS (
        INSERT INTO route_metrics_hourly AS h (flag_key, path, hour, calls, errors, fallbacks, latency_buckets, latency_sum_ms)
        SELECT flag_key, path, date_trunc('hour', minute), SUM(calls), SUM(errors), SUM(fallbacks), stagegate_sum_counts(latency_buckets), SUM(latency_sum_ms)
        FROM moved
        GROUP BY flag_key, path, date_trunc('hour', minute)
        ON CONFLICT (flag_key, path, hour) DO UPDATE SET
          calls = h.calls + EXCLUDED.calls,
          errors = h.errors + EXCLUDED.errors,
          fallbacks = h.fallbacks + EXCLUDED.fallbacks,
          latency_buckets = stagegate_add_counts(h.latency_buckets, EXCLUDED.latency_buckets),
          latency_sum_ms = h.latency_sum_ms + EXCLUDED.latency_sum_ms
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT count(*) FROM hours)::int AS hours`,
  );
  const deletedHours = await inStatement(services, () => prisma.$executeRaw`DELETE FROM route_metrics_hourly WHERE hour < ${sqlTimestamp(deleteBefore)}`);
  return { movedMinutes: moved?.moved ?? 0, hours: moved?.hours ?? 0, deletedHours };
}
