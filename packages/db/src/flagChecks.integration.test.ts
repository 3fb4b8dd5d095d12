import { FlagDefinition, UserOverride } from '@stagegate/flags-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagDefinitionSelect, toFlagData, toFlagDefinition } from './flags.js';
import { openTestDatabase, type TestDatabase } from './testing.js';

// Migration flag_checks: for every column, a value zod refuses is refused by the database, and a value
// zod accepts (the boundaries) is stored and read back as a FlagDefinition zod accepts. Each row asks
// zod about the same value, so the schema and the constraints cannot drift apart unnoticed.

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

/** A flag with every optional part set (kill switch, KB article), so each column's rule applies. */
const base: FlagDefinition = FlagDefinition.parse({
  key: 'base',
  name: 'Base',
  description: '',
  stage: 'beta',
  ttlStart: new Date('2026-01-01T00:00:00Z'),
  ttlDays: 90,
  kbArticle: 'https://help.stagegate.dev/base',
  category: '',
  owner: 'owner@stagegate.dev',
  enabled: false,
  rolloutPercentage: 0,
  bucketBy: 'user',
  adminOverride: null,
  kill: { reason: 'errors', at: new Date('2026-02-01T00:00:00Z'), by: 'admin@stagegate.dev' },
  archived: false,
  version: 1,
});
const kill = base.kill ?? { reason: '', at: new Date(0), by: '' };

/** Where a column's value sits in a FlagDefinition. */
const fields = {
  key: (key) => ({ ...base, key }),
  name: (name) => ({ ...base, name }),
  description: (description) => ({ ...base, description }),
  category: (category) => ({ ...base, category }),
  owner: (owner) => ({ ...base, owner }),
  kb_article: (kbArticle) => ({ ...base, kbArticle }),
  ttl_days: (ttlDays) => ({ ...base, ttlDays }),
  rollout_percentage: (rolloutPercentage) => ({ ...base, rolloutPercentage }),
  ttl_start: (ttlStart) => ({ ...base, ttlStart }),
  killed_at: (at) => ({ ...base, kill: { ...kill, at } }),
  kill_reason: (reason) => ({ ...base, kill: { ...kill, reason } }),
  killed_by: (by) => ({ ...base, kill: { ...kill, by } }),
  version: (version) => ({ ...base, version }),
} satisfies Record<string, (value: unknown) => Record<string, unknown>>;
type Column = keyof typeof fields;

// What the driver hands zod for a timestamp outside years 1-9999 or ±infinity (seen on pg and PGlite).
const unreadable = new Date(Number.NaN);

