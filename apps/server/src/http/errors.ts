import { DomainError, fromTrpcError, logInternalTo, publicError, type PublicError } from '@stagegate/api';
import type { Logger } from '@stagegate/api';
import { TRPCError } from '@trpc/server';
import type { Response } from 'express';

/** Any error as what a client may see: the domain's code and message, or "Something went wrong" and an id. */
export function visibleError(error: unknown, logger?: Logger): PublicError {
  const domain = error instanceof TRPCError ? fromTrpcError(error) : error;
  return publicError(domain instanceof DomainError && domain.code === 'INTERNAL' ? (domain.cause ?? domain) : domain, logger ? logInternalTo(logger) : undefined);
}

/** The spec's error shape, `{ success: false, error, code }`, with the status the code carries; a bug is logged to `logger`. */
export function sendError(res: Response, error: unknown, logger?: Logger): void {
  const visible = visibleError(error, logger);
  if (visible.retryAfterSeconds !== undefined) res.set('retry-after', String(visible.retryAfterSeconds));
  res.status(visible.status).json({
    success: false,
    error: visible.message,
    code: visible.code,
    ...(visible.fieldErrors && { field_errors: visible.fieldErrors }),
    ...(visible.errorId && { error_id: visible.errorId }),
  });
}

/** Every request we accept is small; anything larger is a mistake or an attack, answered 413. */
export const BODY_LIMIT_BYTES = 100 * 1024;

/** Status and code for an error thrown by Express or its body parser (they carry `status` and `type`). */
export function httpError(error: unknown): unknown {
  const fields = typeof error === 'object' && error !== null ? (error as { status?: unknown; type?: unknown; limit?: unknown }) : {};
  const status = typeof fields.status === 'number' ? fields.status : 500;
  if (fields.type === 'entity.parse.failed') return new DomainError('VALIDATION_FAILED', 'The request body is not valid JSON');
  // body-parser says which limit it applied (SDK telemetry has its own).
  const limit = typeof fields.limit === 'number' ? fields.limit : BODY_LIMIT_BYTES;
  if (status === 413) return new DomainError('PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes`);
  if (status === 415) return new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as UTF-8 JSON');
  if (status >= 400 && status < 500) return new DomainError('VALIDATION_FAILED', 'The request is malformed');
  return error;
}
