import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { checkAccess, type Services } from '@stagegate/api';
import proxyaddr from 'proxy-addr';
import { isHot, type HotRestRoute, type RestRoute } from '../rest/routes.js';
import { credentialsOf, requestContext } from './credentials.js';
import { observeResponse, trpcRouteLabel } from './metrics.js';
import { helmetWriter, type SecurityOptions } from './security.js';
import type { QueryAnswerer } from './trpcQueries.js';

/** What the app and the hot reads ahead of it share: the REST routes, and the query answerer (which tries each request once). */
export interface AppParts {
  routes: readonly RestRoute[];
  queries: QueryAnswerer;
}

export interface HotReadsOptions extends SecurityOptions {
  /** The app's compiled `trust proxy` setting: the hot reads work out Express's req.ip with it. */
  trust: ProxyTrust;
}

export type ProxyTrust = Parameters<typeof proxyaddr>[1];

/**
 * The hottest reads (the REST beta list, the SDK snapshot, tRPC queries over GET) ahead of Express,
 * whose own work per request (its request and response prototypes, router, finishing) costs more
 * CPU than the whole answer from a warm cache. Such a GET gets what Express's path for it does,
 * composed from the same parts: the security headers, one context per request, the policy's access
 * check, the route's handler or the query answerer, the request's duration in the metrics. A hot
 * REST route is asked at its exact path, with no parameters, query or body (nothing for
 * rejectUnsafeText to look at); the CSRF guard lets every GET pass. Anything else goes to Express as
 * it is: another method or path, a query string on a REST route, a cross-origin request while CORS
 * is on (the cors middleware answers those), and any refusal or failure, which Express's path then
 * answers (with the context already made, so nobody is authenticated twice, and the queries not
 * tried again). A test holds the answers byte for byte to Express's.
 */
export function hotReads(services: Services, app: RequestListener, parts: AppParts, options: HotReadsOptions): RequestListener {
  const hot = new Map<string, HotRestRoute>();
  for (const route of parts.routes) if (isHot(route)) hot.set(route.path, route);
  const cors = (options.allowedOrigins ?? []).length > 0;
  const { trust } = options;
  const writeHelmets = helmetWriter();
  const { httpDuration } = services.metrics;

  const context = (req: IncomingMessage) => requestContext(services, req, () => credentialsOf(req, proxyaddr(req, trust)));

  /** Express's path starts from a bare response (one that began to be sent is ended instead: a handler's failure after writing). */
  function reset(res: ServerResponse): boolean {
    if (res.headersSent) {
      res.end();
      return true;
    }
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    res.statusCode = 200;
    return false;
  }

  async function served(route: HotRestRoute, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const start = performance.now();
    try {
      const ctx = await context(req);
      checkAccess(route.access, ctx.auth, ctx.authError);
      writeHelmets(res);
      await route.handle(req, res, ctx);
    } catch {
      return reset(res);
    }
    res.once('close', () => observeResponse(httpDuration, route.path, 'GET', res, start));
    return true;
  }

  async function queried(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const start = performance.now();
    writeHelmets(res);
    if (!(await parts.queries(req, res, () => context(req)))) return reset(res);
    res.once('close', () => observeResponse(httpDuration, trpcRouteLabel(path), 'GET', res, start));
    return true;
  }

  /** Express takes what was not answered; an unexpected throw too (a rejection left unhandled would end the process). */
  function orExpress(answered: Promise<boolean>, req: IncomingMessage, res: ServerResponse): void {
    void answered.catch(() => reset(res)).then((done) => done || app(req, res));
  }

  return (req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'GET' || (cors && req.headers.origin !== undefined)) return void app(req, res);
    const route = hot.get(url);
    if (route !== undefined) return orExpress(served(route, req, res), req, res);
    if (url.startsWith('/trpc/')) return orExpress(queried(req, res, url.split('?', 1)[0]!), req, res);
    app(req, res);
  };
}
