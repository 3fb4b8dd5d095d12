import { DomainError, type Services } from '@stagegate/api';
import { createServer, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { httpError, sendError } from './http/errors.js';
import { healthz } from './http/health.js';
import { hotReads, type AppParts, type ProxyTrust } from './http/hotReads.js';
import { httpMetrics, metricsEndpoint } from './http/metrics.js';
import { csrfGuard, securityHeaders, type SecurityOptions } from './http/security.js';
import { adminApp, webApp } from './http/static.js';
import { MAX_BATCH_SIZE, trpcEndpoint } from './http/trpc.js';
import { queryAnswerer } from './http/trpcQueries.js';
import { betaFeaturesRoutes } from './rest/betaFeatures.js';
import { flagsMetricsRoutes } from './rest/flagsMetrics.js';
import { flagsSnapshotRoutes } from './rest/flagsSnapshot.js';
import { mountRoutes, type RestRoute } from './rest/routes.js';
import { sessionRoutes } from './rest/session.js';

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

export const appParts = (services: Services, options: AppOptions = {}): AppParts => ({ routes: restRoutes(services, options), queries: queryAnswerer(MAX_BATCH_SIZE) });

/** The HTTP server of one API process: the hot reads ahead of the app (createApp). main.ts listens. */
export function createHttpServer(services: Services, options: AppOptions = {}): Server {
  const parts = appParts(services, options);
  const app = createApp(services, options, parts);
  return createServer(hotReads(services, app, parts, { ...options, trust: app.get('trust proxy fn') as ProxyTrust }));
}

/**
 * The HTTP face of one API process: tRPC (queries, mutations and SSE subscriptions) at /trpc, the
 * spec's REST routes under /api, sign-in under /auth, /healthz and /metrics.
 */
export function createApp(services: Services, options: AppOptions = {}, parts = appParts(services, options)): express.Express {
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

  app.use('/trpc', trpcEndpoint(services, parts.queries));

  app.use(mountRoutes(services, parts.routes));
  app.use('/admin', adminApp());
  app.use(webApp());
  app.use((req, res) => sendError(res, new DomainError('NOT_FOUND', `No route ${req.method} ${req.path}`)));
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    sendError(res, httpError(error), services.logger);
  });
  return app;
}
