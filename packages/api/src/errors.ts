import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';

/** Stable error codes the apps and the CLI switch on, and the HTTP status each one carries. */
export const ERROR_CODES = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  VALIDATION_FAILED: 'BAD_REQUEST',
  WORKSPACE_REQUIRED: 'BAD_REQUEST',
  FEATURE_NOT_AVAILABLE: 'NOT_FOUND',
  FLAG_NOT_FOUND: 'NOT_FOUND',
  USER_NOT_FOUND: 'NOT_FOUND',
  OVERRIDE_NOT_FOUND: 'NOT_FOUND',
  /** No such procedure or route. */
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_SUPPORTED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  /** Overloaded (e.g. no database connection in time); retrying later is right. */
  BUSY: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<string, TRPC_ERROR_CODE_KEY>;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Carried as the `cause` of a TRPCError so the formatter can put the stable code in `error.data.code`. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A TRPCError that carries a stable code; for places that hand an error over instead of throwing it. */
export function domainError(code: ErrorCode, message: string): TRPCError {
  return new TRPCError({ code: ERROR_CODES[code], message, cause: new DomainError(code, message) });
}

export function fail(code: ErrorCode, message: string): never {
  throw domainError(code, message);
}

interface ValidationIssue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

/** Flattened field errors from a zod / Standard Schema failure: `{ "rollout.percentage": ["…"] }`. */
export function fieldErrors(cause: unknown): Record<string, string[]> | null {
  if (!cause || typeof cause !== 'object' || !('issues' in cause) || !Array.isArray(cause.issues)) return null;
  const fields: Record<string, string[]> = {};
  for (const issue of cause.issues as ValidationIssue[]) {
    const path = (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part)).join('.') || '(input)';
    (fields[path] ??= []).push(issue.message);
  }
  return fields;
}

/** The stable code for any error a procedure ended with. */
export function errorCodeOf(error: TRPCError): ErrorCode {
  if (error.cause instanceof DomainError) return error.cause.code;
  if (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR') return 'VALIDATION_FAILED';
  const known = (Object.keys(ERROR_CODES) as ErrorCode[]).find((code) => code === error.code);
  return known ?? 'INTERNAL';
}

/** A person-readable message for a validation failure, from its field errors. */
export function validationMessage(fields: Record<string, string[]>): string {
  return Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join('; ')}`)
    .join(', ');
}
