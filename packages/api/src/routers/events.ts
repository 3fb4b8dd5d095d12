import type { FlagChange } from '@stagegate/flags-core';
import { memberProcedure, router } from '../trpc.js';

/**
 * What a signed-in client is told: the flag set changed, its own state changed, its workspace's
 * policy changed, or "refetch everything". Nothing about other users or other workspaces.
 */
export type ClientChange = { kind: 'flags' } | { kind: 'user'; userId: string } | { kind: 'workspace' } | { kind: 'reset' };

/** A client that stops reading gets one reset instead of an ever-growing backlog. */
const MAX_BACKLOG = 100;

export const eventsRouter = router({
  /**
   * Server-sent events over tRPC. The first event is always a reset: the client may have missed
   * changes before (or between) connections. Other users' changes are never sent.
   */
  onChange: memberProcedure.subscription(async function* ({ ctx, signal }): AsyncGenerator<ClientChange, void, unknown> {
    const { user } = ctx.member;
    const workspaceId = ctx.member.workspace.id;
    let backlog: ClientChange[] = [];
    let wake: (() => void) | undefined;

    const relevant = (change: FlagChange): ClientChange | undefined => {
      if (change.kind === 'workspace') return change.workspaceId === workspaceId ? { kind: 'workspace' } : undefined;
      if (change.kind !== 'user') return { kind: change.kind };
      const mine = change.userId === user.id && (change.workspaceId === undefined || change.workspaceId === workspaceId);
      return mine ? { kind: 'user', userId: user.id } : undefined;
    };
    // Subscribed before the first yield, so nothing published after connecting is lost.
    const unsubscribe = ctx.services.changes.subscribe((change) => {
      const event = relevant(change);
      if (!event) return;
      if (backlog.length >= MAX_BACKLOG) backlog = [{ kind: 'reset' }];
      else backlog.push(event);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);

    try {
      yield { kind: 'reset' };
      while (!signal?.aborted) {
        if (backlog.length === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        const events = backlog;
        backlog = [];
        for (const event of events) yield event;
      }
    } finally {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    }
  }),
});
