import { newFlag, type FlagDefinition } from '@stagegate/flags-core';
import type { Database } from './database.js';
import { toFlagData } from './flags.js';
import { hashToken } from './tokens.js';

/** Demo sign-in tokens. Public on purpose (README, start banner), hence no seeding in production. */
export const DEMO_TOKENS = {
  owner: 'dev-owner-token',
  editor: 'dev-editor-token',
  viewer: 'dev-viewer-token',
  admin: 'dev-admin-token',
  member: 'dev-member-token',
  acmeAdmin: 'dev-acme-admin-token',
  acmeMember: 'dev-acme-member-token',
  service: 'dev-service-token',
} as const;

export const DEMO_WORKSPACE = { slug: 'demo', name: 'Demo Workspace' } as const;
/** A second customer, so every screen and test has another tenant to keep out. */
export const ACME_WORKSPACE = { slug: 'acme', name: 'Acme Corp' } as const;

type DemoUserKey = Exclude<keyof typeof DEMO_TOKENS, 'service'>;
interface DemoUser {
  email: string;
  name: string;
  operatorRole: 'viewer' | 'editor' | 'owner' | null;
  workspace: { slug: string; role: 'admin' | 'member' } | null;
}

/** Operators run releases and belong to no customer workspace; workspace admins are not operators. */
export const DEMO_USERS = {
  owner: { email: 'owner@stagegate.dev', name: 'Olive Owner', operatorRole: 'owner', workspace: null },
  editor: { email: 'editor@stagegate.dev', name: 'Eddie Editor', operatorRole: 'editor', workspace: null },
  viewer: { email: 'viewer@stagegate.dev', name: 'Vera Viewer', operatorRole: 'viewer', workspace: null },
  admin: { email: 'admin@stagegate.dev', name: 'Ada Admin', operatorRole: null, workspace: { slug: DEMO_WORKSPACE.slug, role: 'admin' } },
  member: { email: 'member@stagegate.dev', name: 'Max Member', operatorRole: null, workspace: { slug: DEMO_WORKSPACE.slug, role: 'member' } },
  acmeAdmin: { email: 'admin@acme.dev', name: 'Ari Acme', operatorRole: null, workspace: { slug: ACME_WORKSPACE.slug, role: 'admin' } },
  acmeMember: { email: 'member@acme.dev', name: 'Mo Acme', operatorRole: null, workspace: { slug: ACME_WORKSPACE.slug, role: 'member' } },
} as const satisfies Record<DemoUserKey, DemoUser>;

/** Acme keeps its members off Internal Search and gives all of them Global Chat. */
const ACME_POLICY = [
  { flagKey: 'internal-search', policy: 'blocked' },
  { flagKey: 'global-chat-enabled', policy: 'enabled' },
] as const;

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
      owner: 'editor@stagegate.dev',
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
      kill: { reason: 'Exports time out on large workspaces; off until pagination is fixed', at: daysAgo(2), by: 'editor@stagegate.dev' },
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
  acmeWorkspaceId: string;
  /** Every demo user's id. */
  users: Record<DemoUserKey, string>;
  /** The demo workspace's admin and member (the users most tests act as). */
  adminId: string;
  memberId: string;
  /** Flags this call created; flags that already existed are left as operators changed them. */
  createdFlags: string[];
  tokens: typeof DEMO_TOKENS;
}

export class SeedRefusedError extends Error {
  override name = 'SeedRefusedError';
}

/**
 * Seeds two workspaces, the demo users (operators, workspace admins, members), their API tokens and
 * the demo flags. Idempotent: users, workspaces, memberships and tokens are upserted back to their
 * demo values; flags are only created when missing, so a restart keeps what operators did to them.
 * Refuses under NODE_ENV=production, where the publicly known demo tokens would be a way in.
 */
export async function seedDemo(db: Database, options: SeedOptions = {}): Promise<SeedResult> {
  const env = options.env ?? process.env;
  if (env.NODE_ENV === 'production') {
    throw new SeedRefusedError('refusing to seed demo data with NODE_ENV=production: the demo API tokens are public');
  }
  const now = options.now ?? new Date();
  const { prisma } = db;

  const acmeIsNew = (await prisma.workspace.count({ where: { slug: ACME_WORKSPACE.slug } })) === 0;
  const workspaces: Record<string, string> = {};
  for (const { slug, name } of [DEMO_WORKSPACE, ACME_WORKSPACE]) {
    workspaces[slug] = (await prisma.workspace.upsert({ where: { slug }, create: { slug, name }, update: { name } })).id;
  }
  const users = {} as Record<DemoUserKey, string>;
  for (const [key, demo] of Object.entries(DEMO_USERS) as Array<[DemoUserKey, DemoUser]>) {
    const { email, name, operatorRole } = demo;
    const user = await prisma.user.upsert({ where: { email }, create: { email, name, operatorRole }, update: { name, operatorRole } });
    users[key] = user.id;
    if (demo.workspace) {
      const workspaceId = workspaces[demo.workspace.slug]!;
      const { role } = demo.workspace;
      await prisma.membership.upsert({
        where: { userId_workspaceId: { userId: user.id, workspaceId } },
        create: { userId: user.id, workspaceId, role },
        update: { role },
      });
    }
    const tokenHash = hashToken(DEMO_TOKENS[key]);
    const token = { name: `Demo ${key}`, kind: 'user' as const, userId: user.id };
    await prisma.apiToken.upsert({ where: { tokenHash }, create: { tokenHash, ...token }, update: { ...token, revokedAt: null } });
  }
  const serviceHash = hashToken(DEMO_TOKENS.service);
  const service = { name: 'Demo service', kind: 'service' as const, userId: null };
  await prisma.apiToken.upsert({ where: { tokenHash: serviceHash }, create: { tokenHash: serviceHash, ...service }, update: { ...service, revokedAt: null } });

  const flags = demoFlags(now);
  const existing = new Set((await prisma.flag.findMany({ where: { key: { in: flags.map((flag) => flag.key) } }, select: { key: true } })).map((row) => row.key));
  const missing = flags.filter((flag) => !existing.has(flag.key));
  // skipDuplicates: a second seeder racing this one must not fail on the flags it created first.
  await prisma.flag.createMany({ data: missing.map(toFlagData), skipDuplicates: true });
  // Acme's admin has made choices (once: a restart keeps what they changed since).
  if (acmeIsNew) {
    await prisma.workspaceFlagPolicyEntry.createMany({
      data: ACME_POLICY.map((entry) => ({ workspaceId: workspaces[ACME_WORKSPACE.slug]!, ...entry, updatedBy: DEMO_USERS.acmeAdmin.email })),
      skipDuplicates: true,
    });
  }

  return {
    workspaceId: workspaces[DEMO_WORKSPACE.slug]!,
    acmeWorkspaceId: workspaces[ACME_WORKSPACE.slug]!,
    users,
    adminId: users.admin,
    memberId: users.member,
    createdFlags: missing.map((flag) => flag.key),
    tokens: DEMO_TOKENS,
  };
}
