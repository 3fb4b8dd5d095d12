import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { DomainError } from '@stagegate/api';
import { SESSION_COOKIE } from './credentials.js';
import { sendError } from './errors.js';

export interface SecurityOptions {
  /** Origins allowed to call with credentials (CORS) and to send cookie-authenticated changes; none by default (the apps are same-origin). */
  allowedOrigins?: readonly string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A change made with the session cookie must come from our own pages (or an allowed origin): the
 * browser sends the cookie along with any site's form or fetch, but it always names the page's Origin.
 */
export function csrfGuard(options: SecurityOptions): RequestHandler {
  const allowed = new Set(options.allowedOrigins ?? []);
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const cookieAuthenticated = !req.headers.authorization && (req.headers.cookie?.includes(`${SESSION_COOKIE}=`) ?? false);
    if (!cookieAuthenticated && !req.path.startsWith('/auth/')) return next();
    const origin = req.get('origin');
    const own = origin !== undefined && URL.canParse(origin) && new URL(origin).host === req.get('host');
    if (own || (origin !== undefined && allowed.has(origin))) return next();
    sendError(res, new DomainError('CSRF_REJECTED', 'This change must come from a Stagegate page (the Origin header did not match)'));
  };
}

/**
 * helmet's headers, worked out once. With no directive given as a function (no CSP nonces) they
 * depend on nothing in the request, so one loop sets them instead of helmet's twelve middlewares
 * running per response; helmet stays the one that decides what they are.
 */
function helmetHeaders(): { set: ReadonlyArray<readonly [string, string]>; removed: readonly string[] } {
  const set = new Map<string, string>();
  const removed = new Set<string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => void set.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => void (set.delete(name.toLowerCase()), removed.add(name.toLowerCase())),
  };
  let done = false;
  helmet()({} as IncomingMessage, recorder as unknown as ServerResponse, () => (done = true));
  if (!done) throw new Error('helmet did not finish synchronously: its headers cannot be worked out once');
  return { set: [...set], removed: [...removed] };
}

/** Puts helmet's headers on a response (worked out once per call of this). */
export function helmetWriter(): (res: ServerResponse) => void {
  const helmets = helmetHeaders();
  return (res) => {
    for (const [name, value] of helmets.set) res.setHeader(name, value);
    for (const name of helmets.removed) res.removeHeader(name);
  };
}

/** Security headers, and CORS only for the configured origins (none: no CORS headers at all). */
export function securityHeaders(options: SecurityOptions): RequestHandler[] {
  const allowed = new Set(options.allowedOrigins ?? []);
  const writeHelmets = helmetWriter();
  const handlers: RequestHandler[] = [
    (_req, res, next) => {
      writeHelmets(res);
      next();
    },
  ];
  if (allowed.size > 0) handlers.push(cors({ origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin)), credentials: true }));
  return handlers;
}
