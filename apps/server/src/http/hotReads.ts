import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { checkAccess, type Services } from '@stagegate/api';
import proxyaddr from 'proxy-addr';
import { isHot, type HotRestRoute, type RestRoute } from '../rest/routes.js';
import { credentialsOf, requestContext } from './credentials.js';
import { observeResponse } from './metrics.js';
import { helmetWriter, type SecurityOptions } from './security.js';

/**
 * The hottest reads (the REST beta list, the SDK snapshot) ahead of Express, whose own work per
 * request (its request and response prototypes, router, finishing) costs more CPU than the whole
 * answer from a warm cache. A GET to a hot route's exact path gets what Express's path for it does,
 * composed from the same parts: the security headers, one context per request, the policy's access
 * check, the route's handler, the request's duration in the metrics. No route parameters, query or
 * body means nothing for rejectUnsafeText to look at; the CSRF guard lets every GET pass. Anything
 * else goes to Express as it is: another method or path, a query string, a cross-origin request
 * while CORS is on (the cors middleware answers those), and any refusal or failure, which Express's
 * path then answers (with the context already made, so nobody is authenticated twice). A test holds
 * the answers byte for byte to Express's.
 */
export interface HotReadsOptions extends SecurityOptions {
  /** The app's compiled `trust proxy` setting: the hot reads work out Express's req.ip with it. */
  trust: ProxyTrust;
}

export type ProxyTrust = Parameters<typeof proxyaddr>[1];

export function hotReads(services: Services, app: RequestListener, routes: readonly RestRoute[], options: HotReadsOptions): RequestListener {
  const hot = new Map<string, HotRestRoute>();
  for (const route of routes) if (isHot(route)) hot.set(route.path, route);
  const cors = (options.allowedOrigins ?? []).length > 0;
  const { trust } = options;
  const writeHelmets = helmetWriter();
  const { httpDuration } = services.metrics;

  async function served(route: HotRestRoute, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const start = performance.now();
    try {
      const ctx = await requestContext(services, req, () => credentialsOf(req, proxyaddr(req, trust)));
      checkAccess(route.access, ctx.auth, ctx.authError);
      writeHelmets(res);
      await route.handle(req, res, ctx);
    } catch {
      if (res.headersSent) {
        res.end();
        return true;
      }
      // Express's path starts from a bare response.
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      res.statusCode = 200;
      return false;
    }
    res.once('close', () => observeResponse(httpDuration, route.path, 'GET', res, start));
    return true;
  }

  return (req, res) => {
    const route = req.method === 'GET' && !(cors && req.headers.origin !== undefined) ? hot.get(req.url ?? '') : undefined;
    if (route === undefined) return void app(req, res);
    void served(route, req, res).then((done) => done || app(req, res));
  };
}
