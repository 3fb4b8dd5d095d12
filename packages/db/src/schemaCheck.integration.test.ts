import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlRunner } from './database.js';
import { actualCatalog, diffCatalogs, expectedCatalog, SCHEMA_PATH } from './schemaCheck.js';
import { openTestDatabase, type TestDatabase } from './testing.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

const schema = readFileSync(SCHEMA_PATH, 'utf8');

/** Runs a change inside a transaction, reads the catalog there, then rolls the change back. */
async function diffAfter(change: string): Promise<string[]> {
  let lines: string[] = [];
  const rollback = new Error('rollback');
  await db
    .withSession((session) =>
      session.transaction(async (tx: SqlRunner) => {
        await tx.exec(change);
        lines = diffCatalogs(expectedCatalog(), await actualCatalog(tx));
        throw rollback;
      }),
    )
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return lines;
}

describe('the migrations produce exactly what schema.prisma describes', () => {
  it('reads the schema the way Prisma maps it to PostgreSQL', () => {
    const expected = expectedCatalog();
    expect([...expected.keys()].filter((key) => key.startsWith('table ')).sort()).toEqual(
      [
        'api_tokens', 'audit_log', 'beta_preferences', 'flag_evaluations_daily', 'flags', 'memberships', 'release_plans', 'route_metrics_hourly',
        'route_metrics_minute', 'scheduled_changes', 'user_overrides', 'users', 'webhook_deliveries', 'workspace_flag_policies', 'workspaces',
      ].map((t) => `table ${t}`),
    );
    expect(expected.get('enum Stage')).toBe('lab, alpha, beta, ga');
    expect(expected.get('column flag_evaluations_daily.day')).toBe('date not null default none');
    expect(expected.get('column audit_log.id')).toBe(`integer not null default nextval('audit_log_id_seq'::regclass)`);
    expect(expected.get('column memberships.role')).toBe(`"Role" not null default 'member'::"Role"`);
    expect(expected.get('column flags.updated_at')).toBe('timestamp(3) without time zone not null default none');
    expect(expected.get('column route_metrics_minute.latency_buckets')).toBe('bigint[] not null default none');
    expect(expected.get('column route_metrics_minute.calls')).toBe('bigint not null default 0');
    expect(expected.get('index beta_preferences_flag_key_idx')).toBe('index on beta_preferences(flag_key) using btree');
    expect(expected.get('foreign key beta_preferences_user_id_fkey')).toBe('beta_preferences(user_id) references users(id) on delete cascade on update cascade');
  });

  it('finds no difference between the migrated database and the schema', async () => {
    expect(diffCatalogs(expectedCatalog(), await actualCatalog(db))).toEqual([]);
  });

  it('catches a missing column', async () => {
    expect(await diffAfter('ALTER TABLE "flags" DROP COLUMN "archived"')).toEqual(['missing column flags.archived: boolean not null default false']);
  });

  it('catches a missing index', async () => {
    expect(await diffAfter('DROP INDEX "beta_preferences_flag_key_idx"')).toEqual(['missing index beta_preferences_flag_key_idx: index on beta_preferences(flag_key) using btree']);
  });

  it('catches a missing or renamed enum value', async () => {
    expect(await diffAfter(`ALTER TYPE "Stage" RENAME VALUE 'ga' TO 'general'`)).toEqual(['different enum Stage: expected lab, alpha, beta, ga, found lab, alpha, beta, general']);
    const withRc = schema.replace(/enum Stage \{([^}]*)\}/, 'enum Stage {$1  rc\n}');
    expect(diffCatalogs(expectedCatalog(withRc), await actualCatalog(db))).toEqual(['different enum Stage: expected lab, alpha, beta, ga, rc, found lab, alpha, beta, ga']);
  });

  it('catches a wrong type, nullability, default or delete rule', async () => {
    expect(await diffAfter('ALTER TABLE "flags" ALTER COLUMN "ttl_days" TYPE BIGINT')).toEqual(['different column flags.ttl_days: expected integer not null default none, found bigint not null default none']);
    expect(await diffAfter('ALTER TABLE "flags" ALTER COLUMN "owner" DROP NOT NULL')).toEqual(['different column flags.owner: expected text not null default none, found text null default none']);
    expect(await diffAfter(`ALTER TABLE "flags" ALTER COLUMN "category" SET DEFAULT 'misc'`)).toEqual([`different column flags.category: expected text not null default ''::text, found text not null default 'misc'::text`]);
    expect(
      await diffAfter(
        'ALTER TABLE "api_tokens" DROP CONSTRAINT "api_tokens_user_id_fkey"; ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE',
      ),
    ).toEqual(['different foreign key api_tokens_user_id_fkey: expected api_tokens(user_id) references users(id) on delete cascade on update cascade, found api_tokens(user_id) references users(id) on delete set null on update cascade']);
  });

  it('catches a field added to the schema without a migration, and a table no model describes', async () => {
    const withNotes = schema.replace('  archived          Boolean', '  notes             String?\n  archived          Boolean');
    expect(diffCatalogs(expectedCatalog(withNotes), await actualCatalog(db))).toEqual(['missing column flags.notes: text null default none']);
    expect(await diffAfter('CREATE TABLE "stray" ("id" INT)')).toEqual(['unexpected column stray.id: integer null default none', 'unexpected table stray: table']);
  });
});
