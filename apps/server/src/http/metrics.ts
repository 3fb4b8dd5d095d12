import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { DomainError, routerProcedures, type Services } from '@stagegate/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendError } from './errors.js';

/** Shorter bearer tokens are guessable: the server refuses to start with one. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/** A /trpc/… path's label: the procedure if it exists, one label for every batch and every unknown name. */
export function trpcRouteLabel(path: string): string {
  const name = path.slice('/trpc/'.length);
  if (name.includes(',')) return '/trpc/(batch)';
  return Object.hasOwn(routerProcedures, name) ? `/trpc/${name}` : '/trpc/(unknown)';
}

/**
 * A bounded `route` label: the Express route pattern (`/api/beta-features/:key/toggle`), a tRPC
 * procedure that exists (`/trpc/flags.evaluate`, batches as one label), or a class of path;
 * never a raw URL, whose ids and typos would grow a series per request.
 */
function routeLabel(req: Request, status: number): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string') return `${req.baseUrl}${pattern}`;
  const path = req.originalUrl.split('?', 1)[0] ?? '';
  if (path.startsWith('/trpc/')) return trpcRouteLabel(path);
  if (status === 404) return '(unmatched)';
  return path === '/admin' || path.startsWith('/admin/') ? '/admin/*' : '/*';
}

/** An event stream, told by the content type its headers went out with (tRPC subscription or /api/flags/stream). */
const isEventStream = (res: Response) => res.headersSent && String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');

/** One closed response in stagegate_http_request_duration_seconds: its status, or 'aborted' when the client left first. */
export function observeResponse(httpDuration: Services['metrics']['httpDuration'], route: string, method: string, res: ServerResponse, start: number): void {
  const status = res.writableFinished ? String(res.statusCode) : 'aborted';
  httpDuration.observe({ route, method, status }, (performance.now() - start) / 1000);
}

/**
 * Request duration by route, method and status (stagegate_http_request_duration_seconds), and open
 * event streams (stagegate_sse_streams_open). A stream's length is how long a client listened, not
 * how fast we answered: streams are left out of the histogram, and counted among the responses still
 * open when Prometheus scrapes, so a request pays for no hook on its headers.
 */
export function httpMetrics(services: Services): RequestHandler {
  const { httpDuration } = services.metrics;
  const open = new Map<Response, Request>();
  services.metrics.countStreams(() => {
    const counts = new Map<string, number>();
    for (const [res, req] of open) {
      if (!isEventStream(res)) continue;
      const route = routeLabel(req, res.statusCode);
      counts.set(route, (counts.get(route) ?? 0) + 1);
    }
    return counts;
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const start = performance.now();
    open.set(res, req);
    res.once('close', () => {
      open.delete(res);
      if (!isEventStream(res)) observeResponse(httpDuration, routeLabel(req, res.statusCode), req.method, res, start);
    });
    next();
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics in Prometheus text, behind a bearer token of its own (STAGEGATE_METRICS_TOKEN),
 * compared in constant time. Without a token configured the endpoint does not exist (404): a
 * scrape target is opted into, never open by default. Not in the REST route table: its caller is
 * a Prometheus server holding this token, not a principal the access policy knows.
 */
export function metricsEndpoint(services: Services, token: string | undefined): RequestHandler {
  if (token !== undefined && token.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new Error(`STAGEGATE_METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters`);
  }
  const expected = token === undefined ? undefined : digest(token);
  const { registry } = services.metrics;
  return async (req: Request, res: Response) => {
    if (expected === undefined) return sendError(res, new DomainError('NOT_FOUND', 'No route GET /metrics'));
    const presented = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    // Hashing first gives equal lengths, so the comparison time says nothing about the token.
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      services.metrics.authFailures.inc({ reason: 'metrics_token' });
      res.set('www-authenticate', 'Bearer realm="metrics"');
      return sendError(res, new DomainError('UNAUTHORIZED', 'GET /metrics needs Authorization: Bearer <STAGEGATE_METRICS_TOKEN>'));
    }
    try {
      const text = await registry.metrics();
      res.set({ 'content-type': registry.contentType, 'cache-control': 'no-store' }).send(text);
    } catch (error) {
      sendError(res, error, services.logger);
    }
  };
}
