import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { httpBatchLink, httpSubscriptionLink, splitLink, type TRPCLink } from '@trpc/client';
import type { AppRouter } from '@stagegate/api';
import { useState, type ReactNode } from 'react';
import { trpc } from './trpc.js';

/** Same-origin links: the session cookie authenticates both; no token ever lives in script. */
export function appLinks(url = '/trpc'): TRPCLink<AppRouter>[] {
  return [splitLink({ condition: (op) => op.type === 'subscription', true: httpSubscriptionLink({ url }), false: httpBatchLink({ url }) })];
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    // A failed read retries once (a blip), then the page shows its error state with a retry button.
    defaultOptions: { queries: { retry: 1, retryDelay: 500, staleTime: 5_000 } },
  });
}

/** The dashboard's tRPC + React Query clients; tests pass their own links. */
export function ApiProvider({ children, links }: { children: ReactNode; links?: TRPCLink<AppRouter>[] }) {
  const [queryClient] = useState(createQueryClient);
  const [client] = useState(() => trpc.createClient({ links: links ?? appLinks() }));
  return (
    <trpc.Provider client={client} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
