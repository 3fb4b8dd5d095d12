import { toast } from '@stagegate/ui/toast';
import { errorMessage, isStale } from '../lib/errors.js';
import { trpc, type AdminFlag } from '../lib/trpc.js';

/**
 * The flag page's writes. Each names the version on screen (stale → refused with "changed by
 * someone else — reload"), puts the answer in the cache and refreshes the lists that show it.
 */
export function useFlagWrites(flagKey: string) {
  const utils = trpc.useUtils();
  const onSuccess = (flag: AdminFlag) => {
    utils.admin.flags.get.setData({ key: flagKey }, flag);
    void utils.admin.flags.list.invalidate();
    void utils.admin.status.invalidate();
    void utils.admin.audit.invalidate();
    void utils.admin.flags.explain.invalidate();
  };
  const reload = () => void utils.admin.flags.get.invalidate({ key: flagKey });
  const onError = (error: unknown) => {
    if (isStale(error)) toast.error(errorMessage(error), { action: { label: 'Reload', onClick: reload } });
    else toast.error(errorMessage(error));
  };
  const options = { onSuccess, onError };
  return {
    update: trpc.admin.flags.update.useMutation({ onSuccess }),
    setStage: trpc.admin.flags.setStage.useMutation(options),
    setRollout: trpc.admin.flags.setRollout.useMutation(options),
    setAdminOverride: trpc.admin.flags.setAdminOverride.useMutation(options),
    kill: trpc.admin.flags.kill.useMutation({ onSuccess }),
    restore: trpc.admin.flags.restore.useMutation({ onSuccess }),
  };
}
