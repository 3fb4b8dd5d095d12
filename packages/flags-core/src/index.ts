export * from './schema.js';
export {
  FlagSnapshot,
  FlagChangeSchema,
  parseChange,
  readSnapshot,
  InvalidFlagError,
  type ReadSnapshot,
  type FlagSnapshotInput,
  type FlagDefinitionInput,
  type UserStateInput,
} from './wire.js';
export {
  MetricsReport,
  MetricsWindow,
  FlagMetrics,
  RouteMetrics,
  PathMetrics,
  LATENCY_BUCKETS_MS,
  MAX_FLAGS_PER_WINDOW,
  MAX_WINDOWS_PER_REPORT,
  type MetricsReportInput,
} from './metrics-wire.js';
export type { TelemetryOptions, TelemetryStats } from './telemetry.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { FLAG_DEFAULTS, newFlag, type NewFlagFields } from './flag.js';
export { rolloutHash, bucketingId, isInRollout } from './bucketing.js';
export { evaluateFlag, notFound } from './resolver.js';
export { daysRemaining, ttlWarnings, type TtlWarning } from './lifecycle.js';
export {
  createMemorySource,
  type FlagSource,
  type FlagChange,
  type MemorySource,
  type SourceCallOptions,
  type Unsubscribe,
} from './source.js';
export {
  createFlagClient,
  type FlagClient,
  type FlagClientEvent,
  type FlagClientOptions,
  type FlagClientStats,
  type FlagClientStatus,
  type RouteCounters,
  type RoutePaths,
} from './client.js';
export type { FlagSetOrigin, FlagSetView } from './flag-cache.js';
export { SourceTimeoutError } from './deadline.js';
export { explainFlag, EXPLAIN_RULES, type Explanation, type ExplainRule, type ExplainStep } from './explain.js';
