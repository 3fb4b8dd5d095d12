import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { seedDemo, type SeedResult } from '@stagegate/db';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { openTestDatabase, type TestDatabase } from '@stagegate/db/testing';
import { createEvaluationCounter } from '../src/analytics/evaluations.js';
import { createAnalytics } from '../src/analytics/posthog.js';
import { createServices } from '../src/createServices.js';
import type { AppRouter } from '../src/router.js';
import { createApp } from '../src/server.js';
import type { Services } from '../src/services.js';

export interface LiveServer {
  url: string;
  db: TestDatabase;
  services: Services;
  seed: SeedResult;
  /** Cuts every open connection (event streams included), as a proxy restart would. */
  dropConnections(): void;
  close(): Promise<void>;
}

/** The real app on a loopback port over a fresh, seeded test database (PGlite, or PostgreSQL with STAGEGATE_TEST_PG). */
export async function startLiveServer(): Promise<LiveServer> {
  const db = await openTestDatabase();
  const seed = await seedDemo(db, { env: {} });
  const services = createServices({
    db,
    analytics: createAnalytics({ apiKey: undefined, log: () => undefined }),
    // Flushed by the tests that read the counts; no timer left behind.
    evaluations: createEvaluationCounter(db, () => new Date(), { flushIntervalMs: 0 }),
  });
  const server = createApp(services).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    services,
    seed,
    dropConnections: () => server.closeAllConnections(),
    async close() {
      // Open event streams never end by themselves.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
      await db.close();
    },
  };
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function eventually(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A typed tRPC client over real HTTP; subscriptions go over SSE with the `eventsource` package (Node 20 has no EventSource). */
export function trpcClient(url: string, token: string) {
  const authorization = `Bearer ${token}`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          EventSource,
          eventSourceOptions: { fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, authorization } }) },
        }),
        false: httpLink({ url: `${url}/trpc`, headers: { authorization } }),
      }),
    ],
  });
}
