/**
 * The dashboard's "Pipeline health" for one flag: route() calls, errors, error rate, fallbacks and
 * latency percentiles per path over time, from the rows pipelineMetrics.ts stores.
 */
import { LATENCY_BUCKETS_MS } from '@stagegate/flags-core';
import type { z } from 'zod';
import type { FlagHealthInput } from '../contract/inputs.js';
import { fail } from '../errors.js';
import type { Services } from '../services.js';
import { routeMetricRows, type PathSums } from './pipelineMetrics.js';
import { asDomainError } from './transaction.js';

/** Up to this many hours the series is per minute (≤ 360 points, all inside the minute rows' 48 h); beyond it, per hour. */
export const MINUTE_SERIES_MAX_HOURS = 6;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface PathHealth {
  calls: number;
  errors: number;
  /** errors / calls, null without calls. */
  errorRate: number | null;
  /** From the histogram (LATENCY_BUCKETS_MS), interpolated within a bucket as Prometheus does; null without calls. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface HealthPoint {
  /** Start of the bucket (ISO 8601: the API has no transformer, so a Date would arrive as this anyway). */
  at: string;
  enabled: PathHealth;
  disabled: PathHealth;
  fallbacks: number;
}

export interface FlagHealth {
  key: string;
  bucket: 'minute' | 'hour';
  /** ISO 8601. */
  since: string;
  until: string;
  /** Every bucket of [since, until), oldest first, zeros where nothing was reported. */
  series: HealthPoint[];
  totals: {
    /** `share`: this path's part of route() decisions (a fallback's legacy run is not a second decision); null without calls. */
    enabled: PathHealth & { share: number | null };
    disabled: PathHealth & { share: number | null };
    fallbacks: number;
  };
}

/**
 * The latency at quantile `q` of a histogram (counts per LATENCY_BUCKETS_MS bucket, then overflow):
 * linear within the bucket the rank falls in, from the bucket below's bound (0 for the first); a
 * rank in the overflow bucket answers the last bound (at least that slow). Null for no calls.
 */
export function latencyQuantile(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < buckets.length; i++) {
    const count = buckets[i]!;
    if (count > 0 && below + count >= rank) {
      if (i >= LATENCY_BUCKETS_MS.length) return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]!;
      const lower = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1]!;
      return Math.round((lower + (LATENCY_BUCKETS_MS[i]! - lower) * ((rank - below) / count)) * 1000) / 1000;
    }
    below += count;
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]!;
}

const pathHealth = (sums: Omit<PathSums, 'path' | 'fallbacks'> | undefined): PathHealth => {
  if (sums === undefined || sums.calls === 0) return { calls: 0, errors: 0, errorRate: null, p50Ms: null, p95Ms: null };
  const buckets = sums.buckets ?? [];
  return { calls: sums.calls, errors: sums.errors, errorRate: sums.errors / sums.calls, p50Ms: latencyQuantile(buckets, 0.5), p95Ms: latencyQuantile(buckets, 0.95) };
};

const addInto = (into: number[], from: readonly number[] | null) => {
  from?.forEach((count, i) => (into[i] = (into[i] ?? 0) + count));
};

/**
 * A flag's pipeline health over the last `hours`: per minute up to MINUTE_SERIES_MAX_HOURS, per hour
 * beyond (minute rows and hourly rows summed per hour, so the 48 h rollup boundary does not show).
 * One query; FLAG_NOT_FOUND for a flag that does not exist.
 */
export async function flagHealth(services: Services, input: z.infer<typeof FlagHealthInput>): Promise<FlagHealth> {
  const bucket = input.hours <= MINUTE_SERIES_MAX_HOURS ? 'minute' : 'hour';
  const step = bucket === 'minute' ? MINUTE_MS : HOUR_MS;
  const now = services.now().getTime();
  const until = Math.floor(now / step) * step + step;
  const since = until - input.hours * HOUR_MS;
  const { prisma } = services.db;
  const [flag, rows] = await asDomainError(
    Promise.all([
      prisma.flag.findUnique({ where: { key: input.key }, select: { key: true } }),
      prisma.$queryRaw<Array<PathSums & { at: number }>>`
        SELECT floor(extract(epoch FROM date_trunc(${bucket}, t)) * 1000)::float8 AS at, path::text AS path,
          SUM(calls)::float8 AS calls, SUM(errors)::float8 AS errors, SUM(fallbacks)::float8 AS fallbacks,
          stagegate_sum_counts(latency_buckets)::float8[] AS buckets
        FROM (${routeMetricRows(input.key, new Date(since), new Date(until))}) AS rows
        GROUP BY 1, 2`,
    ]),
  );
  if (!flag) fail('FLAG_NOT_FOUND', `No flag "${input.key}"`);

  const byBucket = new Map<number, { enabled?: PathSums; disabled?: PathSums }>();
  const totals = { enabled: { calls: 0, errors: 0, buckets: [] as number[] }, disabled: { calls: 0, errors: 0, buckets: [] as number[] }, fallbacks: 0 };
  for (const row of rows) {
    let point = byBucket.get(row.at);
    if (point === undefined) byBucket.set(row.at, (point = {}));
    point[row.path] = row;
    totals[row.path].calls += row.calls;
    totals[row.path].errors += row.errors;
    addInto(totals[row.path].buckets, row.buckets);
    totals.fallbacks += row.fallbacks;
  }

  const series: HealthPoint[] = [];
  for (let start = since; start < until; start += step) {
    const point = byBucket.get(start);
    series.push({ at: new Date(start).toISOString(), enabled: pathHealth(point?.enabled), disabled: pathHealth(point?.disabled), fallbacks: (point?.enabled?.fallbacks ?? 0) + (point?.disabled?.fallbacks ?? 0) });
  }
  const decisions = totals.enabled.calls + totals.disabled.calls - totals.fallbacks;
  const share = (calls: number) => (decisions > 0 ? calls / decisions : null);
  return {
    key: input.key,
    bucket,
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    series,
    totals: {
      enabled: { ...pathHealth(totals.enabled), share: share(totals.enabled.calls) },
      disabled: { ...pathHealth(totals.disabled), share: share(totals.disabled.calls - totals.fallbacks) },
      fallbacks: totals.fallbacks,
    },
  };
}
