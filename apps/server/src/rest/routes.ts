import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkAccess, rejectUnsafeText, type Access, type Context, type Services } from '@stagegate/api';
import express, { type Request, type Response } from 'express';
import { credentialsOf, requestContext } from '../http/credentials.js';
import { BODY_LIMIT_BYTES, httpError, sendError } from '../http/errors.js';

/**
 * One REST route: who may call it (the same access levels as the procedures, checked by the same
 * policy) and what it does. The authorization matrix test walks every route of REST_ROUTES.
 */
export interface RestRoute {
  method: 'get' | 'post' | 'delete';
  path: string;
  access: Access;
  /** The largest JSON body it reads (default BODY_LIMIT_BYTES); a GET reads none. */
  bodyLimit?: number;
  /** Answers with what it returns as JSON, or writes the response itself and returns undefined. */
  handle(req: Request, res: Response, ctx: Context): Promise<unknown>;
  /** Served ahead of Express when it can be (see hotReads): only on a HotRestRoute. */
  hot?: true;
}

/**
 * A GET the hot reads serve ahead of Express (http/hotReads.ts): a path with no parameters, a
 * handler that uses node:http's request and response only (no Express additions) and writes the
 * answer itself. Asked with a query string, it is Express's like any route.
 */
export interface HotRestRoute extends RestRoute {
  method: 'get';
  hot: true;
  handle(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void>;
}

export const isHot = (route: RestRoute): route is HotRestRoute => route.hot === true;

type BodyParser = ReturnType<typeof express.json>;

/** The JSON body, parsed once the caller is let in: nobody unknown makes the server read a large body. */
function readBody(parser: BodyParser, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => parser(req, res, (error?: unknown) => (error === undefined ? resolve() : reject(httpError(error)))));
}

/** Mounts routes behind one authentication and authorization step and one error shape. */
export function mountRoutes(services: Services, routes: readonly RestRoute[]): express.Router {
  const router = express.Router();
  for (const route of routes) {
    const parser = route.method === 'get' ? null : express.json({ limit: route.bodyLimit ?? BODY_LIMIT_BYTES });
    router[route.method](route.path, async (req, res) => {
      try {
        const ctx = await requestContext(services, req, () => credentialsOf(req, req.ip));
        checkAccess(route.access, ctx.auth, ctx.authError);
        if (parser) await readBody(parser, req, res);
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
