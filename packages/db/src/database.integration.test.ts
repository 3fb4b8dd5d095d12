import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testFlag } from './flags.fixtures.js';
import { openTestDatabase, type TestDatabase } from './testing.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe('db.priority', () => {
  it('writes to the same database as db.prisma, on connections of its own only on PostgreSQL', async () => {
    await db.priority.flag.create({ data: testFlag('via-priority') });
    await expect(db.prisma.flag.count({ where: { key: 'via-priority' } })).resolves.toBe(1);
    // PGlite is a single backend: a second client would only queue behind the first.
    expect(db.priority === db.prisma).toBe(db.kind === 'pglite');
  });
});
