import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
  return {
    registry,
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
      help: 'HTTP request duration, by route, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    sseStreams: new Gauge({ name: 'stagegate_sse_streams_open', help: 'Open server-sent-event streams', registers }),
    authFailures: new Counter({ name: 'stagegate_auth_failures_total', help: 'Refused credentials, by reason', labelNames: ['reason'], registers }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
