import { SESSION_TTL_MS, SignInInput, signIn, signOut, type Services } from '@stagegate/api';
import { DEMO_USERS } from '@stagegate/db/demo';
import { serialize } from 'cookie';
import type { Response } from 'express';
import { SESSION_COOKIE, sessionOf } from '../http/credentials.js';
import { parse } from './parse.js';
import type { RestRoute } from './routes.js';

export interface SessionOptions {
  /** Outside production: sign in as a seeded demo user without a token. */
  demo: boolean;
  /** Secure cookies (HTTPS only): on in production. */
  secure: boolean;
}

function setCookie(res: Response, value: string, maxAgeMs: number, secure: boolean) {
  res.append('set-cookie', serialize(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: Math.floor(maxAgeMs / 1000) }));
}

/**
 * Browser sign-in: a token (or a demo user) exchanged for an httpOnly session cookie, so pages and
 * their EventSource subscriptions authenticate without a token in script or in a URL.
 */
export function sessionRoutes(services: Services, options: SessionOptions): readonly RestRoute[] {
  return [
    {
      method: 'post',
      path: '/auth/session',
      access: 'public',
      async handle(req, res) {
        const session = await signIn(services, parse(SignInInput, req.body), { demo: options.demo, address: req.ip ?? req.socket.remoteAddress });
        setCookie(res, session.session, SESSION_TTL_MS, options.secure);
        return { signedIn: true, expiresAt: session.expiresAt.toISOString() };
      },
    },
    {
      method: 'delete',
      path: '/auth/session',
      access: 'public',
      async handle(req, res) {
        const session = sessionOf(req);
        if (session) await signOut(services, session);
        setCookie(res, '', 0, options.secure);
        return { signedIn: false };
      },
    },
    {
      method: 'get',
      path: '/auth/demo-users',
      access: 'public',
      // The sign-in page's picker; nothing to list where demo sign-in is off.
      handle: async () => ({ enabled: options.demo, users: options.demo ? DEMO_PICKS : [] }),
    },
  ];
}

const DEMO_PICKS = Object.entries(DEMO_USERS).map(([key, user]) => ({ key, email: user.email, name: user.name, operatorRole: user.operatorRole, workspace: user.workspace }));
