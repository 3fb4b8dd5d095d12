import { TRPCClientError } from '@trpc/client';

/** The server's stable code (error.data.code), or undefined for a network failure. */
export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data: unknown = error.data;
  return data && typeof data === 'object' && 'code' in data && typeof data.code === 'string' ? data.code : undefined;
}

/** A sentence for the user: the server's own message when it sent one, else what most likely happened. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError && errorCode(error)) return error.message;
  return 'The Stagegate server could not be reached. Check your connection and try again.';
}
