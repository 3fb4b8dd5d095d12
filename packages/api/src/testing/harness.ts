/**
 * Test fixtures for the API (`@stagegate/api/testing`): a migrated, seeded throwaway database with
 * this process's services and callers acting as each demo user. Tests only; the HTTP server's
 * fixtures build on it in apps/server.
 */
import { TRPCClientError } from '@trpc/client';
import { TRPCError } from '@trpc/server';
import { hashToken, type Database, type PrismaClient } from '@stagegate/db';
import { DEMO_TOKENS, seedDemo, type SeedResult } from '@stagegate/db/demo';
import { openTestDatabase, type TestDatabase } from '@stagegate/db/testing';
import { expect } from 'vitest';
import { createEvaluationCounter } from '../analytics/evaluations.js';
import { createAnalytics } from '../analytics/posthog.js';
import { authenticate } from '../auth.js';
import { createContextInner } from '../context.js';
import { ERRORS, type ErrorCode } from '../contract/errors.js';
import { createServices } from '../createServices.js';
import { createCaller } from '../router.js';
import type { Analytics, Services } from '../services.js';
import type { WebhookSettings } from '../webhooks.js';
import { fromTrpcError } from '../trpc.js';

type Caller = ReturnType<typeof createCaller>;
export type DemoUserKey = Exclude<keyof typeof DEMO_TOKENS, 'service'>;

export interface Harness {
  db: TestDatabase;
  services: Services;
  seed: SeedResult;
  /** A caller acting with this token (and X-Workspace-Id), authenticated exactly as over HTTP. */
  callerFor(token: string, workspace?: string): Promise<Caller>;
  /** Operators (no workspace): */
  owner: Caller;
  editor: Caller;
  viewer: Caller;
  /** The demo workspace's admin (not an operator) and member; Acme's, the other tenant. */
  admin: Caller;
  member: Caller;
  acmeAdmin: Caller;
  acmeMember: Caller;
  close(): Promise<void>;
}

export interface HarnessOptions {
  analytics?: Analytics;
  now?: () => Date;
  /** Wraps the database the services use (e.g. to count its queries). */
  wrapDb?: (db: Database) => Database;
  /** Default: off, whatever the environment says. */
  webhooks?: Partial<WebhookSettings>;
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
    webhooks: options.webhooks ?? { url: undefined, secret: undefined },
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
    owner: await callerFor(DEMO_TOKENS.owner),
    editor: await callerFor(DEMO_TOKENS.editor),
    viewer: await callerFor(DEMO_TOKENS.viewer),
    admin: await callerFor(DEMO_TOKENS.admin),
    member: await callerFor(DEMO_TOKENS.member),
    acmeAdmin: await callerFor(DEMO_TOKENS.acmeAdmin),
    acmeMember: await callerFor(DEMO_TOKENS.acmeMember),
    async close() {
      await services.close();
      await db.close();
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

export { routerProcedures } from '../router.js';

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
  const domain = fromTrpcError(error);
  expect(domain.code, error.message).toBe(code);
  if (httpStatus !== undefined) expect(ERRORS[domain.code].status).toBe(httpStatus);
  return error;
}

/** Everything a write could touch, to prove a rejected call wrote nothing. */
export async function snapshotWrites(db: Database) {
  const [flags, preferences, overrides, policies, workspaces, operators, tokens, audit] = await Promise.all([
    db.prisma.flag.findMany({ orderBy: { key: 'asc' } }),
    db.prisma.betaPreference.findMany({ orderBy: [{ userId: 'asc' }, { workspaceId: 'asc' }, { flagKey: 'asc' }] }),
    db.prisma.userOverride.findMany({ orderBy: [{ userId: 'asc' }, { flagKey: 'asc' }] }),
    db.prisma.workspaceFlagPolicyEntry.findMany({ orderBy: [{ workspaceId: 'asc' }, { flagKey: 'asc' }] }),
    db.prisma.workspace.findMany({ select: { id: true, optInBlocked: true }, orderBy: { id: 'asc' } }),
    db.prisma.user.findMany({ select: { id: true, operatorRole: true }, orderBy: { id: 'asc' } }),
    // Sessions and lastUsedAt change on reads; what a refused call must not touch is the set of API tokens.
    db.prisma.apiToken.findMany({ where: { kind: { not: 'session' } }, select: { id: true, revokedAt: true }, orderBy: { id: 'asc' } }),
    db.prisma.auditEntry.count(),
  ]);
  return { flags, preferences, overrides, policies, workspaces, operators, tokens, audit };
}
