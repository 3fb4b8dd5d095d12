import { toast } from '@stagegate/ui/toast';
import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../lib/errors.js';
import { trpc, type BetaFeature } from '../lib/trpc.js';

/**
 * The spec's hook on tRPC: the list, and a toggle that moves the switch at once, shows the server's
 * message, and on a refusal puts back only that feature. Several features may be in flight at once.
 */
export function useBetaFeatures() {
  const utils = trpc.useUtils();
  const list = trpc.betaFeatures.list.useQuery();
  const inFlight = useRef(new Set<string>());
  const [pendingKeys, setPendingKeys] = useState<ReadonlySet<string>>(new Set());
  const setPending = (key: string, pending: boolean) => {
    if (pending) inFlight.current.add(key);
    else inFlight.current.delete(key);
    setPendingKeys(new Set(inFlight.current));
  };

  const toggle = trpc.betaFeatures.toggle.useMutation({
    onMutate: async ({ key, enabled }) => {
      setPending(key, true);
      await utils.betaFeatures.list.cancel();
      const previous = utils.betaFeatures.list.getData()?.features.find((f) => f.key === key);
      utils.betaFeatures.list.setData(undefined, (old) => old && { ...old, features: old.features.map((f) => (f.key === key ? { ...f, enabled } : f)) });
      return { previous };
    },
    onError: (error, { key }, context) => {
      const previous = context?.previous;
      if (previous) utils.betaFeatures.list.setData(undefined, (old) => old && { ...old, features: old.features.map((f) => (f.key === key ? previous : f)) });
      toast.error('Failed to update feature', { description: `${previous?.name ?? key}: ${errorMessage(error)}` });
    },
    onSuccess: (data) => {
      toast.success(data.message);
    },
    onSettled: (_data, _error, { key }) => {
      setPending(key, false);
      // Refetch once the last toggle settles: an earlier refetch would undo the others' optimistic state.
      if (inFlight.current.size === 0) {
        void utils.betaFeatures.list.invalidate();
        void utils.flags.evaluate.invalidate();
      }
    },
  });

  const { mutate } = toggle;
  const toggleFeature = useCallback(
    (feature: BetaFeature, enabled: boolean) => {
      if (inFlight.current.has(feature.key)) return;
      mutate({ key: feature.key, enabled });
    },
    [mutate],
  );

  return {
    features: list.data?.features ?? [],
    isLoading: list.isPending,
    error: list.error,
    isRefetching: list.isFetching,
    refetch: list.refetch,
    toggleFeature,
    pendingKeys,
  };
}

