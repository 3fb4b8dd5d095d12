import { authenticate, createContextInner, type Context, type Credentials, type Services } from '@stagegate/api';
import { parse as parseCookies } from 'cookie';
import type { Request } from 'express';

/** The browser session cookie: httpOnly, SameSite=Lax, Secure in production. */
export const SESSION_COOKIE = 'sg_session';

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export function sessionOf(req: Request): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookies(header)[SESSION_COOKIE] : undefined;
}

/** What a request presents: a bearer token, else the session cookie; the workspace; the socket's address. */
export function credentialsOf(req: Request): Credentials {
  return {
    authorization: first(req.headers.authorization),
    session: sessionOf(req),
    workspace: first(req.headers['x-workspace-id']),
    // req.ip: the socket's address, or the client's as a trusted proxy reports it (AppOptions.trustProxy).
    address: req.ip ?? req.socket.remoteAddress,
  };
}

/** The procedure context for a request: who is calling, authenticated once, checked by the policy later. */
export async function contextFor(services: Services, credentials: Credentials): Promise<Context> {
  const { auth, error } = await authenticate(services, credentials);
  return createContextInner({ services, auth, authError: error });
}
