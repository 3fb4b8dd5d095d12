import type { IncomingMessage } from 'node:http';
import { authenticate, createContextInner, type Context, type Credentials, type Services } from '@stagegate/api';
import { parse as parseCookies } from 'cookie';

/** The browser session cookie: httpOnly, SameSite=Lax, Secure in production. */
export const SESSION_COOKIE = 'sg_session';

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export function sessionOf(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookies(header)[SESSION_COOKIE] : undefined;
}

/**
 * What a request presents: a bearer token, else the session cookie; the workspace; and `address`,
 * the client's (Express's req.ip: the socket's, or the client's as a trusted proxy reports it, see
 * AppOptions.trustProxy), for the failed-sign-in limit.
 */
export function credentialsOf(req: IncomingMessage, address: string | undefined): Credentials {
  return { authorization: first(req.headers.authorization), session: sessionOf(req), workspace: first(req.headers['x-workspace-id']), address: address ?? req.socket.remoteAddress };
}

/** The procedure context for a request: who is calling, authenticated once, checked by the policy later. */
async function contextFor(services: Services, credentials: Credentials): Promise<Context> {
  const { auth, error } = await authenticate(services, credentials);
  return createContextInner({ services, auth, authError: error });
}

/** Each request's context, so a path that hands a request on (the hot reads, the query path) does not authenticate it twice. */
const contexts = new WeakMap<IncomingMessage, Promise<Context>>();

/** The request's context: the one made for it already, else made from its credentials and kept. */
export function requestContext(services: Services, req: IncomingMessage, credentials: () => Credentials): Promise<Context> {
  let context = contexts.get(req);
  if (context === undefined) {
    context = contextFor(services, credentials());
    contexts.set(req, context);
  }
  return context;
}
