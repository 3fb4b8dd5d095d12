import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { readMigrations } from './migrate.js';
import { openTestDatabase } from './testing.js';

describe('openTestDatabase', () => {
  it('gives a migrated database of its own, gone after close()', async () => {
    const db = await openTestDatabase();
    const applied = await db.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name');
    expect(applied.map((row) => row.migration_name)).toEqual((await readMigrations()).map((m) => m.name));
    const [{ name }] = (await db.query<{ name: string }>('SELECT current_database() AS name')) as [{ name: string }];
    await db.close();

    if (db.url) {
      // On PostgreSQL it was a database of its own, dropped by close().
      expect(name).toMatch(/^stagegate_test_/);
      const admin = new pg.Client({ connectionString: process.env.STAGEGATE_TEST_PG });
      await admin.connect();
      const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]).finally(() => admin.end());
      expect(left.rows).toEqual([]);
    } else {
      await expect(db.query('SELECT 1')).rejects.toThrow();
    }
  });

  it('gives an empty database when asked not to migrate', async () => {
    const db = await openTestDatabase({ migrate: false });
    try {
      expect(await db.query(`SELECT to_regclass('flags') AS t`)).toEqual([{ t: null }]);
    } finally {
      await db.close();
    }
  });
});
