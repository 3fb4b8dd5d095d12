/** Builders for SDK telemetry reports in tests: the wire shape, parsed by its own schema. */
import { LATENCY_BUCKETS_MS, MetricsReport, type FlagMetrics, type PathMetrics } from '@stagegate/flags-core';

/** A path's counts with every call in the latency bucket `bucket` (index into LATENCY_BUCKETS_MS, 12 = overflow). */
export function pathCounts(calls: number, errors: number, bucket = 2, msEach = 7): PathMetrics {
  const latencyMs = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  latencyMs[bucket] = calls;
  return { calls, errors, latencyMs, latencySumMs: calls * msEach };
}

export function routed(key: string, enabled: PathMetrics, disabled: PathMetrics, fallbacks = 0): FlagMetrics {
  return { key, evaluations: [], route: { enabled, disabled, fallbacks } };
}

/** A report sent at `sentAt` (the client's clock) with windows ending `endsAgoMs` before it. */
export function reportOf(sentAt: Date, windows: Array<{ endsAgoMs: number; flags: FlagMetrics[] }>, dropped = { windows: 0, evaluations: 0, routeCalls: 0 }): MetricsReport {
  return MetricsReport.parse({
    sentAt: sentAt.toISOString(),
    windows: windows.map(({ endsAgoMs, flags }) => ({ start: new Date(sentAt.getTime() - endsAgoMs - 20_000).toISOString(), end: new Date(sentAt.getTime() - endsAgoMs).toISOString(), flags })),
    dropped,
  });
}
