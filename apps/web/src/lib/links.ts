import { httpBatchLink, httpSubscriptionLink, splitLink, type TRPCLink } from '@trpc/client';
import type { AppRouter } from '@stagegate/api';
import { chosenWorkspace } from './workspace.js';

/** Same-origin links: the session cookie authenticates both; no token ever lives in script. */
export function appLinks(url = '/trpc'): TRPCLink<AppRouter>[] {
  return [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({
        url,
        connectionParams: () => {
          const workspaceId = chosenWorkspace();
          return workspaceId ? { workspaceId } : {};
        },
      }),
      false: httpBatchLink({
        url,
        headers: () => {
          const workspaceId = chosenWorkspace();
          return workspaceId ? { 'x-workspace-id': workspaceId } : {};
        },
      }),
    }),
  ];
}
