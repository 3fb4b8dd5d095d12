import { randomUUID } from 'node:crypto';
import { DomainError, ERRORS, INTERNAL_MESSAGE, type ErrorCode } from './contract/errors.js';
import { createLogger, type Logger } from './logger.js';

export { DomainError, ERRORS, type ErrorCode } from './contract/errors.js';

export function fail(code: ErrorCode, message: string): never {
  throw new DomainError(code, message);
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

/** A person-readable message for a validation failure, from its field errors. */
export function validationMessage(fields: Record<string, string[]>): string {
  return Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join('; ')}`)
    .join(', ');
}

/** A zod failure as the domain's VALIDATION_FAILED, field by field. */
export function validationError(cause: unknown): DomainError {
  const fields = fieldErrors(cause) ?? {};
  return new DomainError('VALIDATION_FAILED', validationMessage(fields) || 'The input is not valid', { fieldErrors: fields });
}

/** What a response may say about an error: its code, status and message; a bug says nothing but an id to quote. */
export interface PublicError {
  code: ErrorCode;
  status: number;
  message: string;
  fieldErrors: Record<string, string[]> | null;
  retryAfterSeconds: number | undefined;
  /** Only for INTERNAL: the id the log line carries. */
  errorId: string | undefined;
}

/** The one place an error becomes something a client may see; internals go to the log under an id. */
export function publicError(error: unknown, log: (errorId: string, error: unknown) => void = logInternal): PublicError {
  if (error instanceof DomainError && error.code !== 'INTERNAL') {
    return { code: error.code, status: ERRORS[error.code].status, message: error.message, fieldErrors: error.fieldErrors, retryAfterSeconds: error.retryAfterSeconds, errorId: undefined };
  }
  const errorId = randomUUID();
  log(errorId, error);
  return { code: 'INTERNAL', status: 500, message: `${INTERNAL_MESSAGE} (error id ${errorId})`, fieldErrors: null, retryAfterSeconds: undefined, errorId };
}

/** Where a bug is written down, with the id its response shows: the caller's logger, or one for the process. */
export const logInternalTo =
  (logger: Logger) =>
  (errorId: string, error: unknown): void =>
    logger.error({ event: 'internal_error', errorId, err: error }, 'internal error');

let processLogger: Logger | undefined;
const logInternal = (errorId: string, error: unknown) => logInternalTo((processLogger ??= createLogger()))(errorId, error);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Deeper than any input we take; refusing it early keeps a hostile body from costing a stack. */
const MAX_INPUT_DEPTH = 16;

/**
 * Text the database and the apps cannot hold faithfully: NUL bytes (PostgreSQL refuses them) and
 * lone surrogates (not Unicode). Checked on every input before its schema runs; names the first offending field.
 */
export function rejectUnsafeText(input: unknown): void {
  const unsafe = findUnsafeText(input, 0);
  if (unsafe) refuse(unsafe.path.reverse().join('.'), unsafe.message);
}

interface Unsafe {
  /** Field names from the offending one outwards: the path is built only for a refusal (this runs on every request). */
  path: string[];
  message: string;
}

function findUnsafeText(value: unknown, depth: number): Unsafe | undefined {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { path: [], message: 'must not contain NUL characters' };
    if (LONE_SURROGATE.test(value)) return { path: [], message: 'must be valid Unicode text (it has a lone surrogate)' };
    return undefined;
  }
  if (typeof value !== 'object' || value === null || value instanceof Date) return undefined;
  if (depth >= MAX_INPUT_DEPTH) return { path: [], message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key.includes('\u0000') || LONE_SURROGATE.test(key)) return { path: [key], message: 'is not a valid field name' };
    const unsafe = findUnsafeText((value as Record<string, unknown>)[key], depth + 1);
    if (unsafe) {
      unsafe.path.push(key);
      return unsafe;
    }
  }
  return undefined;
}

function refuse(path: string, message: string): never {
  const field = path || '(input)';
  throw new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { fieldErrors: { [field]: [message] } });
}
