import type { FlagChange } from '@stagegate/flags-core';
import { NoInput } from '../../contract/inputs.js';
import { operatorProcedure, router } from '../../trpc.js';

/** What an operator's dashboard is told: which kind of thing changed (operators may read all of it), or "refetch everything". */
export type OperatorChange = { kind: FlagChange['kind'] };

/** A dashboard that stops reading gets one reset instead of an ever-growing backlog. */
const MAX_BACKLOG = 100;

/**
 * Operators belong to no workspace, so `events.onChange` (a member's stream) refuses them; this
 * one follows every change so two operators see each other's edits without reload.
 */
export const adminEventsRouter = router({
  onChange: operatorProcedure('viewer')
    .input(NoInput)
    .subscription(async function* ({ ctx, signal }): AsyncGenerator<OperatorChange, void, unknown> {
      let backlog: OperatorChange[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = ctx.services.changes.subscribe((change) => {
        backlog = backlog.length >= MAX_BACKLOG ? [{ kind: 'reset' }] : [...backlog, { kind: change.kind }];
        wake?.();
      });
      const onAbort = () => wake?.();
      signal?.addEventListener('abort', onAbort);
      try {
        // Whatever happened before this connection (or between two) is unknown: refetch.
        yield { kind: 'reset' };
        while (!signal?.aborted) {
          if (backlog.length === 0) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            continue;
          }
          const events = backlog;
          backlog = [];
          yield* events;
        }
      } finally {
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
      }
    }),
});