/** [column, value written by SQL, zod's and the database's verdict, what zod sees if not the value itself]. */
type Case = [Column, unknown, 'accepts' | 'refuses', unknown?];
const cases: Case[] = [
  ['key', 'a', 'accepts'],
  ['key', 'a'.repeat(100), 'accepts'],
  ['key', 'auto-tagging_v2.1', 'accepts'],
  ['key', 'a'.repeat(101), 'refuses'],
  ['key', 'Auto-Tagging', 'refuses'],
  ['key', '-leading-dash', 'refuses'],
  ['key', 'has space', 'refuses'],
  ['key', 'trailing-newline\n', 'refuses'],
  ['key', 'ключ', 'refuses'],
  ['name', 'x', 'accepts'],
  ['name', 'x'.repeat(200), 'accepts'],
  // zod counts code points, as char_length does: 200 emoji are 400 UTF-16 units and still fit.
  ['name', '😀'.repeat(200), 'accepts'],
  ['name', '', 'refuses'],
  ['name', 'x'.repeat(201), 'refuses'],
  ['name', '😀'.repeat(201), 'refuses'],
  ['description', '', 'accepts'],
  ['description', 'd'.repeat(2000), 'accepts'],
  ['description', 'd'.repeat(2001), 'refuses'],
  ['description', '😀'.repeat(2001), 'refuses'],
  ['category', 'c'.repeat(100), 'accepts'],
  ['category', 'c'.repeat(101), 'refuses'],
  // The database uses zod's own email pattern, so these rows can only fail if zod changes it.
  ['owner', 'ops@stagegate.dev', 'accepts'],
  ['owner', "o'brien+flags@eu.stagegate.dev", 'accepts'],
  ['owner', `${'o'.repeat(306)}@stagegate.dev`, 'accepts'],
  ['owner', `${'o'.repeat(307)}@stagegate.dev`, 'refuses'],
  ['owner', 'ops team', 'refuses'],
  ['owner', 'ops@localhost', 'refuses'],
  ['owner', '.ops@stagegate.dev', 'refuses'],
  ['owner', 'ops..team@stagegate.dev', 'refuses'],
  ['owner', 'ops@stagegate.d', 'refuses'],
  ['owner', 'öps@stagegate.dev', 'refuses'],
  ['kb_article', null, 'accepts'],
  ['kb_article', 'https://help.stagegate.dev/auto-tagging', 'accepts'],
  ['kb_article', 'HTTP://Help.Stagegate.dev:8080/a b?c=d#e', 'accepts'],
  ['kb_article', 'https://localhost:65535', 'accepts'],
  ['kb_article', `https://${'h'.repeat(1992)}`, 'accepts'],
  ['kb_article', `https://${'h'.repeat(1993)}`, 'refuses'],
  ['kb_article', 'javascript:alert(1)', 'refuses'],
  ['kb_article', 'ftp://files.example.com/x', 'refuses'],
  ['kb_article', 'https:help.stagegate.dev', 'refuses'],
  ['kb_article', 'https://', 'refuses'],
  ['kb_article', 'https://exa mple.com', 'refuses'],
  ['kb_article', 'https://1.2.3.400/kb', 'refuses'],
  ['kb_article', 'https://help.stagegate.dev:65536/', 'refuses'],
  ['kb_article', 'https://xn--.dev/', 'refuses'],
  ['ttl_days', 1, 'accepts'],
  ['ttl_days', 3650, 'accepts'],
  ['ttl_days', 0, 'refuses'],
  ['ttl_days', 3651, 'refuses'],
  ['ttl_days', 5000, 'refuses'],
  ['rollout_percentage', 0, 'accepts'],
  ['rollout_percentage', 0.1, 'accepts'],
  ['rollout_percentage', 0.29, 'accepts'],
  ['rollout_percentage', 33.33, 'accepts'],
  ['rollout_percentage', 100, 'accepts'],
  ['rollout_percentage', 33.333, 'refuses'],
  ['rollout_percentage', 0.005, 'refuses'],
  ['rollout_percentage', 100.01, 'refuses'],
  ['rollout_percentage', -0.01, 'refuses'],
  ['rollout_percentage', Number.NaN, 'refuses'],
  ['rollout_percentage', Number.POSITIVE_INFINITY, 'refuses'],
  ['ttl_start', '0001-01-01 00:00:00', 'accepts'],
  ['ttl_start', '9999-12-31 23:59:59.999', 'accepts'],
  ['ttl_start', 'infinity', 'refuses', unreadable],
  ['ttl_start', '-infinity', 'refuses', unreadable],
  ['ttl_start', '10000-01-01 00:00:00', 'refuses', unreadable],
  ['ttl_start', '0001-12-31 00:00:00 BC', 'refuses', unreadable],
  ['killed_at', '9999-12-31 23:59:59.999', 'accepts'],
  ['killed_at', 'infinity', 'refuses', unreadable],
  ['kill_reason', 'r', 'accepts'],
  ['kill_reason', 'r'.repeat(1000), 'accepts'],
  ['kill_reason', '', 'refuses'],
  ['kill_reason', 'r'.repeat(1001), 'refuses'],
  ['killed_by', 'b', 'accepts'],
  ['killed_by', 'b'.repeat(320), 'accepts'],
  ['killed_by', '', 'refuses'],
  ['killed_by', 'b'.repeat(321), 'refuses'],
  ['version', 1, 'accepts'],
  ['version', 2_147_483_647, 'accepts'],
  ['version', -1, 'refuses'],
];

