import { openTestDatabase, type TestDatabase } from '@stagegate/db/testing';
import { type Database } from '@stagegate/db';
import { seedDemo, type SeedResult } from '@stagegate/db/demo';
import type { FlagChange } from '@stagegate/flags-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalytics } from './analytics/posthog.js';
import { createServices } from './createServices.js';
import { kill } from './domain/flagAdmin.js';
import { settle } from './testing/harness.js';
import type { Services } from './services.js';

let db: TestDatabase;
let seed: SeedResult;
let listens = 0;
let services: Services;

beforeAll(async () => {
  db = await openTestDatabase();
  seed = await seedDemo(db);
  // The real database, with its LISTENs counted.
  const counting: Database = {
    ...db,
    listen: (...args) => {
      listens++;
      return db.listen(...args);
    },
  };
  services = createServices({ db: counting, analytics: createAnalytics({ apiKey: undefined, log: () => undefined }), flagsTtlMs: 600_000 });
  await services.flagSource.listening();
});
afterAll(async () => {
  await services.close();
  await db.close();
});

describe('createServices', () => {
  it('listens once, and a change written straight to the database reaches the FlagClient and every bus subscriber', async () => {
    const ctx = { userId: seed.memberId, workspaceId: seed.workspaceId };
    expect(await services.flags.evaluate('smart-summaries', ctx)).toMatchObject({ enabled: true, reason: 'GLOBAL' });
    const subscribers = Array.from({ length: 25 }, () => [] as FlagChange[]);
    const stops = subscribers.map((heard) => services.changes.subscribe((c) => heard.push(c)));

    // Not through the API: only the trigger's NOTIFY can tell this process (as for another API process's write).
    await db.prisma.flag.update({ where: { key: 'smart-summaries' }, data: { killReason: 'incident', killedAt: new Date(), killedBy: 'ops@stagegate.dev' } });

    await expect.poll(async () => (await services.flags.evaluate('smart-summaries', ctx)).reason, { timeout: 2_000 }).toBe('KILLED');
    expect(subscribers.every((heard) => heard.some((c) => c.kind === 'flags'))).toBe(true);
    expect(listens).toBe(1);
    stops.forEach((stop) => stop());
  });

  it('one write, one event: the writer’s next read sees it at once, and its streams hear it once (from the NOTIFY)', async () => {
    const ctx = { userId: seed.memberId, workspaceId: seed.workspaceId };
    expect((await services.flags.evaluate('global-chat-enabled', ctx)).reason).not.toBe('KILLED');
    await settle(services);
    const heard: FlagChange[] = [];
    const stop = services.changes.subscribe((c) => heard.push(c));
    await kill(services, { email: 'ops@stagegate.dev' }, { key: 'global-chat-enabled', reason: 'error spike' });
    expect((await services.flags.evaluate('global-chat-enabled', ctx)).reason).toBe('KILLED');
    await settle(services);
    expect(heard).toEqual([{ kind: 'flags' }]);
    stop();
  });

  it('drops one user’s cached state when their preferences change in the database', async () => {
    const ctx = { userId: seed.memberId, workspaceId: seed.workspaceId };
    expect((await services.flags.evaluate('internal-search', ctx)).reason).toBe('DEFAULT');
    await db.prisma.betaPreference.create({ data: { userId: seed.memberId, workspaceId: seed.workspaceId, flagKey: 'internal-search', enabled: true } });
    await expect.poll(async () => (await services.flags.evaluate('internal-search', ctx)).reason, { timeout: 2_000 }).toBe('OPT_IN');
  });

  it('close() flushes the evaluation counts and stops listening', async () => {
    expect(await db.prisma.flagEvaluationDaily.count()).toBe(0);
    await services.close();
    expect(await db.prisma.flagEvaluationDaily.count()).toBeGreaterThan(0);
    await db.prisma.flag.update({ where: { key: 'internal-search' }, data: { description: 'after close' } });
    const heard = services.flagSource.stats().notifications;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(services.flagSource.stats().notifications).toBe(heard);
    // Idempotent: afterAll closes again.
    await services.close();
  });
});
