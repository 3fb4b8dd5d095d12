import { flagDefinitionSelect, toFlagDefinition } from '@stagegate/db';
import { STAGES, daysRemaining, ttlWarnings, type Stage, type TtlWarning } from '@stagegate/flags-core';
import type { Services } from '../services.js';

export interface StageEntry {
  key: string;
  name: string;
  stage: Stage;
  owner: string;
  ttlStart: string;
  ttlDays: number;
  /** Negative once the TTL has passed. */
  daysRemaining: number;
  enabled: boolean;
  rolloutPercentage: number;
  killed: boolean;
}

export interface LifecycleStatus {
  stages: Record<Stage, StageEntry[]>;
  ttlWarnings: TtlWarning[];
  generatedAt: string;
}

/** Every live flag by stage with its TTL, and the flags whose TTL is about to run out (archived ones are done). */
export async function lifecycleStatus(services: Services): Promise<LifecycleStatus> {
  const now = services.now();
  // From the database, not the evaluation cache: admins act on this, so it must be the latest word.
  const rows = await services.db.prisma.flag.findMany({ where: { archived: false }, select: flagDefinitionSelect, orderBy: { key: 'asc' } });
  const flags = rows.map(toFlagDefinition);
  const stages = Object.fromEntries(STAGES.map((stage) => [stage, [] as StageEntry[]])) as Record<Stage, StageEntry[]>;
  for (const flag of flags) {
    stages[flag.stage].push({
      key: flag.key,
      name: flag.name,
      stage: flag.stage,
      owner: flag.owner,
      ttlStart: flag.ttlStart.toISOString(),
      ttlDays: flag.ttlDays,
      daysRemaining: daysRemaining(flag, now),
      enabled: flag.enabled,
      rolloutPercentage: flag.rolloutPercentage,
      killed: flag.kill !== null,
    });
  }
  return { stages, ttlWarnings: ttlWarnings(flags, now), generatedAt: now.toISOString() };
}
