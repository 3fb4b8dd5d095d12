import type { Database, DatabaseSource } from '@stagegate/db';
import type { FlagChange, FlagClient, FlagResolution } from '@stagegate/flags-core';
import type { EvaluationTotal } from './analytics/evaluations.js';
import type { HealthMonitor } from './health.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { WebhookSettings } from './webhooks.js';

/** In-process fan-out of flag changes: database notifications in, FlagClient + SSE subscribers out. */
export interface ChangeBus {
  /**
   * A write in this process committed (writes call it right after): this process's caches drop what
   * it touched at once. Streams hear it from the database's notification, so once.
   */
  publish(change: FlagChange): void;
  /** The database announced a change (or a reset after its notifications were lost): caches and streams. */
  announce(change: FlagChange): void;
  /** Every change the database announces, once each: what streams forward to clients. */
  subscribe(listener: (change: FlagChange) => void): () => void;
  /** As subscribe, and this process's own writes at once: what caches follow. */
  subscribeCaches(listener: (change: FlagChange) => void): () => void;
}

export const ANALYTICS_EVENTS = ['beta_features_viewed', 'beta_feature_enabled', 'beta_feature_disabled', 'beta_feature_discovered'] as const;
export type AnalyticsEventName = (typeof ANALYTICS_EVENTS)[number];

/** Product analytics. capture() never throws and never waits for the network. */
export interface Analytics {
  readonly enabled: boolean;
  capture(event: { distinctId: string; event: AnalyticsEventName; properties: Record<string, string | number | boolean | null> }): void;
  shutdown(): Promise<void>;
}

/** Evaluation counts per flag and day, kept in memory and added to the database on flush. */
export interface EvaluationCounter {
  record(resolution: FlagResolution): void;
  /** As record() for each, with one clock read for all: a list served again from its cache. */
  recordAll(resolutions: readonly FlagResolution[]): void;
  /** Every flag's evaluations since the process started, by reason and result (`/metrics`). */
  totals(): EvaluationTotal[];
  flush(): Promise<void>;
}

/** Everything a request handler reaches, one instance per API process. */
export interface Services {
  db: Database;
  flags: FlagClient;
  /** What `flags` loads from; its stats() count the queries evaluation cost (0 per cached request). */
  flagSource: DatabaseSource;
  changes: ChangeBus;
  analytics: Analytics;
  evaluations: EvaluationCounter;
  /** Database reachability: /healthz's answer, and what makes writes fail fast during an outage. */
  health: HealthMonitor;
  logger: Logger;
  /** Prometheus instruments (`GET /metrics`). */
  metrics: Metrics;
  /** Where kills, guard trips and plan steps are announced (webhooks.ts); url undefined: off. */
  webhooks: WebhookSettings;
  /** The server's clock; tests pass a fixed one. */
  now: () => Date;
  close(): Promise<void>;
}
