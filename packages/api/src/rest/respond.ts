import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Request, Response } from 'express';
import type { ZodType } from 'zod';
import { authenticate } from '../auth.js';
import type { Auth } from '../context.js';
import { domainError, errorCodeOf, fail, fieldErrors, validationMessage } from '../errors.js';
import type { Services } from '../services.js';

/** The spec's error shape, `{ success: false, error, code }`, with the status the code carries. */
export function sendError(res: Response, error: unknown): void {
  if (!(error instanceof TRPCError)) {
    console.error('rest: unexpected error', error);
    res.status(500).json({ success: false, error: 'Something went wrong on our side', code: 'INTERNAL' });
    return;
  }
  const status = getHTTPStatusCodeFromError(error);
  if (status >= 500) console.error('rest: request failed', error);
  res.status(status).json({ success: false, error: status >= 500 ? 'Something went wrong on our side' : error.message, code: errorCodeOf(error) });
}

/** Whoever a REST request is from (user or service), or an error response already sent. */
export async function requireAuth(services: Services, req: Request, res: Response): Promise<Auth | undefined> {
  const { auth, error } = await authenticate(services, { authorization: req.get('authorization'), workspace: req.get('x-workspace-id') });
  if (error) return void sendError(res, error);
  if (!auth) return void sendError(res, domainError('UNAUTHORIZED', 'Sign in with an API token (Authorization: Bearer …)'));
  return auth;
}

/** The signed-in user of a REST request, or an error response already sent. */
export async function requireUser(services: Services, req: Request, res: Response): Promise<Extract<Auth, { kind: 'user' }> | undefined> {
  const auth = await requireAuth(services, req, res);
  if (!auth) return undefined;
  if (auth.kind !== 'user') return void sendError(res, domainError('UNAUTHORIZED', 'Sign in with a user token (Authorization: Bearer …)'));
  return auth;
}

/** Parses a request part with a zod schema; a failure is VALIDATION_FAILED with the fields named. */
export function parse<T>(schema: ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) fail('VALIDATION_FAILED', validationMessage(fieldErrors(result.error) ?? {}));
  return result.data;
}
