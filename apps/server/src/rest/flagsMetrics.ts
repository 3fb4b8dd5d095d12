import { ingestMetricsReport, type Services } from '@stagegate/api';
import { MetricsReport } from '@stagegate/flags-core';
import { parse } from './parse.js';
import type { RestRoute } from './routes.js';

export const METRICS_PATH = '/api/flags/metrics';
/**
 * The body limit of POST /api/flags/metrics alone (every other body: 100 kB). A report is one 20 s
 * window (~15 kB per 100 flags) unless the SDK kept windows through an outage: at its bounds, 90
 * windows × 1,000 flags measure 14 MB with no route() flag and 37 MB with route() on every one.
 * 40 MiB takes that whole, so a client at its bounds is never refused forever.
 */
export const METRICS_BODY_LIMIT_BYTES = 40 * 1024 * 1024;

/**
 * SDK telemetry (flags-core's telemetry.ts): one report, validated with the wire's own schema and
 * stored whole, 202 with what was kept. While the database is out of reach it answers 503 BUSY, and
 * the SDK keeps its windows for the next interval.
 */
export function flagsMetricsRoutes(services: Services): readonly RestRoute[] {
  return [
    {
      method: 'post',
      path: METRICS_PATH,
      access: 'sdk',
      bodyLimit: METRICS_BODY_LIMIT_BYTES,
      async handle(req, res) {
        const result = await ingestMetricsReport(services, parse(MetricsReport, req.body));
        res.status(202);
        return result;
      },
    },
  ];
}
