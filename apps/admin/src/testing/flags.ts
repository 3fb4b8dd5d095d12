import type { AdminFlag } from '../lib/trpc.js';

/** A flag as admin.flags.list returns it, for component tests. */
export function adminFlag(fields: Partial<AdminFlag> & Pick<AdminFlag, 'key'>): AdminFlag {
  return {
    name: fields.key,
    description: `${fields.key} does things`,
    stage: 'beta',
    ttlStart: '2026-11-01T00:00:00.000Z',
    ttlDays: 90,
    daysRemaining: 60,
    kbArticle: null,
    category: 'general',
    owner: 'palmer@stagegate.dev',
    enabled: false,
    rolloutPercentage: 0,
    bucketBy: 'user',
    adminOverride: null,
    kill: null,
    archived: false,
    version: 3,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...fields,
  };
}
