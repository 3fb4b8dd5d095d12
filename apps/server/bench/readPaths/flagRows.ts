import type { Database } from '@stagegate/db';

/**
 * Brings the flags table to `total` rows by SQL (one statement, as an operator's import would),
 * keeping the demo flags the evaluate scenario asks about. Three in four generated flags are
 * alpha/beta (listable), a third of them on, with rollouts from 0 to 100 %.
 */
export async function fillFlags(db: Database, total: number, keep: readonly string[]): Promise<number> {
  const [{ count } = { count: 0 }] = await db.prisma.$queryRaw<Array<{ count: number }>>`SELECT count(*)::int AS count FROM flags`;
  if (count > total) {
    await db.prisma.$executeRaw`
      DELETE FROM flags WHERE key IN (
        SELECT key FROM flags WHERE NOT (key = ANY(${[...keep]}::text[])) ORDER BY key LIMIT ${count - total}
      )`;
    return total;
  }
  await db.prisma.$executeRaw`
    INSERT INTO flags (key, name, description, stage, ttl_start, ttl_days, kb_article, category, owner, enabled, rollout_percentage, updated_at)
    SELECT 'bench-flag-' || lpad(i::text, 5, '0'),
           'Bench flag ' || i,
           'A generated flag for the read-path benchmark, number ' || i,
           (ARRAY['alpha', 'beta', 'beta', 'ga'])[1 + i % 4]::"Stage",
           now() AT TIME ZONE 'UTC', 90,
           'https://kb.example.com/bench/' || i,
           'bench', 'bench@example.com',
           i % 3 <> 0, i % 101,
           now() AT TIME ZONE 'UTC'
    FROM generate_series(1, ${total - count}::int) AS i`;
  return total;
}
