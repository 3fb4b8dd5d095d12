import type { FlagChange } from '@stagegate/flags-core';
import { NoInput } from '../../contract/inputs.js';
import { createStreamBacklog } from '../../streamBacklog.js';
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
      const backlog = createStreamBacklog<OperatorChange>(MAX_BACKLOG, () => ({ kind: 'reset' }));
      const unsubscribe = ctx.services.changes.subscribe((change) => backlog.push({ kind: change.kind }));
      try {
        // Whatever happened before this connection (or between two) is unknown: refetch.
        yield { kind: 'reset' };
        yield* backlog.drain(signal);
      } finally {
        unsubscribe();
      }
    }),
});
