import { checkAccess, rejectUnsafeText, type Access, type Context, type Services } from '@stagegate/api';
import express, { type Request, type Response } from 'express';
import { contextFor, credentialsOf } from '../http/credentials.js';
import { sendError } from '../http/errors.js';

/**
 * One REST route: who may call it (the same access levels as the procedures, checked by the same
 * policy) and what it does. The authorization matrix test walks every route of REST_ROUTES.
 */
export interface RestRoute {
  method: 'get' | 'post' | 'delete';
  path: string;
  access: Access;
  /** Answers with what it returns as JSON, or writes the response itself and returns undefined. */
  handle(req: Request, res: Response, ctx: Context): Promise<unknown>;
}

/** Mounts routes behind one authentication and authorization step and one error shape. */
export function mountRoutes(services: Services, routes: readonly RestRoute[]): express.Router {
  const router = express.Router();
  for (const route of routes) {
    router[route.method](route.path, async (req, res) => {
      try {
        const ctx = await contextFor(services, credentialsOf(req));
        checkAccess(route.access, ctx.auth, ctx.authError);
        rejectUnsafeText({ params: req.params, query: req.query, body: req.body as unknown });
        const result = await route.handle(req, res, ctx);
        if (result !== undefined && !res.headersSent) res.json(result);
      } catch (error) {
        if (!res.headersSent) sendError(res, error, services.logger);
        else res.end();
      }
    });
  }
  return router;
}
