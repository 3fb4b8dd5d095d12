/**
 * Test fixtures for the HTTP host (`@stagegate/server/testing`): the real server on a loopback port
 * over a harness's services, plain-HTTP and typed tRPC clients. Tests only.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppRouter, Services } from '@stagegate/api';
import { routerProcedures, startHarness, type Harness, type HarnessOptions } from '@stagegate/api/testing';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { createHttpServer, type AppOptions } from '../app.js';

export interface TestServer {
  url: string;
  /**
   * One tRPC call over plain HTTP, as a client in any language makes it: queries as GET with
   * `?input=`, mutations as POST with a JSON body (`rawBody` sends bytes as they are).
   */
  call(path: string, input: unknown, headers?: Record<string, string>, rawBody?: string): Promise<{ status: number; code: string | undefined }>;
  /** A typed tRPC client over HTTP with these headers; subscriptions go over SSE. */
  client(headers?: Record<string, string>): ReturnType<typeof createTRPCClient<AppRouter>>;
  /** Cuts every open connection (event streams included), as a proxy restart would. */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startServer(services: Services, options: AppOptions = {}): Promise<TestServer> {
  const server: Server = createHttpServer(services, options).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async call(path, input, headers = {}, rawBody) {
      const query = routerProcedures[path]?._def.type === 'query';
      const search = query && input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(input))}` : '';
      const response = await fetch(`${url}/trpc/${path}${search}`, {
        method: query ? 'GET' : 'POST',
        headers: { ...headers, ...(!query && { 'content-type': 'application/json' }) },
        body: query ? undefined : (rawBody ?? (input === undefined ? undefined : JSON.stringify(input))),
      });
      const body = (await response.json()) as { error?: { data?: { code?: string } } };
      return { status: response.status, code: body.error?.data?.code };
    },
    client: (headers = {}) =>
      createTRPCClient<AppRouter>({
        links: [
          splitLink({
            condition: (op) => op.type === 'subscription',
            // The `eventsource` package (Node 20 has no EventSource), through a fetch that sends the headers.
            true: httpSubscriptionLink({
              url: `${url}/trpc`,
              EventSource,
              eventSourceOptions: { fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...headers } }) },
            }),
            false: httpBatchLink({ url: `${url}/trpc`, headers }),
          }),
        ],
      }),
    dropConnections: () => server.closeAllConnections(),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export interface HarnessWithServer extends Harness {
  server: TestServer;
}

/** startHarness, and the real HTTP server on a loopback port over its services; close() stops both. */
export async function startHarnessWithServer(options: HarnessOptions & { app?: AppOptions } = {}): Promise<HarnessWithServer> {
  const harness = await startHarness(options);
  const server = await startServer(harness.services, options.app);
  return {
    ...harness,
    server,
    async close() {
      await server.close();
      await harness.close();
    },
  };
}

// The API's fixtures too, so an HTTP test imports one module.
export * from '@stagegate/api/testing';
