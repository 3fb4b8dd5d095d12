import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';

/**
 * Every stable error code the API answers with, its HTTP status and the tRPC code that carries it.
 * The one table: the tRPC formatter, the REST adapter, the apps and the CLI all read it.
 */
export const ERRORS = {
  UNAUTHORIZED: { status: 401, trpc: 'UNAUTHORIZED' },
  FORBIDDEN: { status: 403, trpc: 'FORBIDDEN' },
  /** A cookie-authenticated change from another site (or without an Origin header). */
  CSRF_REJECTED: { status: 403, trpc: 'FORBIDDEN' },
  /** The caller's workspace admin blocked this beta for the workspace. */
  BLOCKED_BY_WORKSPACE: { status: 403, trpc: 'FORBIDDEN' },
  VALIDATION_FAILED: { status: 400, trpc: 'BAD_REQUEST' },
  WORKSPACE_REQUIRED: { status: 400, trpc: 'BAD_REQUEST' },
  /** More procedures in one batched request than the server takes. */
  BATCH_TOO_LARGE: { status: 400, trpc: 'BAD_REQUEST' },
  FEATURE_NOT_AVAILABLE: { status: 404, trpc: 'NOT_FOUND' },
  FLAG_NOT_FOUND: { status: 404, trpc: 'NOT_FOUND' },
  USER_NOT_FOUND: { status: 404, trpc: 'NOT_FOUND' },
  OVERRIDE_NOT_FOUND: { status: 404, trpc: 'NOT_FOUND' },
  TOKEN_NOT_FOUND: { status: 404, trpc: 'NOT_FOUND' },
  PLAN_NOT_FOUND: { status: 404, trpc: 'NOT_FOUND' },
  SCHEDULED_CHANGE_NOT_FOUND: { status: 404, trpc: 'NOT_FOUND' },
  /** No such procedure or route. */
  NOT_FOUND: { status: 404, trpc: 'NOT_FOUND' },
  METHOD_NOT_SUPPORTED: { status: 405, trpc: 'METHOD_NOT_SUPPORTED' },
  CONFLICT: { status: 409, trpc: 'CONFLICT' },
  PAYLOAD_TOO_LARGE: { status: 413, trpc: 'PAYLOAD_TOO_LARGE' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, trpc: 'UNSUPPORTED_MEDIA_TYPE' },
  /** Too many failed sign-ins from this address: wait `Retry-After` seconds. */
  RATE_LIMITED: { status: 429, trpc: 'TOO_MANY_REQUESTS' },
  /** Overloaded or the database is unreachable; retrying later is right. */
  BUSY: { status: 503, trpc: 'SERVICE_UNAVAILABLE' },
  /** /healthz: serving, but from stale state (the database or its change notifications are out of reach). */
  DEGRADED: { status: 503, trpc: 'SERVICE_UNAVAILABLE' },
  /** A bug: the body says only "Something went wrong" and an error id to quote. */
  INTERNAL: { status: 500, trpc: 'INTERNAL_SERVER_ERROR' },
} as const satisfies Record<string, { status: number; trpc: TRPC_ERROR_CODE_KEY }>;
export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && Object.hasOwn(ERRORS, value);

/** What the domain throws: a stable code and a message a person understands. Knows no transport. */
export class DomainError extends Error {
  override name = 'DomainError';
  /** Per-field messages for VALIDATION_FAILED, e.g. `{ "rolloutPercentage": ["…"] }`. */
  readonly fieldErrors: Record<string, string[]> | null;
  /** Seconds a client should wait (RATE_LIMITED, BUSY). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    details: { fieldErrors?: Record<string, string[]>; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.fieldErrors = details.fieldErrors ?? null;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** The message a 500 shows; what went wrong stays in the log under the error id. */
export const INTERNAL_MESSAGE = 'Something went wrong';
