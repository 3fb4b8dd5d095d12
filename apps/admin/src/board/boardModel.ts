import { STAGE_ORDER } from '../lib/format.js';
import type { AdminFlag, Stage, UserOverride } from '../lib/trpc.js';

/** The status API's TTL warning window: not GA, and 14 days or fewer left. */
export const TTL_WARNING_DAYS = 14;
/** A GA flag fully on for this long is done: ready to remove from code. */
export const GA_DONE_DAYS = 30;
const DAY_MS = 86_400_000;

export const hasTtlWarning = (flag: AdminFlag) => flag.stage !== 'ga' && flag.daysRemaining <= TTL_WARNING_DAYS;

const fullyOn = (flag: AdminFlag) => flag.enabled || flag.rolloutPercentage >= 100;

/** Why a flag is stale (its code can likely go), or undefined: its TTL passed, or it has been GA and fully on for a long time. */
export function staleReason(flag: AdminFlag, now: Date): string | undefined {
  if (flag.daysRemaining < 0) return `TTL passed ${-flag.daysRemaining} days ago`;
  const daysInGa = Math.floor((now.getTime() - new Date(flag.ttlStart).getTime()) / DAY_MS);
  if (flag.stage === 'ga' && fullyOn(flag) && daysInGa >= GA_DONE_DAYS) return `GA and fully on for ${daysInGa} days: ready to remove from code`;
  return undefined;
}

export interface BoardFilters {
  search: string;
  category: string;
  owner: string;
  stage: Stage | '';
}

export const NO_FILTERS: BoardFilters = { search: '', category: '', owner: '', stage: '' };

export function matches(flag: AdminFlag, filters: BoardFilters): boolean {
  const needle = filters.search.trim().toLowerCase();
  if (needle && ![flag.key, flag.name, flag.description].some((text) => text.toLowerCase().includes(needle))) return false;
  if (filters.category && flag.category !== filters.category) return false;
  if (filters.owner && flag.owner !== filters.owner) return false;
  return !filters.stage || flag.stage === filters.stage;
}

/** Overrides in force (not expired) per flag key. */
export function liveOverrideCounts(overrides: readonly UserOverride[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const override of overrides) if (!override.expired) counts.set(override.flagKey, (counts.get(override.flagKey) ?? 0) + 1);
  return counts;
}

/** Within a stage: TTL warnings first (soonest first), then stale flags, then by name. */
function rank(flag: AdminFlag, now: Date): number {
  if (hasTtlWarning(flag)) return 0;
  return staleReason(flag, now) ? 1 : 2;
}

export function columns(flags: readonly AdminFlag[], now: Date): Array<{ stage: Stage; flags: AdminFlag[] }> {
  return STAGE_ORDER.map((stage) => ({
    stage,
    flags: flags
      .filter((flag) => flag.stage === stage)
      .sort((a, b) => rank(a, now) - rank(b, now) || (rank(a, now) === 0 ? a.daysRemaining - b.daysRemaining : 0) || a.name.localeCompare(b.name)),
  }));
}

export const distinct = (values: readonly string[]) => [...new Set(values)].sort((a, b) => a.localeCompare(b));
