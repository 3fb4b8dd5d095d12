/**
 * The SDK telemetry wire contract: what `POST /api/flags/metrics` carries. The SDK (telemetry.ts)
 * writes it and the server reads it with this one schema.
 */
import { z } from 'zod';
import { FlagKey, Reason } from './schema.js';

/** Upper bounds (ms) of a route() path's latency buckets; one more bucket counts everything slower. */
export const LATENCY_BUCKETS_MS = [1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000] as const;
/** The most flags one window carries; counts for further flags are dropped (and counted as dropped). */
export const MAX_FLAGS_PER_WINDOW = 1_000;
/** The most windows one report carries (the SDK keeps at most this many unsent). */
export const MAX_WINDOWS_PER_REPORT = 90;

const Count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const PathMetrics = z.object({
  calls: Count,
  errors: Count,
  /** Calls per latency bucket: LATENCY_BUCKETS_MS, then the overflow. */
  latencyMs: z.array(Count).length(LATENCY_BUCKETS_MS.length + 1),
  latencySumMs: z.number().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
export type PathMetrics = z.infer<typeof PathMetrics>;

export const RouteMetrics = z.object({
  enabled: PathMetrics,
  disabled: PathMetrics,
  /** New-path failures answered by the legacy path. */
  fallbacks: Count,
});
export type RouteMetrics = z.infer<typeof RouteMetrics>;

export const FlagMetrics = z.object({
  key: FlagKey,
  evaluations: z.array(z.object({ reason: Reason, enabled: z.boolean(), count: Count })).max(64),
  route: RouteMetrics.optional(),
});
export type FlagMetrics = z.infer<typeof FlagMetrics>;

/** What one client counted between `start` and `end` (its own clock). */
export const MetricsWindow = z.object({
  start: z.coerce.date(),
  end: z.coerce.date(),
  flags: z.array(FlagMetrics).max(MAX_FLAGS_PER_WINDOW),
});
export type MetricsWindow = z.infer<typeof MetricsWindow>;

export const MetricsReport = z.object({
  /** The client's clock when it sent this: the server places windows by their age, so clock skew does not matter. */
  sentAt: z.coerce.date(),
  windows: z.array(MetricsWindow).max(MAX_WINDOWS_PER_REPORT),
  /** What the client dropped at its bounds since its last accepted report (a delta: the server adds it to a counter). */
  dropped: z.object({ windows: Count, evaluations: Count, routeCalls: Count }),
});
export type MetricsReport = z.infer<typeof MetricsReport>;
/** A report as JSON carries it: ISO strings where the parsed one has Dates. */
export type MetricsReportInput = z.input<typeof MetricsReport>;
