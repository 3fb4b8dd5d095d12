import type { PrismaClient } from '@stagegate/db';
import { seedDemo } from '@stagegate/db/demo';
import { openTestDatabase, waitFor, type TestDatabase } from '@stagegate/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvaluationCounter } from './analytics/evaluations.js';
import { createAnalytics } from './analytics/posthog.js';
import { createServices } from './createServices.js';
import { toggleBetaFeature } from './domain/betaFeatures.js';
import { kill } from './domain/flagAdmin.js';
import { createLogger } from './logger.js';
import type { Services } from './services.js';
import { snapshotWrites } from './testing/harness.js';

// The monitor's bookkeeping on either database, fed the failures an outage produces; the real outage
// (a TCP proxy cut between the server and PostgreSQL) is apps/server's outage.pg.integration.test.ts.

let db: TestDatabase;
let services: Services;
const lines: Array<Record<string, unknown>> = [];
/** While set, every query of the services waits for it: the probe cannot end the outage before the checks ran. */
let held: Promise<void> | undefined;

beforeAll(async () => {
  db = await openTestDatabase();
  await seedDemo(db, { env: {} });
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  const prisma = db.prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        await held;
        return query(args);
      },
    },
  });
  services = createServices({
    // $extends returns the same client under a wider type.
    db: { ...db, prisma: prisma as unknown as PrismaClient },
    logger,
    analytics: createAnalytics({ apiKey: undefined, log: () => undefined }),
    evaluations: createEvaluationCounter(db, () => new Date(), { flushIntervalMs: 0 }),
    flagsTtlMs: 600_000,
    userStateTtlMs: 600_000,
    healthCheckIntervalMs: 50,
  });
  await services.flagSource.listening();
  await services.flags.ready();
});
afterAll(async () => {
  await services.close();
  await db.close();
});

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('the health monitor', () => {
  it('reports ok while the database answers and notifications flow', () => {
    expect(services.health.report()).toMatchObject({
      status: 'ok',
      code: 'OK',
      database: { kind: db.kind, reachable: true, unreachableSince: null },
      stale: { flags: false, userStates: false, identities: false, identitiesTrustedForSeconds: 900 },
      notifications: { listening: true, lostAt: null },
    });
  });

  it('counts an outage once however many calls meet it, fails writes at once with nothing written, and ends it when the probe answers', async () => {
    const before = await snapshotWrites(db);
    let answer!: () => void;
    held = new Promise<void>((resolve) => (answer = resolve));
    try {
      for (let i = 0; i < 100; i++) expect(services.health.observe(refused())).toBe(true);
      expect(services.health.observe(new Error('a bug, not an outage'))).toBe(false);
      expect(services.health.unreachable()).toBe(true);
      expect(services.health.report()).toMatchObject({ status: 'degraded', code: 'DEGRADED', database: { reachable: false }, stale: { flags: true, userStates: true, identities: true } });

      const started = performance.now();
      await expect(kill(services, { email: 'ops@stagegate.dev' }, { key: 'smart-summaries', reason: 'error spike' })).rejects.toMatchObject({ code: 'BUSY', retryAfterSeconds: 2 });
      expect(performance.now() - started).toBeLessThan(50);
      // A toggle is one statement, not a transaction: the same rule.
      const member = { user: { id: 'u-1', email: 'm@stagegate.dev', name: 'M', operatorRole: null }, workspace: { id: 'w-1', slug: 'w', name: 'W', role: 'member' as const } } as Parameters<typeof toggleBetaFeature>[1];
      await expect(toggleBetaFeature(services, member, { key: 'auto-tagging-v2', enabled: true })).rejects.toMatchObject({ code: 'BUSY', retryAfterSeconds: 2 });
      expect(await snapshotWrites(db)).toEqual(before);
    } finally {
      answer();
      held = undefined;
    }

    await waitFor(() => !services.health.unreachable(), 2_000, 'the probe to find the database');
    expect(services.health.report()).toMatchObject({ status: 'ok', database: { reachable: true } });
    expect(services.health.report().database.lastOutageMs).toBeGreaterThanOrEqual(0);
    expect(lines.map((line) => [line.level, line.event])).toEqual([
      [40, 'database.unreachable'],
      [30, 'database.reachable'],
    ]);
    expect(lines[0]).toMatchObject({ cause: 'connect ECONNREFUSED 127.0.0.1:5432' });
    expect(lines[1]).toMatchObject({ outageMs: services.health.report().database.lastOutageMs });
  });
});
