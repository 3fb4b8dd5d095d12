import type { RouterOutputs } from '@stagegate/api';

export type FlagHealth = RouterOutputs['admin']['flags']['health'];
export type PathHealth = FlagHealth['totals']['enabled'];

/** The ranges the panel offers, in hours (the API answers per minute up to 6 h, per hour beyond). */
export const HEALTH_RANGES = [
  { hours: 1, label: '1 h' },
  { hours: 6, label: '6 h' },
  { hours: 24, label: '24 h' },
  { hours: 168, label: '7 d' },
] as const;

/** The product's names for route()'s two paths. */
export const PATH_LABELS = { enabled: 'New path (enabled)', disabled: 'Legacy path (disabled)' } as const;

const count = new Intl.NumberFormat('en');
export const formatCount = (value: number) => count.format(value);

/** An error rate (0–1) as a percentage with up to two decimals; a dash without calls. */
export const formatRate = (rate: number | null) => (rate === null ? '—' : `${Number((rate * 100).toFixed(2))} %`);
export const formatMs = (ms: number | null) => (ms === null ? '—' : `${Number(ms.toFixed(1))} ms`);

export interface HealthRow {
  at: string;
  /** The bucket's start, as the axis shows it (local time). */
  label: string;
  enabledCalls: number;
  disabledCalls: number;
  /** In percent (0–100) for the chart; null where the path had no calls, so the line breaks instead of dropping to 0. */
  enabledErrorPct: number | null;
  disabledErrorPct: number | null;
  fallbacks: number;
}

const time = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hour12: false });
// With the minutes: an hour alone ('Dec 6, 16') reads like a day of the month.
const dayTime = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
const pct = (rate: number | null) => (rate === null ? null : Math.round(rate * 10_000) / 100);

/** The API's series as chart rows. */
export function healthRows(health: Pick<FlagHealth, 'series' | 'bucket'>): HealthRow[] {
  const format = health.bucket === 'minute' ? time : dayTime;
  return health.series.map((point) => ({
    at: point.at,
    label: format.format(new Date(point.at)),
    enabledCalls: point.enabled.calls,
    disabledCalls: point.disabled.calls,
    enabledErrorPct: pct(point.enabled.errorRate),
    disabledErrorPct: pct(point.disabled.errorRate),
    fallbacks: point.fallbacks,
  }));
}

export const hasReports = (health: Pick<FlagHealth, 'totals'>) => health.totals.enabled.calls + health.totals.disabled.calls > 0;

/** One sentence that says what the charts show, for everyone (and for screen readers in place of them). */
export function healthSummary(health: Pick<FlagHealth, 'totals'>, rangeLabel: string): string {
  const { enabled, disabled, fallbacks } = health.totals;
  const decisions = enabled.calls + disabled.calls - fallbacks;
  const share = (value: number | null) => (value === null ? '—' : `${Math.round(value * 1000) / 10} %`);
  return (
    `Last ${rangeLabel}: ${formatCount(decisions)} route() decisions, ${share(enabled.share)} to the new path and ${share(disabled.share)} to the legacy path. ` +
    `Error rate ${formatRate(enabled.errorRate)} on the new path, ${formatRate(disabled.errorRate)} on the legacy path; ` +
    `${formatCount(fallbacks)} ${fallbacks === 1 ? 'fallback' : 'fallbacks'} to legacy.`
  );
}
