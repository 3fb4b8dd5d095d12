import { isErrorCode } from '@stagegate/api/contract';
import { TRPCClientError } from '@trpc/client';

/** Exit codes: 0 done, 1 the API or the database refused or failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

/** The command line is wrong: exit 2, naming the argument. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What a failed call says on stderr: `CODE: message`, and the exit code that goes with it. */
export function describeFailure(error: unknown, url: string | undefined): { line: string; exit: number } {
  if (error instanceof UsageError) return { line: `usage: ${error.message}`, exit: EXIT.usage };
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: unknown } | undefined;
    if (isErrorCode(data?.code)) return { line: `${data.code}: ${error.message}`, exit: EXIT.refused };
    // No answer at all: the API is down or the URL is wrong.
    return { line: `UNREACHABLE: cannot reach the API at ${url ?? '(no URL)'} (${error.cause instanceof Error ? error.cause.message : error.message}); for a kill or restore, --database-url works without it`, exit: EXIT.refused };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (isErrorCode(code)) return { line: `${code}: ${(error as Error).message}`, exit: EXIT.refused };
  return { line: `INTERNAL: ${error instanceof Error ? error.message : String(error)}`, exit: EXIT.refused };
}
