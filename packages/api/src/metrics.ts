import type { Database, DatabaseSource } from '@stagegate/db';
import type { FlagClient } from '@stagegate/flags-core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HealthMonitor } from './health.js';
import type { EvaluationCounter } from './services.js';

/** What the scrape-time instruments read; bound once the services exist (createServices). */
export interface MetricsSources {
  db: Database;
  flags: FlagClient;
  flagSource: DatabaseSource;
  evaluations: EvaluationCounter;
  health: HealthMonitor;
}

/** Why a credential was refused (`stagegate_auth_failures_total{reason}`): a closed set, so a bounded label. */
export type AuthFailureReason = 'malformed' | 'unknown_token' | 'revoked' | 'expired' | 'wrong_transport' | 'no_user' | 'rate_limited' | 'metrics_token';

/**
 * One API process's Prometheus instruments, in a registry of its own (several services in one test
 * process never collide). `GET /metrics` (apps/server) renders `registry`. Per-request and
 * per-evaluation paths never touch a labelled child on the hot path: they count in their own
 * structures, which `collect` callbacks read at scrape time.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'stagegate_process_' });
  const registers = [registry];
  let sources: MetricsSources | undefined;
  const streamCounts: Array<() => ReadonlyMap<string, number>> = [];

  /** A counter whose value lives elsewhere (a stats() field): set to that total at each scrape. */
  const mirroredCounter = (name: string, help: string, read: (from: MetricsSources) => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        if (!sources) return;
        this.reset();
        this.inc(read(sources));
      },
    });
  const gauge = (name: string, help: string, read: (from: MetricsSources) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        if (sources) this.set(read(sources));
      },
    });

  return {
    registry,
    /** Connects the scrape-time instruments to what they read; called once by createServices. */
    bind(from: MetricsSources) {
      sources = from;
    },
    /** How an HTTP host counts its open event streams by route, at scrape time (it knows its responses); several hosts add up. */
    countStreams(count: () => ReadonlyMap<string, number>) {
      streamCounts.push(count);
    },
    /** route() calls per flag and path, as SDKs reported them to this process. */
    routeCalls: new Counter({ name: 'stagegate_route_calls_total', help: 'route() calls SDKs reported, by flag and path', labelNames: ['flag', 'path'], registers }),
    routeErrors: new Counter({ name: 'stagegate_route_errors_total', help: 'route() calls that failed, by flag and path', labelNames: ['flag', 'path'], registers }),
    routeFallbacks: new Counter({ name: 'stagegate_route_fallbacks_total', help: 'New-path failures the legacy path answered, by flag', labelNames: ['flag'], registers }),
    sdkEvaluations: new Counter({ name: 'stagegate_sdk_evaluations_total', help: 'Evaluations SDKs reported, by flag, reason and result', labelNames: ['flag', 'reason', 'result'], registers }),
    sdkDropped: new Counter({ name: 'stagegate_sdk_telemetry_dropped_total', help: 'What SDKs reported they dropped at their bounds, by kind', labelNames: ['kind'], registers }),
    /** Release plans. */
    guardTrips: new Counter({ name: 'stagegate_guard_trips_total', help: 'Release-plan guards that tripped and rolled back, by flag and action', labelNames: ['flag', 'action'], registers }),
    planSteps: new Counter({ name: 'stagegate_plan_steps_total', help: 'Release-plan steps taken, by flag', labelNames: ['flag'], registers }),
    kills: new Counter({ name: 'stagegate_flag_kills_total', help: 'Kill switches thrown, by flag and by whom (operator, guard, schedule)', labelNames: ['flag', 'by'], registers }),
    scheduledChanges: new Counter({ name: 'stagegate_scheduled_changes_total', help: 'Scheduled changes run, by action and result', labelNames: ['action', 'result'], registers }),
    webhookDeliveries: new Counter({ name: 'stagegate_webhook_deliveries_total', help: 'Webhook delivery attempts, by event and result', labelNames: ['event', 'result'], registers }),
    /** Serving. */
    httpDuration: new Histogram({
      name: 'stagegate_http_request_duration_seconds',
      help: 'HTTP request duration, by route, method and status (event streams excluded: see stagegate_sse_streams_open)',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    /** One observation per request that resolves flags (flags.evaluate, the beta-feature list), never per flag. */
    resolutionDuration: new Histogram({
      name: 'stagegate_flag_resolution_duration_seconds',
      help: "Time to resolve a request's flags, by operation",
      labelNames: ['operation'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5],
      registers,
    }),
    sseStreams: new Gauge({
      name: 'stagegate_sse_streams_open',
      help: 'Open server-sent-event streams, by route',
      labelNames: ['route'],
      registers,
      collect() {
        this.reset();
        for (const counted of streamCounts) for (const [route, count] of counted()) this.inc({ route }, count);
      },
    }),
    authFailures: new Counter({ name: 'stagegate_auth_failures_total', help: 'Refused credentials, by reason', labelNames: ['reason'], registers }),

    /** Read at scrape time from the services' own counts. */
    evaluationTotals: new Counter({
      name: 'stagegate_evaluations_total',
      help: "This server's own flag evaluations, by flag, reason and result",
      labelNames: ['flag', 'reason', 'result'],
      registers,
      collect() {
        if (!sources) return;
        this.reset();
        for (const total of sources.evaluations.totals()) this.inc({ flag: total.flag, reason: total.reason, result: total.enabled ? 'on' : 'off' }, total.count);
      },
    }),
    cacheHits: mirroredCounter('stagegate_flag_cache_hits_total', "Evaluations answered from the FlagClient's cache", (from) => from.flags.stats().cacheHits),
    cacheMisses: mirroredCounter('stagegate_flag_cache_misses_total', 'Evaluations that had to load from the database first', (from) => from.flags.stats().cacheMisses),
    cacheHitRatio: gauge('stagegate_flag_cache_hit_ratio', 'Cache hits over lookups since the process started (0 before the first)', (from) => from.flags.stats().hitRate),
    sourceQueries: mirroredCounter('stagegate_flag_source_queries_total', 'Database round trips to load flags and user states', (from) => from.flagSource.stats().queries),
    changeNotifications: mirroredCounter('stagegate_change_notifications_total', 'Change notifications heard on the LISTEN connection', (from) => from.flagSource.stats().notifications),
    changeReconnects: mirroredCounter('stagegate_change_stream_reconnects_total', 'Times the LISTEN connection was re-established after it dropped', (from) => from.flagSource.stats().reconnects),
    changeListening: gauge('stagegate_change_stream_listening', '1 while the change stream (LISTEN) is connected', (from) => (from.flagSource.stats().listening ? 1 : 0)),
    databaseReachable: gauge('stagegate_database_reachable', "1 while the database is reachable (/healthz's database.reachable)", (from) => (from.health.unreachable() ? 0 : 1)),
    healthOk: gauge('stagegate_health_ok', "1 while /healthz answers ok, 0 while degraded", (from) => (from.health.report().status === 'ok' ? 1 : 0)),
    poolConnections: new Gauge({
      name: 'stagegate_db_pool_connections',
      help: 'PostgreSQL pool connections by lane (main, priority) and state (max, open, idle, waiting = queries queued for one)',
      labelNames: ['lane', 'state'],
      registers,
      collect() {
        if (!sources) return;
        for (const pool of sources.db.pools()) {
          this.set({ lane: pool.lane, state: 'max' }, pool.max);
          this.set({ lane: pool.lane, state: 'open' }, pool.total);
          this.set({ lane: pool.lane, state: 'idle' }, pool.idle);
          this.set({ lane: pool.lane, state: 'waiting' }, pool.waiting);
        }
      },
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** What `timeResolution` observes: the requests that resolve flags, by what they resolve. */
export type ResolutionOperation = 'betaFeatures.list' | 'flags.evaluate';

/** One observation of stagegate_flag_resolution_duration_seconds for `resolve`, whichever transport asked. */
export async function timeResolution<T>(metrics: Pick<Metrics, 'resolutionDuration'>, operation: ResolutionOperation, resolve: () => Promise<T>): Promise<T> {
  const timer = metrics.resolutionDuration.startTimer({ operation });
  try {
    return await resolve();
  } finally {
    timer();
  }
}
