import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { TRPCLink } from '@trpc/client';
import type { AppRouter } from '@stagegate/api';
import { useState, type ReactNode } from 'react';
import { appLinks } from './links.js';
import { trpc } from './trpc.js';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // A failed read retries once (a blip), then the page shows its error state with a retry button.
      queries: { retry: 1, retryDelay: 500, staleTime: 5_000 },
    },
  });
}

/** The app's tRPC + React Query clients; tests pass their own links. */
export function ApiProvider({ children, links }: { children: ReactNode; links?: TRPCLink<AppRouter>[] }) {
  const [queryClient] = useState(createQueryClient);
  const [client] = useState(() => trpc.createClient({ links: links ?? appLinks() }));
  return (
    <trpc.Provider client={client} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
