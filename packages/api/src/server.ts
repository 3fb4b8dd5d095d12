import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createHttpContext } from './auth.js';
import type { ErrorCode } from './errors.js';
import { betaFeaturesRoutes } from './rest/betaFeatures.js';
import { flagsSnapshotRoutes } from './rest/flagsSnapshot.js';
import { appRouter } from './router.js';
import type { Services } from './services.js';

/** Every request we accept is small; anything larger is a mistake or an attack, answered 413. */
export const BODY_LIMIT_BYTES = 100 * 1024;

function sendCode(res: Response, status: number, code: ErrorCode, error: string) {
  res.status(status).json({ success: false, error, code });
}

/** Status and code for an error thrown by Express or its body parser (they carry `status` and `type`). */
function describeHttpError(error: unknown): { status: number; code: ErrorCode; message: string } {
  const fields = typeof error === 'object' && error !== null ? (error as { status?: unknown; type?: unknown }) : {};
  const status = typeof fields.status === 'number' ? fields.status : 500;
  if (fields.type === 'entity.parse.failed') return { status: 400, code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON' };
  if (status === 413) return { status, code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${BODY_LIMIT_BYTES} bytes` };
  if (status === 415) return { status, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as UTF-8 JSON' };
  if (status >= 400 && status < 500) return { status, code: 'VALIDATION_FAILED', message: 'The request is malformed' };
  return { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side' };
}

/**
 * The HTTP face of one API process: tRPC (queries, mutations and SSE subscriptions) at /trpc, the
 * spec's REST routes under /api, and /healthz. The app knows nothing of ports: main.ts listens.
 */
export function createApp(services: Services): express.Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', async (_req, res) => {
    try {
      await services.db.prisma.$queryRaw`SELECT 1`;
      res.json({ status: 'ok', database: services.db.kind });
    } catch (error) {
      console.error('healthz: database unreachable', error);
      sendCode(res, 503, 'INTERNAL', 'The database is unreachable');
    }
  });

  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: createHttpContext(services),
      maxBodySize: BODY_LIMIT_BYTES,
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`trpc: ${path ?? '(no path)'} failed`, error);
      },
    }),
  );

  // REST routes: each module is a Router over the same domain services.
  app.use('/api', express.json({ limit: BODY_LIMIT_BYTES }));
  app.use(betaFeaturesRoutes(services));
  app.use(flagsSnapshotRoutes(services));

  app.use((req, res) => sendCode(res, 404, 'NOT_FOUND', `No route ${req.method} ${req.path}`));
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const { status, code, message } = describeHttpError(error);
    if (status >= 500) console.error('http: request failed', error);
    sendCode(res, status, code, message);
  });
  return app;
}
