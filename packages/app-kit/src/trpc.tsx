import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { httpBatchLink, httpSubscriptionLink, splitLink, type TRPCLink } from '@trpc/client';
import type { CreateTRPCReactBase } from '@trpc/react-query';
import type { AnyTRPCRouter } from '@trpc/server';
import { useState, type ReactNode } from 'react';

type Params = Record<string, string>;

export interface SameOriginLinkOptions {
  url?: string;
  /** Extra headers on every query and mutation (e.g. the chosen workspace). */
  headers?: () => Params;
  /** Connection params of the event stream, which cannot carry headers. */
  connectionParams?: () => Params;
}

/** Same-origin links: the session cookie authenticates both; no token ever lives in script. Plain JSON (the API has no transformer), so one pair fits any router. */
export function sameOriginLinks<TRouter extends AnyTRPCRouter>({ url = '/trpc', headers, connectionParams }: SameOriginLinkOptions = {}): TRPCLink<TRouter>[] {
  return [
    splitLink<AnyTRPCRouter>({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url, ...(connectionParams && { connectionParams }) }),
      false: httpBatchLink<AnyTRPCRouter>({ url, ...(headers && { headers }) }),
    }),
  ];
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    // A failed read retries once (a blip), then the page shows its error state with a retry button.
    defaultOptions: { queries: { retry: 1, retryDelay: 500, staleTime: 5_000 } },
  });
}

export interface ApiProviderProps<TRouter extends AnyTRPCRouter> {
  children: ReactNode;
  /** Tests pass their own links. */
  links?: TRPCLink<TRouter>[];
}

/** An app's tRPC + React Query clients around its own `createTRPCReact<AppRouter>()`. */
export function createApiProvider<TRouter extends AnyTRPCRouter>(
  trpc: Pick<CreateTRPCReactBase<TRouter, unknown>, 'Provider' | 'createClient'>,
  appLinks: () => TRPCLink<TRouter>[],
) {
  return function ApiProvider({ children, links }: ApiProviderProps<TRouter>) {
    const [queryClient] = useState(createQueryClient);
    const [client] = useState(() => trpc.createClient({ links: links ?? appLinks() }));
    return (
      <trpc.Provider client={client} queryClient={queryClient}>
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </trpc.Provider>
    );
  };
}
