import type { FlagSetOrigin, FlagSetView } from './flag-cache.js';
import type { EvaluationContext, FlagDefinition, FlagResolution } from './schema.js';
import type { FlagChange, FlagSource } from './source.js';
import type { TelemetryOptions, TelemetryStats } from './telemetry.js';
import type { FlagSnapshotInput } from './wire.js';

export interface FlagClientOptions {
  source: FlagSource;
  /** How long a loaded flag set is served before it is reloaded in the background (also the poll). Default 30 s. */
  flagsTtlMs?: number;
  /** How long one user's opt-ins and overrides are served before they are reloaded in the background. Default 30 s. */
  userStateTtlMs?: number;
  /** How many user × workspace states the cache holds; one not used lately goes first (CLOCK, see lru.ts). Default 10,000. */
  maxUsers?: number;
  /** After a failed load, how long the last known state (or the fail-safe answer) is served before the source is asked again. Default 1 s. */
  sourceRetryMs?: number;
  /**
   * Every source call that has not answered after this long counts as failed (its AbortSignal is
   * aborted). Also the longest an evaluation waits for a user never seen, or for a reload a change
   * event asked for. Default 2 s.
   */
  sourceTimeoutMs?: number;
  /**
   * The longest an evaluation waits when no flag set is loaded yet (cold start) before it answers off
   * with NOT_READY; the load goes on in the background. Also bounds `ready()`. Default 1 s.
   */
  startupTimeoutMs?: number;
  /** A flag set to serve until the source first answers, e.g. a snapshot a deploy baked in. Invalid flags in it are skipped. */
  bootstrap?: FlagSnapshotInput;
  /**
   * A file holding the last flag set loaded from the source: read at start (served until the source
   * answers, as `bootstrap`), rewritten atomically after each load that changed it. node:fs is only
   * imported when this is set.
   */
  bootstrapFile?: string;
  /** Milliseconds since the epoch; tests pass a fake one. Also the `now` of evaluations without one. */
  clock?: () => number;
  /** Told about every failure the client absorbed (source loads, a route's new path, skipped bootstrap flags): it never throws them at the caller. */
  onError?: (error: unknown) => void;
  /** Told about every evaluation, e.g. to count them per flag for analytics. Must be cheap. */
  onEvaluation?: (resolution: FlagResolution, ctx: EvaluationContext) => void;
  /**
   * Background reports of evaluations and route() paths to the source (when it has `reportMetrics`,
   * as the HTTP source does): batched every intervalMs (20 s) and on close(). `false` turns it off.
   */
  telemetry?: TelemetryOptions | false;
}

/**
 * Where the client's flag set stands: nothing loaded yet; loaded from the source and current; served
 * from old data (a bootstrap, or the source failed since the last load); nothing loaded and the source failing.
 */
export type FlagClientStatus = 'not-ready' | 'ready' | 'stale' | 'error';

export type FlagClientEvent =
  | { type: 'status'; status: FlagClientStatus; error?: unknown }
  /** A new flag set replaced the one served before; `changedKeys` were added, removed or changed. */
  | { type: 'flags'; changedKeys: string[] }
  /** The source announced a change (before the client reloaded what it concerns). */
  | { type: 'change'; change: FlagChange };

export interface RouteCounters {
  enabled: { calls: number; errors: number };
  disabled: { calls: number; errors: number };
  /** New-path failures answered by the legacy path. */
  fallbacks: number;
}

export interface FlagClientStats {
  evaluations: number;
  cacheHits: number;
  cacheMisses: number;
  hitRate: number;
  /** Failures absorbed: failed source loads (timeouts included), and evaluations that threw (answered SOURCE_ERROR). */
  sourceErrors: number;
  /** Source calls abandoned after sourceTimeoutMs (also counted in sourceErrors). */
  sourceTimeouts: number;
  /** Evaluations for a context without a user or workspace id: answered off without asking the source. */
  invalidContexts: number;
  /** Flags the source or the bootstrap left out because they failed the schema. */
  invalidFlags: number;
  lastRefreshAt: Date | null;
  /** Where the flag set being served came from; null when there is none. */
  flagsFrom: FlagSetOrigin | null;
  status: FlagClientStatus;
  cachedUsers: number;
  routes: Record<string, RouteCounters>;
  /** Null when telemetry is off (or the source cannot send it). */
  telemetry: TelemetryStats | null;
}

export interface RoutePaths<T> {
  enabled: () => T | Promise<T>;
  disabled: () => T | Promise<T>;
}

export interface FlagClient {
  isEnabled(key: string, ctx: EvaluationContext): Promise<boolean>;
  evaluate(key: string, ctx: EvaluationContext): Promise<FlagResolution>;
  /**
   * From the cache alone, never waiting: true/false, or undefined when nothing is cached for this
   * flag set or user yet (then a background load starts, so a later call can answer).
   */
  isEnabledSync(key: string, ctx: EvaluationContext): boolean | undefined;
  /** As isEnabledSync, with the reason; reason NOT_READY (off) when nothing is cached yet. */
  evaluateSync(key: string, ctx: EvaluationContext): FlagResolution;
  /** Every flag that is not archived, evaluated for one user. */
  evaluateAll(ctx: EvaluationContext): Promise<FlagResolution[]>;
  /** As `evaluate` for each key, in order; one promise, and none per key once the cache is warm. */
  evaluateMany(keys: readonly string[], ctx: EvaluationContext): Promise<FlagResolution[]>;
  /** Runs the new path when the flag is on; if it throws, answers with the legacy path instead. */
  route<T>(key: string, ctx: EvaluationContext, paths: RoutePaths<T>): Promise<T>;
  /** The current flag set (loading it if needed); empty when the source has never answered. */
  flags(): Promise<FlagDefinition[]>;
  /**
   * The current flag set as one frozen value, waiting and loading as `flags()` does: the same object
   * until a load brings different flags, so what is derived from it can be cached on it. Undefined
   * when neither the source nor a bootstrap has answered.
   */
  flagSet(): Promise<FlagSetView | undefined>;
  /** The flag set installed now, from the cache alone: never waits, even when a change marked it outdated. Undefined before the first load. */
  flagSetSync(): FlagSetView | undefined;
  /**
   * An opaque object that stays the same while every answer for this user in this workspace stays the
   * same: one flag set, one cached state of the user's, neither marked outdated, and no override with
   * an expiry (an answer that turns with the clock). Undefined when the cache cannot vouch for that
   * (cold, outdated, an expiring override, a context without ids). What is derived from the answers
   * (a rendered list, a serialised body) can be cached on it. Never waits: past their TTL, the flags
   * and the user's state are reloaded in the background, as an evaluation would.
   */
  stateVersion(ctx: EvaluationContext): object | undefined;
  /** Reloads the flag set now and marks cached user states stale. */
  refresh(): Promise<void>;
  /**
   * Resolves once a first flag set is loaded (from the source or a bootstrap): true; or false when
   * the first load failed or startupTimeoutMs passed first. Never rejects.
   */
  ready(): Promise<boolean>;
  status(): FlagClientStatus;
  /** Tells `listener` about status changes, new flag sets and change events until the returned function runs. */
  onEvent(listener: (event: FlagClientEvent) => void): () => void;
  stats(): FlagClientStats;
  /** Sends the telemetry counted so far now (close() does too); false when off, failed, or a send is already under way. */
  flushMetrics(): Promise<boolean>;
  /** Sends what telemetry is left (bounded by sourceTimeoutMs), then stops. */
  close(): Promise<void>;
}
