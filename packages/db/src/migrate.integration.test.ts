import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database.js';
import { checksumOf, migrate, MIGRATIONS_DIR, MigrationError, readMigrations } from './migrate.js';
import { openTestDatabase, type TestDatabase } from './testing.js';

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await openTestDatabase({ migrate: false });
});
afterAll(() => db.close());

beforeEach(async () => {
  // Empty again (cheaper than a new database per test).
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  // A copy of the real migrations that a test may edit.
  dir = await mkdtemp(path.join(tmpdir(), 'stagegate-migrations-'));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Row {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}
const history = () => db.query<Row>('SELECT * FROM "_prisma_migrations" ORDER BY started_at');

describe('migrate', () => {
  it('applies every committed migration in order and records it as Prisma does', async () => {
    const committed = await readMigrations();
    expect(committed.map((m) => m.name)).toEqual([expect.stringMatching(/^\d{14}_init$/), expect.stringMatching(/^\d{14}_audit_and_notify$/), expect.stringMatching(/^\d{14}_audit_error_code$/), expect.stringMatching(/^\d{14}_beta_preference_audit$/), expect.stringMatching(/^\d{14}_operators_and_policy$/), expect.stringMatching(/^\d{14}_flag_checks$/), expect.stringMatching(/^\d{14}_pipeline_health_and_plans$/), expect.stringMatching(/^\d{14}_flag_version_counts_every_change$/)]);

    const result = await migrate(db);

    expect(result).toEqual({ applied: committed.map((m) => m.name), alreadyApplied: [] });
    const rows = await history();
    expect(rows.map((row) => row.migration_name)).toEqual(committed.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'), 'utf8');
      expect(row.checksum).toBe(checksumOf(sql));
      expect(row.checksum).toBe(committed[i]?.checksum);
      expect(row).toMatchObject({ finished_at: expect.any(Date), logs: null, applied_steps_count: 1 });
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('keeps _prisma_migrations in the exact shape Prisma creates', async () => {
    await migrate(db);
    const columns = await db.query<{ column_name: string; data_type: string; is_nullable: string; character_maximum_length: number | null }>(
      `SELECT column_name, data_type, is_nullable, character_maximum_length FROM information_schema.columns
       WHERE table_name = '_prisma_migrations' AND table_schema = current_schema() ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => [c.column_name, c.data_type, c.is_nullable, c.character_maximum_length])).toEqual([
      ['id', 'character varying', 'NO', 36],
      ['checksum', 'character varying', 'NO', 64],
      ['finished_at', 'timestamp with time zone', 'YES', null],
      ['migration_name', 'character varying', 'NO', 255],
      ['logs', 'text', 'YES', null],
      ['rolled_back_at', 'timestamp with time zone', 'YES', null],
      ['started_at', 'timestamp with time zone', 'NO', null],
      ['applied_steps_count', 'integer', 'NO', null],
    ]);
  });

  it('is idempotent: a second run applies nothing', async () => {
    const first = await migrate(db);
    const second = await migrate(db);
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied });
    expect(await history()).toHaveLength(first.applied.length);
  });

  it('applies each migration once when two runners start together', async () => {
    // On PostgreSQL the runners are two processes' worth of connections; PGlite has one backend.
    const other: Database = db.url ? await openDatabase({ url: db.url }) : db;
    try {
      const results = await Promise.all([migrate(db), migrate(other)]);
      const applied = results.flatMap((r) => r.applied);
      expect(applied.sort()).toEqual((await readMigrations()).map((m) => m.name).sort());
      expect(await history()).toHaveLength(applied.length);
      expect(results.some((r) => r.applied.length === 0)).toBe(true);
    } finally {
      if (other !== db) await other.close();
    }
  });

  it('applies a migration added later, after the ones already applied', async () => {
    await migrate(db, { migrationsDir: dir });
    await mkdir(path.join(dir, '29990101000000_add_notes'));
    await writeFile(path.join(dir, '29990101000000_add_notes', 'migration.sql'), 'ALTER TABLE "flags" ADD COLUMN "notes" TEXT;\n');

    const result = await migrate(db, { migrationsDir: dir });

    expect(result.applied).toEqual(['29990101000000_add_notes']);
    expect(await db.query('SELECT notes FROM flags')).toEqual([]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    await migrate(db, { migrationsDir: dir });
    const [init] = await readMigrations(dir);
    await writeFile(path.join(dir, init!.name, 'migration.sql'), `${init!.sql}\n-- edited\n`);

    const error = await migrate(db, { migrationsDir: dir }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ code: 'CHECKSUM_MISMATCH', message: expect.stringContaining(init!.name) });
  });

  it('accepts a migration whose line ends changed between CRLF and LF, as Prisma does', async () => {
    await migrate(db, { migrationsDir: dir });
    const [init] = await readMigrations(dir);
    await writeFile(path.join(dir, init!.name, 'migration.sql'), init!.sql.replaceAll('\n', '\r\n'));
    await expect(migrate(db, { migrationsDir: dir })).resolves.toMatchObject({ applied: [] });

    // And the other way round: applied from a CRLF checkout, then read from an LF one.
    await db.query(`UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2`, [checksumOf(init!.sql.replaceAll('\n', '\r\n')), init!.name]);
    await writeFile(path.join(dir, init!.name, 'migration.sql'), init!.sql);
    await expect(migrate(db, { migrationsDir: dir })).resolves.toMatchObject({ applied: [] });
  });

  it('rolls a failing migration back whole and records nothing', async () => {
    await mkdir(path.join(dir, '29990101000000_broken'));
    await writeFile(path.join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE "half_done" ("id" INT);\nSELECT * FROM "no_such_table";\n');

    const error = await migrate(db, { migrationsDir: dir }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'APPLY_FAILED', message: expect.stringContaining('29990101000000_broken') });
    expect((await history()).map((row) => row.migration_name)).toEqual((await readMigrations()).map((m) => m.name));
    expect(await db.query(`SELECT to_regclass('half_done') AS t`)).toEqual([{ t: null }]);
  });

  it('refuses to continue past a migration Prisma recorded as failed', async () => {
    await migrate(db, { migrationsDir: dir });
    await db.query(`UPDATE "_prisma_migrations" SET finished_at = NULL, logs = 'boom' WHERE migration_name LIKE '%_audit_and_notify'`);

    await expect(migrate(db, { migrationsDir: dir })).rejects.toMatchObject({ code: 'FAILED_MIGRATION' });
  });

  it('refuses a migrations folder locked to another provider', async () => {
    await writeFile(path.join(dir, 'migration_lock.toml'), 'provider = "sqlite"\n');
    await expect(migrate(db, { migrationsDir: dir })).rejects.toMatchObject({ code: 'WRONG_PROVIDER' });
  });
});
