import { toast } from '@stagegate/ui/toast';
import { useQueryClient } from '@tanstack/react-query';
import { getMutationKey } from '@trpc/react-query';
import { useSession } from '../auth/SessionContext.js';
import { trpc } from '../lib/trpc.js';
import { describeChanges } from './describeChanges.js';

/**
 * Follows events.onChangeResumable: on any change (a kill, a stage, an override, the workspace's
 * policy) refetch what the shell shows and say in a toast what changed. The link resumes after a
 * dropped connection with the last event's id, so the server replays what was missed.
 */
export function useLiveUpdates(): void {
  const utils = trpc.useUtils();
  const { isWorkspaceAdmin } = useSession();
  const queryClient = useQueryClient();

  trpc.events.onChangeResumable.useSubscription(undefined, {
    onData: () => {
      void (async () => {
        const before = utils.betaFeatures.list.getData();
        void utils.flags.evaluate.invalidate();
        if (isWorkspaceAdmin) void utils.workspace.policy.invalidate();
        // A toggle in flight refetches when it settles; refetching now would undo its optimistic state.
        if (queryClient.isMutating({ mutationKey: getMutationKey(trpc.betaFeatures.toggle) }) > 0) return;
        const after = await utils.betaFeatures.list.fetch(undefined, { staleTime: 0 });
        if (!before) return;
        for (const message of describeChanges(before.features, after.features).slice(0, 3)) toast.info(message);
      })().catch(() => undefined);
    },
  });
}
