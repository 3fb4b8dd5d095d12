// Subscriptions over real SSE for tests: tRPC's standalone HTTP adapter (no framework) on the
// harness's services, authenticating bearer tokens as the server does; Node's client is `eventsource`.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll } from 'vitest';
import { authenticate } from '../auth.js';
import { createContextInner } from '../context.js';
import { appRouter, type AppRouter } from '../router.js';
import { startHarness, type Harness } from './harness.js';

export interface SseServer {
  url: string;
  /** Drops every open stream, as a network blip does. */
  dropConnections(): void;
  close(): void;
}

export async function startSseServer(h: Harness): Promise<SseServer> {
  const server = createHTTPServer({
    router: appRouter,
    createContext: async ({ req }) => {
      const { auth, error } = await authenticate(h.services, { authorization: req.headers.authorization });
      return createContextInner({ services: h.services, auth, authError: error });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dropConnections: () => server.closeAllConnections(),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A client whose subscriptions go to `url` over SSE with `token` as the bearer. */
export function sseClient(url: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpSubscriptionLink({
        url,
        EventSource,
        eventSourceOptions: { fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }) },
      }),
    ],
  });
}

/** A harness and an SSE server for the whole test file (beforeAll / afterAll); read them inside the tests. */
export function sseSuite(): { readonly h: Harness; readonly server: SseServer } {
  let h: Harness | undefined;
  let server: SseServer | undefined;
  beforeAll(async () => {
    h = await startHarness();
    server = await startSseServer(h);
  });
  afterAll(async () => {
    server?.close();
    await h?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('sseSuite: read it inside a test, after beforeAll');
    return value;
  };
  return {
    get h() {
      return started(h);
    },
    get server() {
      return started(server);
    },
  };
}
