import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from './testing.js';

let db: TestDatabase;
let id: number;
beforeAll(async () => {
  db = await openTestDatabase();
  ({ id } = await db.prisma.auditEntry.create({
    data: { actor: 'admin@stagegate.dev', action: 'flag.kill', flagKey: 'checkout', before: { enabled: true }, after: { enabled: false }, reason: 'errors' },
  }));
});
afterAll(() => db.close());

const entries = () => db.query<{ id: number; action: string }>('SELECT id, action FROM audit_log ORDER BY id');

describe('audit_log is append-only', () => {
  it('takes new entries', async () => {
    await db.prisma.auditEntry.create({ data: { actor: 'cli', action: 'flag.rollout', flagKey: 'checkout' } });
    expect((await entries()).map((e) => e.action)).toEqual(['flag.kill', 'flag.rollout']);
  });

  it('refuses UPDATE, from Prisma and from raw SQL', async () => {
    await expect(db.prisma.auditEntry.update({ where: { id }, data: { reason: 'rewritten' } })).rejects.toThrow(/append-only: UPDATE/);
    await expect(db.exec(`UPDATE audit_log SET actor = 'someone else'`)).rejects.toThrow(/append-only: UPDATE/);
  });

  it('refuses DELETE and TRUNCATE', async () => {
    await expect(db.prisma.auditEntry.deleteMany({})).rejects.toThrow(/append-only: DELETE/);
    await expect(db.exec(`DELETE FROM audit_log WHERE id = ${id}`)).rejects.toThrow(/append-only: DELETE/);
    await expect(db.exec('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE/);
  });

  it('still holds every entry afterwards, unchanged', async () => {
    const first = await db.prisma.auditEntry.findUniqueOrThrow({ where: { id } });
    expect(first).toMatchObject({ actor: 'admin@stagegate.dev', reason: 'errors', before: { enabled: true }, after: { enabled: false } });
    expect(await entries()).toHaveLength(2);
  });
});
