// An emergency call's sign-in must not queue behind a burst for a main-pool connection: a token
// looked up on the priority lane resolves while every main connection is busy. PostgreSQL only
// (on PGlite both lanes are the one backend).
import { hashToken } from '@stagegate/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from './auth.js';
import { startHarness, type Harness } from './testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('token lookup on the priority lane', () => {
  it('resolves while every main-pool connection is held by slow queries; on the main lane it waits for them', async () => {
    // Tokens nobody used yet, so each sign-in has to ask the database.
    for (const token of ['lane-priority-token', 'lane-main-token']) {
      await h.db.prisma.apiToken.create({ data: { tokenHash: hashToken(token), name: token, kind: 'user', userId: h.seed.users.editor } });
    }
    // More slow queries than the main pool has connections: the pool is full until the first ends.
    let finished = 0;
    const hold = Promise.all(Array.from({ length: 12 }, () => h.db.prisma.$queryRaw`SELECT pg_sleep(1.5)::text`.then(() => finished++)));
    await new Promise((resolve) => setTimeout(resolve, 200));

    const priority = await authenticate(h.services, { authorization: 'Bearer lane-priority-token', lane: 'priority' });
    expect(priority.auth?.kind).toBe('user');
    expect(finished).toBe(0);

    const main = await authenticate(h.services, { authorization: 'Bearer lane-main-token', lane: 'main' });
    expect(main.auth?.kind).toBe('user');
    expect(finished).toBeGreaterThan(0);
    await hold;
  });
});
