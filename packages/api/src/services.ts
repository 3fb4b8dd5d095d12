import type { Database, DatabaseSource } from '@stagegate/db';
import type { FlagChange, FlagClient, FlagResolution } from '@stagegate/flags-core';

/** In-process fan-out of flag changes: database notifications in, FlagClient + SSE subscribers out. */
export interface ChangeBus {
  /** Delivers a change to this process's subscribers at once (writes call it after committing). */
  publish(change: FlagChange): void;
  subscribe(listener: (change: FlagChange) => void): () => void;
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
  /** The server's clock; tests pass a fixed one. */
  now: () => Date;
  close(): Promise<void>;
}
