import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Database, SqlRunner } from './database.js';

/** The committed migrations of this package, in Prisma's folder format (found through the package, not this file: the compiled server bundles it). */
export const MIGRATIONS_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('@stagegate/db/package.json')), 'prisma', 'migrations');

/** The key `prisma migrate deploy` locks too, so this runner and Prisma's never apply at once. */
const PRISMA_ADVISORY_LOCK = 72707369;

// The table exactly as Prisma's schema engine creates it, so `prisma migrate status/deploy` read ours.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  /** The folder name, e.g. `20261122030000_init`; migrations apply in the order of these names. */
  name: string;
  sql: string;
  /** SHA-256 of migration.sql in hex, as Prisma records it. */
  checksum: string;
}

export interface MigrateOptions {
  migrationsDir?: string;
  log?: (line: string) => void;
}

export interface MigrateResult {
  /** Names applied by this call, in order; empty when the database was up to date. */
  applied: string[];
  /** Names already recorded as applied before this call. */
  alreadyApplied: string[];
}

export type MigrationErrorCode = 'CHECKSUM_MISMATCH' | 'FAILED_MIGRATION' | 'WRONG_PROVIDER' | 'APPLY_FAILED';

export class MigrationError extends Error {
  override name = 'MigrationError';
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const checksumOf = (sql: string): string => createHash('sha256').update(sql).digest('hex');

/** Reads `<dir>/<name>/migration.sql` for every migration folder, sorted by name. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const lock = await readFile(path.join(dir, 'migration_lock.toml'), 'utf8').catch(() => '');
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(lock)?.[1];
  if (provider !== undefined && provider !== 'postgresql') {
    throw new MigrationError('WRONG_PROVIDER', `${dir}/migration_lock.toml is for provider "${provider}", not "postgresql"`);
  }
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

// Like Prisma, a checksum also matches the script with its line ends swapped (a Windows checkout, git's autocrlf).
const matches = (migration: Migration, checksum: string) =>
  migration.checksum === checksum ||
  checksumOf(migration.sql.replaceAll('\r\n', '\n')) === checksum ||
  checksumOf(migration.sql.replace(/\r?\n/g, '\r\n')) === checksum;

/**
 * Applies the pending migrations in order, each in its own transaction together with its
 * `_prisma_migrations` row. Safe on every start and from several processes at once: a session-level
 * advisory lock serialises runners. Refuses to run when an applied migration was edited afterwards
 * or a migration is recorded as failed (by `prisma migrate deploy`, which does not roll back).
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = await readMigrations(options.migrationsDir);
  const log = options.log ?? (() => undefined);
  return db.withSession(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    try {
      await session.exec(CREATE_MIGRATIONS_TABLE);
      const rows = await session.query<AppliedRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
      );
      const applied = checkHistory(migrations, rows, log);
      const pending = migrations.filter((migration) => !applied.has(migration.name));
      for (const migration of pending) {
        log(`applying ${migration.name}`);
        await session.transaction((tx) => apply(tx, migration)).catch((error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          throw new MigrationError('APPLY_FAILED', `migration ${migration.name} failed and was rolled back: ${reason}`, { cause: error });
        });
      }
      return { applied: pending.map((migration) => migration.name), alreadyApplied: [...applied] };
    } finally {
      // A broken connection already released the lock; its error must not hide the first one.
      await session.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => undefined);
    }
  });
}

/** The names recorded as applied, after refusing a history that cannot be continued safely. */
function checkHistory(migrations: Migration[], rows: AppliedRow[], log: (line: string) => void): Set<string> {
  const local = new Map(migrations.map((migration) => [migration.name, migration]));
  const applied = new Set<string>();
  for (const row of rows) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at === null) {
      throw new MigrationError(
        'FAILED_MIGRATION',
        `migration ${row.migration_name} is recorded as failed in _prisma_migrations; fix the database, then mark it with \`prisma migrate resolve\``,
      );
    }
    const migration = local.get(row.migration_name);
    if (!migration) {
      // A newer release migrated this database; its changes are additive, so this one keeps running.
      log(`applied migration ${row.migration_name} is not in this release's migrations folder`);
    } else if (!matches(migration, row.checksum)) {
      throw new MigrationError(
        'CHECKSUM_MISMATCH',
        `migration ${row.migration_name} was modified after it was applied (checksum ${row.checksum} in the database, ${migration.checksum} on disk); restore the file and add a new migration instead`,
      );
    }
    applied.add(row.migration_name);
  }
  return applied;
}

async function apply(tx: SqlRunner, migration: Migration): Promise<void> {
  const id = randomUUID();
  await tx.query(
    'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, clock_timestamp(), 0)',
    [id, migration.checksum, migration.name],
  );
  await tx.exec(migration.sql);
  await tx.query('UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1', [id]);
}
