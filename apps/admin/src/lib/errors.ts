import { TRPCClientError } from '@trpc/client';

/** The server's stable code (error.data.code), or undefined for a network failure. */
export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data: unknown = error.data;
  return data && typeof data === 'object' && 'code' in data && typeof data.code === 'string' ? data.code : undefined;
}

export const STALE_MESSAGE = 'This flag was changed by someone else — reload to see their change, then try again.';

/** A sentence for the operator: a stale save says so in plain words; otherwise the server's own message. */
export function errorMessage(error: unknown): string {
  const code = errorCode(error);
  if (code === 'CONFLICT' && error instanceof Error && /version/.test(error.message)) return STALE_MESSAGE;
  if (error instanceof TRPCClientError && code) return error.message;
  return 'The Stagegate server could not be reached. Check your connection and try again.';
}

/** A stale expectedVersion: the save was refused, nothing was overwritten. */
export const isStale = (error: unknown) => errorCode(error) === 'CONFLICT' && error instanceof Error && /version/.test(error.message);

/** The server's per-field messages (VALIDATION_FAILED), keyed by field name. */
export function serverFieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof TRPCClientError)) return {};
  const data: unknown = error.data;
  const fields = data && typeof data === 'object' && 'fieldErrors' in data ? data.fieldErrors : undefined;
  if (!fields || typeof fields !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(fields)) {
    const first: unknown = Array.isArray(messages) ? messages[0] : messages;
    if (typeof first === 'string') out[field] = first;
  }
  return out;
}
