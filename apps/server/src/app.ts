import { appRouter, DomainError, type Services } from '@stagegate/api';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { contextFor, credentialsOf } from './http/credentials.js';
import { BODY_LIMIT_BYTES, httpError, sendError } from './http/errors.js';
import { healthz } from './http/health.js';
import { contextMadeFor, trpcQueries } from './http/trpcQueries.js';
import { httpMetrics, metricsEndpoint } from './http/metrics.js';
import { csrfGuard, securityHeaders, type SecurityOptions } from './http/security.js';
import { adminApp, webApp } from './http/static.js';
import { betaFeaturesRoutes } from './rest/betaFeatures.js';
import { METRICS_BODY_LIMIT_BYTES, METRICS_PATH, flagsMetricsRoutes } from './rest/flagsMetrics.js';
import { flagsSnapshotRoutes } from './rest/flagsSnapshot.js';
import { mountRoutes, type RestRoute } from './rest/routes.js';
import { sessionRoutes } from './rest/session.js';

/**
 * Procedures per batched request. The apps batch a screen's few queries (a handful); 20 leaves
 * room, while one request can no longer carry hundreds of writes or database-backed reads.
 */
export const MAX_BATCH_SIZE = 20;

/** Calls whose whole path, sign-in included, runs on the database's reserved connections (db.priority). */
const EMERGENCY_PROCEDURES = new Set(['admin.flags.kill', 'admin.flags.restore']);

export interface AppOptions extends SecurityOptions {
  /** Demo sign-in and insecure cookies: development and tests only. */
  production?: boolean;
  /** Express's `trust proxy` (e.g. 'loopback', a hop count): whose X-Forwarded-For names the client for the sign-in limit. Default: none. */
  trustProxy?: string | number | boolean;
  /** The bearer token GET /metrics asks for (STAGEGATE_METRICS_TOKEN); unset: /metrics answers 404. */
  metricsToken?: string | undefined;
}

/** Every REST route with its access level: what the app mounts and what the authorization matrix walks. */
export function restRoutes(services: Services, options: AppOptions = {}): readonly RestRoute[] {
  const production = options.production ?? false;
  return [...sessionRoutes(services, { demo: !production, secure: production }), ...betaFeaturesRoutes, ...flagsSnapshotRoutes(services), ...flagsMetricsRoutes(services)];
}

/**
 * The HTTP face of one API process: tRPC (queries, mutations and SSE subscriptions) at /trpc, the
 * spec's REST routes under /api, sign-in under /auth, /healthz and /metrics. main.ts listens.
 */
export function createApp(services: Services, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(httpMetrics(services));
  app.use(securityHeaders(options));
  app.use(csrfGuard(options));

  app.get('/healthz', healthz(services));
  // Outside the REST route table: Prometheus presents STAGEGATE_METRICS_TOKEN, not a principal the access policy knows.
  app.get('/metrics', metricsEndpoint(services, options.metricsToken));

  // A path that is not valid percent-encoding is the client's mistake, not a 500 inside tRPC's adapter.
  app.use('/trpc', (req: Request, res: Response, next: NextFunction) => {
    try {
      decodeURIComponent(req.path);
      next();
    } catch {
      sendError(res, new DomainError('VALIDATION_FAILED', 'The request path is not valid percent-encoding'));
    }
  });
  app.use('/trpc', trpcQueries((req) => contextFor(services, credentialsOf(req)), MAX_BATCH_SIZE));
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      maxBodySize: BODY_LIMIT_BYTES,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ req, info }) => {
        const made = contextMadeFor(req);
        if (made) return made;
        const credentials = credentialsOf(req);
        // Browsers' EventSource cannot set headers: a subscription may name its token in connection
        // params. Never a query or mutation, whose URLs end up in logs and histories.
        const params = info.type === 'subscription' ? info.connectionParams : null;
        if (params?.token && !credentials.authorization) credentials.authorization = `Bearer ${params.token}`;
        if (params?.workspaceId && !credentials.workspace) credentials.workspace = params.workspaceId;
        if (info.calls.length > 0 && info.calls.every((call) => EMERGENCY_PROCEDURES.has(call.path))) credentials.lane = 'priority';
        return contextFor(services, credentials);
      },
      responseMeta({ errors }) {
        const retry = errors.map((error) => (error.cause instanceof DomainError ? error.cause.retryAfterSeconds : undefined)).find((s) => s !== undefined);
        return retry === undefined ? {} : { headers: { 'retry-after': String(retry) } };
      },
    }),
  );

  // Bodies only where a route reads one: a GET pays for no parser. SDK telemetry reports may be large (see METRICS_BODY_LIMIT_BYTES).
  app.use(['/api', '/auth'], (req: Request, res: Response, next: NextFunction) =>
    req.method === 'GET' ? next() : express.json({ limit: req.baseUrl + req.path === METRICS_PATH ? METRICS_BODY_LIMIT_BYTES : BODY_LIMIT_BYTES })(req, res, next),
  );
  app.use(mountRoutes(services, restRoutes(services, options)));
  app.use('/admin', adminApp());
  app.use(webApp());
  app.use((req, res) => sendError(res, new DomainError('NOT_FOUND', `No route ${req.method} ${req.path}`)));
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    sendError(res, httpError(error), services.logger);
  });
  return app;
}
