import type { FlagDefinition, Stage } from './schema.js';

const DAY_MS = 86_400_000;

/** Whole days left until the flag's TTL ends (ttlStart + ttlDays − now); negative once it has passed. */
export function daysRemaining(flag: Pick<FlagDefinition, 'ttlStart' | 'ttlDays'>, now: Date): number {
  const end = flag.ttlStart.getTime() + flag.ttlDays * DAY_MS;
  return Math.floor((end - now.getTime()) / DAY_MS);
}

export interface TtlWarning {
  key: string;
  name: string;
  stage: Stage;
  owner: string;
  daysRemaining: number;
}

/** Flags not yet GA whose TTL ends within `withinDays` days or has passed, soonest first. */
export function ttlWarnings(flags: readonly FlagDefinition[], now: Date, withinDays = 14): TtlWarning[] {
  return flags
    .filter((flag) => flag.stage !== 'ga' && !flag.archived)
    .map((flag) => ({ key: flag.key, name: flag.name, stage: flag.stage, owner: flag.owner, daysRemaining: daysRemaining(flag, now) }))
    .filter((warning) => warning.daysRemaining <= withinDays)
    .sort((a, b) => a.daysRemaining - b.daysRemaining || a.key.localeCompare(b.key));
}
