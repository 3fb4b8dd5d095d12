/**
 * Test fixtures for the API: a migrated, seeded throwaway database with this process's services,
 * callers acting as the demo users, and the real HTTP server on a loopback port. Tests only.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { TRPCError, type AnyProcedure } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { DEMO_TOKENS, hashToken, seedDemo, type Database, type PrismaClient, type SeedResult } from '@stagegate/db';
import { openTestDatabase, type TestDatabase } from '@stagegate/db/testing';
import { EventSource } from 'eventsource';
import { expect } from 'vitest';
import { createEvaluationCounter } from '../analytics/evaluations.js';
import { createAnalytics } from '../analytics/posthog.js';
import { authenticate } from '../auth.js';
import { createContextInner } from '../context.js';
import { createServices } from '../createServices.js';
import { errorCodeOf, type ErrorCode } from '../errors.js';
import { appRouter, createCaller, type AppRouter } from '../router.js';
import { createApp } from '../server.js';
import type { Analytics, Services } from '../services.js';

export interface Harness {
  db: TestDatabase;
  services: Services;
  seed: SeedResult;
  /** A caller acting with this token (and X-Workspace-Id), authenticated exactly as over HTTP. */
  callerFor(token: string, workspace?: string): Promise<ReturnType<typeof createCaller>>;
  admin: ReturnType<typeof createCaller>;
  member: ReturnType<typeof createCaller>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  analytics?: Analytics;
  now?: () => Date;
  /** Wraps the database the services use (e.g. to count its queries). */
  wrapDb?: (db: Database) => Database;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = await openTestDatabase();
  // Seeded at the services' clock, so TTLs a test sees do not depend on the day it runs.
  const seed = await seedDemo(db, options.now ? { now: options.now() } : {});
  const servicesDb = options.wrapDb ? options.wrapDb(db) : db;
  const now = options.now ?? (() => new Date());
  const services = createServices({
    db: servicesDb,
    now,
    analytics: options.analytics ?? createAnalytics({ apiKey: undefined, log: () => undefined }),
    // Only on close: a background flush would be a query the zero-query tests did not cause.
    evaluations: createEvaluationCounter(servicesDb, now, { flushIntervalMs: 0 }),
    // Long TTLs: caches then change only through invalidation, which is what the tests exercise,
    // and no background reload lands inside a window where a test counts queries.
    flagsTtlMs: 600_000,
    userStateTtlMs: 600_000,
  });
  await services.flagSource.listening();
  const callerFor = async (token: string, workspace?: string) => {
    const { auth, error } = await authenticate(services, { authorization: `Bearer ${token}`, workspace });
    return createCaller(createContextInner({ services, auth, authError: error }));
  };
  return {
    db,
    services,
    seed,
    callerFor,
    admin: await callerFor(DEMO_TOKENS.admin),
    member: await callerFor(DEMO_TOKENS.member),
    async close() {
      await services.close();
      await db.close();
    },
  };
}

export interface HarnessWithServer extends Harness {
  server: TestServer;
}

/** startHarness, and the real HTTP server on a loopback port over its services; close() stops both. */
export async function startHarnessWithServer(options: HarnessOptions = {}): Promise<HarnessWithServer> {
  const harness = await startHarness(options);
  const server = await startServer(harness.services);
  return {
    ...harness,
    server,
    async close() {
      await server.close();
      await harness.close();
    },
  };
}

/**
 * Counts every Prisma operation (raw SQL included) the services issue: the same client with a
 * query hook, so "no query" is measured at the database boundary, not inferred from cache stats.
 */
export function countingDatabase(db: Database): { db: Database; queries: () => number } {
  let count = 0;
  const prisma = db.prisma.$extends({
    query: {
      $allOperations({ args, query }) {
        count++;
        return query(args);
      },
    },
  });
  // $extends returns the same client under a wider type; every method the services call is kept.
  return { db: { ...db, prisma: prisma as unknown as PrismaClient }, queries: () => count };
}

/** Waits until no change notification has arrived for `quietMs`: earlier writes' NOTIFYs are all in. */
export async function settle(services: Services, quietMs = 150) {
  let last = services.flagSource.stats().notifications;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = services.flagSource.stats().notifications;
    if (now === last) return;
    last = now;
  }
}

/** A user (with a token) in a workspace of their own, or in a given one. */
export async function createUser(
  db: Database,
  { email, role, workspaceId, token }: { email: string; role: 'admin' | 'member'; workspaceId?: string; token: string },
) {
  const workspace = workspaceId
    ? { id: workspaceId }
    : await db.prisma.workspace.create({ data: { slug: `ws-${email.replace(/[^a-z0-9]/g, '-')}`, name: `Workspace of ${email}` } });
  const user = await db.prisma.user.create({ data: { email, name: email.split('@')[0] ?? email } });
  await db.prisma.membership.create({ data: { userId: user.id, workspaceId: workspace.id, role } });
  await db.prisma.apiToken.create({ data: { tokenHash: hashToken(token), name: `${email} test token`, kind: 'user', userId: user.id } });
  return { userId: user.id, workspaceId: workspace.id, token };
}

/** Every procedure by dotted path ('admin.flags.kill'): how the router keeps them at runtime (its type is the nested shape). */
export const routerProcedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;

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

export async function startServer(services: Services): Promise<TestServer> {
  const server: Server = createApp(services).listen(0, '127.0.0.1');
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

export const bearer = (token: string, workspace?: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  ...(workspace && { 'x-workspace-id': workspace }),
});

/** Awaits a call that must fail with this stable code (in-process TRPCError or over-HTTP client error). */
export async function expectCode(call: Promise<unknown>, code: ErrorCode, httpStatus?: number) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}, but the call succeeded`).toBeDefined();
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; httpStatus?: number } | undefined;
    expect(data?.code).toBe(code);
    if (httpStatus !== undefined) expect(data?.httpStatus).toBe(httpStatus);
    return error;
  }
  if (!(error instanceof TRPCError)) throw new Error(`expected ${code}, got ${String(error)}`);
  expect(errorCodeOf(error), error.message).toBe(code);
  if (httpStatus !== undefined) expect(getHTTPStatusCodeFromError(error)).toBe(httpStatus);
  return error;
}

/** Everything a write could touch, to prove a rejected call wrote nothing. */
export async function snapshotWrites(db: Database) {
  const [flags, preferences, overrides, audit] = await Promise.all([
    db.prisma.flag.findMany({ orderBy: { key: 'asc' } }),
    db.prisma.betaPreference.findMany({ orderBy: [{ userId: 'asc' }, { workspaceId: 'asc' }, { flagKey: 'asc' }] }),
    db.prisma.userOverride.findMany({ orderBy: [{ userId: 'asc' }, { flagKey: 'asc' }] }),
    db.prisma.auditEntry.count(),
  ]);
  return { flags, preferences, overrides, audit };
}
