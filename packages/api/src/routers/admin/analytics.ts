import { AnalyticsInput } from '../../contract/inputs.js';
import { operatorProcedure } from '../../trpc.js';

const DAY_MS = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export interface FlagOptInCounts {
  flagKey: string;
  /** Preferences set to on / off, across all workspaces (flags are global, so is their rollout). */
  enabled: number;
  disabled: number;
}

export interface FlagEvaluationsOnDay {
  flagKey: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  evaluations: number;
  enabledCount: number;
}

/**
 * `admin.analytics`: who opted in to what, and how often each flag was evaluated per day over the
 * last `days` UTC days (today included). This process's in-memory counts are flushed first, so the
 * figures include the calls made just now; other processes' counts arrive with their next flush.
 */
export const analyticsProcedure = operatorProcedure('viewer')
  .input(AnalyticsInput)
  .query(async ({ ctx, input }) => {
    const { db, evaluations, now } = ctx.services;
    await evaluations.flush();
    const to = now();
    const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()) - (input.days - 1) * DAY_MS);

    const [preferences, rows] = await Promise.all([
      db.prisma.betaPreference.groupBy({ by: ['flagKey', 'enabled'], _count: { _all: true }, orderBy: { flagKey: 'asc' } }),
      db.prisma.flagEvaluationDaily.findMany({ where: { day: { gte: from } }, orderBy: [{ day: 'asc' }, { flagKey: 'asc' }] }),
    ]);

    const optIns = new Map<string, FlagOptInCounts>();
    for (const group of preferences) {
      let counts = optIns.get(group.flagKey);
      if (!counts) optIns.set(group.flagKey, (counts = { flagKey: group.flagKey, enabled: 0, disabled: 0 }));
      counts[group.enabled ? 'enabled' : 'disabled'] += group._count._all;
    }

    return {
      days: input.days,
      from: isoDay(from),
      to: isoDay(to),
      optIns: [...optIns.values()],
      evaluations: rows.map(
        (row): FlagEvaluationsOnDay => ({ flagKey: row.flagKey, day: isoDay(row.day), evaluations: row.evaluations, enabledCount: row.enabledCount }),
      ),
    };
  });
