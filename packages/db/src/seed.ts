import { createHash } from 'node:crypto';
import { newFlag, type FlagDefinition } from '@stagegate/flags-core';
import type { Database } from './database.js';
import { toFlagData } from './flags.js';

/** The stored form of an API token: only its SHA-256 (hex) is ever written. */
export const hashToken = (plaintext: string): string => createHash('sha256').update(plaintext).digest('hex');

/** Demo sign-in tokens. Public on purpose (README, start banner), hence no seeding in production. */
export const DEMO_TOKENS = {
  admin: 'dev-admin-token',
  member: 'dev-member-token',
  service: 'dev-service-token',
} as const;

export const DEMO_WORKSPACE = { slug: 'demo', name: 'Demo Workspace' } as const;
export const DEMO_USERS = {
  admin: { email: 'admin@stagegate.dev', name: 'Ada Admin' },
  member: { email: 'member@stagegate.dev', name: 'Max Member' },
} as const;

const DAY_MS = 86_400_000;

/** The demo flag set: every stage, a rollout, a kill switch, and TTLs ending soon and far away. */
export function demoFlags(now: Date): FlagDefinition[] {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  return [
    newFlag({
      key: 'auto-tagging-v2',
      name: 'Auto-Tagging V2',
      description: 'Automatically tag meetings based on content',
      stage: 'beta',
      ttlStart: daysAgo(30),
      ttlDays: 90,
      kbArticle: 'https://help.stagegate.dev/auto-tagging',
      category: 'automation',
      owner: 'palmer@stagegate.dev',
    }),
    newFlag({
      key: 'internal-search',
      name: 'Internal Search',
      description: 'Search across all your meetings and contacts',
      stage: 'alpha',
      ttlStart: daysAgo(10),
      ttlDays: 60,
      category: 'search',
      owner: 'palmer@stagegate.dev',
    }),
    newFlag({
      key: 'process-agent',
      name: 'Process Agent',
      description: 'Turns recurring meeting follow-ups into documented processes',
      stage: 'lab',
      ttlStart: daysAgo(45),
      ttlDays: 90,
      category: 'agents',
      owner: 'noxon@stagegate.dev',
    }),
    newFlag({
      key: 'privacy-agent',
      name: 'Privacy Agent',
      description: 'Redacts personal data from transcripts before they are shared',
      stage: 'alpha',
      // Half a day past 48 days into 60: about 12 days left, so it shows among the TTL warnings.
      ttlStart: daysAgo(47.5),
      ttlDays: 60,
      category: 'agents',
      owner: 'noxon@stagegate.dev',
    }),
    newFlag({
      key: 'global-chat-enabled',
      name: 'Global Chat',
      description: 'Ask questions across every meeting in the workspace',
      stage: 'beta',
      ttlStart: daysAgo(20),
      ttlDays: 90,
      category: 'chat',
      owner: 'palmer@stagegate.dev',
    }),
    newFlag({
      key: 'phoenix-pipeline-enabled',
      name: 'Phoenix Pipeline',
      description: 'The new program generation pipeline, falling back to the legacy one on failure',
      stage: 'ga',
      ttlStart: daysAgo(14),
      ttlDays: 120,
      category: 'pipeline',
      owner: 'admin@stagegate.dev',
      rolloutPercentage: 5,
    }),
    newFlag({
      key: 'smart-summaries',
      name: 'Smart Summaries',
      description: 'A summary with action items after every meeting',
      stage: 'ga',
      ttlStart: daysAgo(200),
      ttlDays: 180,
      category: 'automation',
      owner: 'palmer@stagegate.dev',
      enabled: true,
    }),
    newFlag({
      key: 'legacy-export',
      name: 'Legacy Export',
      description: 'Export meetings in the old CSV format',
      stage: 'beta',
      ttlStart: daysAgo(60),
      ttlDays: 90,
      category: 'export',
      owner: 'noxon@stagegate.dev',
      kill: { reason: 'Exports time out on large workspaces; off until pagination is fixed', at: daysAgo(2), by: 'admin@stagegate.dev' },
    }),
  ];
}

export interface SeedOptions {
  /** The clock the flags' TTLs count from. */
  now?: Date;
  /** Where NODE_ENV is read (tests pass their own). */
  env?: Record<string, string | undefined>;
}

export interface SeedResult {
  workspaceId: string;
  adminId: string;
  memberId: string;
  /** Flags this call created; flags that already existed are left as admins changed them. */
  createdFlags: string[];
  tokens: typeof DEMO_TOKENS;
}

export class SeedRefusedError extends Error {
  override name = 'SeedRefusedError';
}

/**
 * Seeds the demo workspace, its two users, their API tokens and the demo flags. Idempotent: users,
 * workspace, memberships and tokens are upserted back to their demo values; flags are only created
 * when missing, so a restart keeps what an admin did to them. Refuses under NODE_ENV=production,
 * where the publicly known demo tokens would be a way in.
 */
export async function seedDemo(db: Database, options: SeedOptions = {}): Promise<SeedResult> {
  const env = options.env ?? process.env;
  if (env.NODE_ENV === 'production') {
    throw new SeedRefusedError('refusing to seed demo data with NODE_ENV=production: the demo API tokens are public');
  }
  const now = options.now ?? new Date();
  const { prisma } = db;

  const workspace = await prisma.workspace.upsert({
    where: { slug: DEMO_WORKSPACE.slug },
    create: DEMO_WORKSPACE,
    update: { name: DEMO_WORKSPACE.name },
  });
  const users = { admin: '', member: '' };
  for (const role of ['admin', 'member'] as const) {
    const { email, name } = DEMO_USERS[role];
    const user = await prisma.user.upsert({ where: { email }, create: { email, name }, update: { name } });
    users[role] = user.id;
    await prisma.membership.upsert({
      where: { userId_workspaceId: { userId: user.id, workspaceId: workspace.id } },
      create: { userId: user.id, workspaceId: workspace.id, role },
      update: { role },
    });
  }

  const tokens = [
    { plaintext: DEMO_TOKENS.admin, name: 'Demo admin', kind: 'user', userId: users.admin },
    { plaintext: DEMO_TOKENS.member, name: 'Demo member', kind: 'user', userId: users.member },
    { plaintext: DEMO_TOKENS.service, name: 'Demo service', kind: 'service', userId: null },
  ] as const;
  for (const { plaintext, ...token } of tokens) {
    const tokenHash = hashToken(plaintext);
    await prisma.apiToken.upsert({ where: { tokenHash }, create: { tokenHash, ...token }, update: { ...token, revokedAt: null } });
  }

  const flags = demoFlags(now);
  const existing = new Set((await prisma.flag.findMany({ where: { key: { in: flags.map((flag) => flag.key) } }, select: { key: true } })).map((row) => row.key));
  const missing = flags.filter((flag) => !existing.has(flag.key));
  // skipDuplicates: a second seeder racing this one must not fail on the flags it created first.
  await prisma.flag.createMany({ data: missing.map(toFlagData), skipDuplicates: true });

  return { workspaceId: workspace.id, adminId: users.admin, memberId: users.member, createdFlags: missing.map((flag) => flag.key), tokens: DEMO_TOKENS };
}
