import { appRouter, DomainError, type Services } from '@stagegate/api';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { credentialsOf, requestContext } from './credentials.js';
import { BODY_LIMIT_BYTES, sendError } from './errors.js';
import { trpcQueries, type QueryAnswerer } from './trpcQueries.js';

/**
 * Procedures per batched request. The apps batch a screen's few queries (a handful); 20 leaves
 * room, while one request can no longer carry hundreds of writes or database-backed reads.
 */
export const MAX_BATCH_SIZE = 20;

/** Calls whose whole path, sign-in included, runs on the database's reserved connections (db.priority). */
const EMERGENCY_PROCEDURES = new Set(['admin.flags.kill', 'admin.flags.restore']);

/** Everything under /trpc, in one router: a request elsewhere passes one layer, not three. */
export function trpcEndpoint(services: Services, queries: QueryAnswerer): express.Router {
  const router = express.Router();
  // A path that is not valid percent-encoding is the client's mistake, not a 500 inside tRPC's adapter.
  router.use((req: Request, res: Response, next: NextFunction) => {
    try {
      decodeURIComponent(req.path);
      next();
    } catch {
      sendError(res, new DomainError('VALIDATION_FAILED', 'The request path is not valid percent-encoding'));
    }
  });
  router.use(trpcQueries(queries, (req) => requestContext(services, req, () => credentialsOf(req, req.ip))));
  router.use(
    createExpressMiddleware({
      router: appRouter,
      maxBodySize: BODY_LIMIT_BYTES,
      maxBatchSize: MAX_BATCH_SIZE,
      // The context a query path made for this request already, else one made here.
      createContext: ({ req, info }) =>
        requestContext(services, req, () => {
          const credentials = credentialsOf(req, req.ip);
          // Browsers' EventSource cannot set headers: a subscription may name its token in connection
          // params. Never a query or mutation, whose URLs end up in logs and histories.
          const params = info.type === 'subscription' ? info.connectionParams : null;
          if (params?.token && !credentials.authorization) credentials.authorization = `Bearer ${params.token}`;
          if (params?.workspaceId && !credentials.workspace) credentials.workspace = params.workspaceId;
          if (info.calls.length > 0 && info.calls.every((call) => EMERGENCY_PROCEDURES.has(call.path))) credentials.lane = 'priority';
          return credentials;
        }),
      responseMeta({ errors }) {
        const retry = errors.map((error) => (error.cause instanceof DomainError ? error.cause.retryAfterSeconds : undefined)).find((s) => s !== undefined);
        return retry === undefined ? {} : { headers: { 'retry-after': String(retry) } };
      },
    }),
  );
  return router;
}