const show = (value: unknown) => {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${[...text].slice(0, 12).join('')}… (${[...String(value)].length} characters)` : text;
};

let serial = 0;
/** Stores the base flag under a key of its own and returns that key. */
async function freshFlag(): Promise<string> {
  const key = `check-${(serial += 1)}`;
  await db.prisma.flag.create({ data: toFlagData({ ...base, key }) });
  return key;
}

describe('flags: the database refuses what FlagDefinition refuses', () => {
  it.each(cases.map((row) => [`${row[2]} ${row[0]} = ${show(row[1])}`, row] as const))('%s', async (_, [column, value, verdict, readAs]) => {
    const definition = fields[column](readAs ?? value);
    expect(FlagDefinition.safeParse(definition).success, 'zod').toBe(verdict === 'accepts');

    const key = await freshFlag();
    const write = db.query(`UPDATE "flags" SET "${column}" = $1 WHERE "key" = $2`, [value, key]);
    if (verdict === 'refuses') {
      await expect(write, 'database').rejects.toThrow(`flags_${column}_check`);
      return;
    }
    await write;
    const stored = await db.prisma.flag.findUniqueOrThrow({ where: { key: column === 'key' ? (value as string) : key }, select: flagDefinitionSelect });
    expect(FlagDefinition.safeParse(toFlagDefinition(stored)).success, 'zod on the row as served').toBe(true);
  });

  // Versions start at 1 and only go up; refusing a 0 that no writer produces keeps audit_and_notify's rule.
  it('is stricter than zod on version 0, on purpose', async () => {
    expect(FlagDefinition.safeParse({ ...base, version: 0 }).success).toBe(true);
    await expect(db.query(`UPDATE "flags" SET "version" = 0 WHERE "key" = $1`, [await freshFlag()])).rejects.toThrow('flags_version_check');
  });

  // Where the SQL URL rule and WHATWG's parser differ, the database is the stricter one: these are
  // valid to zod but refused, so no stored article can fail the SDK's schema. A KB link needs none of them.
  it.each([
    ['an IP address host', 'https://127.0.0.1/kb'],
    ['user info', 'https://ops@help.stagegate.dev/kb'],
    ['a non-ASCII host', 'https://hilfe.bücher.de/kb'],
    ['an underscore in the host', 'https://help_desk.stagegate.dev/kb'],
    ['surrounding spaces (zod trims)', ' https://help.stagegate.dev/kb '],
    ['three slashes', 'https:///help.stagegate.dev/kb'],
  ])('refuses a KB article zod accepts: %s', async (_, url) => {
    expect(FlagDefinition.safeParse({ ...base, kbArticle: url }).success).toBe(true);
    await expect(db.query(`UPDATE "flags" SET "kb_article" = $1 WHERE "key" = $2`, [url, await freshFlag()])).rejects.toThrow('flags_kb_article_check');
  });
});

describe('user_overrides: the database refuses what UserOverride refuses', () => {
  let userId: string;
  beforeAll(async () => {
    ({ id: userId } = await db.prisma.user.create({ data: { email: 'ann@stagegate.dev', name: 'Ann' } }));
  });

  it.each(
    (
      [
        ['', 'accepts'],
        ['r'.repeat(1000), 'accepts'],
        ['😀'.repeat(1000), 'accepts'],
        ['r'.repeat(1001), 'refuses'],
        ['😀'.repeat(1001), 'refuses'],
      ] as const
    ).map(([reason, verdict]) => [verdict, show(reason), reason] as const),
  )('%s a reason of %s', async (verdict, _, reason) => {
    expect(UserOverride.safeParse({ enabled: true, reason, expiresAt: null }).success, 'zod').toBe(verdict === 'accepts');
    const key = await freshFlag();
    const write = db.query(`INSERT INTO "user_overrides" ("user_id", "flag_key", "enabled", "reason", "created_by", "updated_at") VALUES ($1, $2, true, $3, 'sql', now())`, [userId, key, reason]);
    if (verdict === 'refuses') await expect(write, 'database').rejects.toThrow('user_overrides_reason_check');
    else await expect(write, 'database').resolves.toEqual([]);
  });
});
