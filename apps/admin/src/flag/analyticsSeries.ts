import type { Analytics, AuditItem } from '../lib/trpc.js';

export interface DayRow {
  day: string;
  on: number;
  off: number;
  optIns: number;
  optOuts: number;
}

const DAY_MS = 86_400_000;

/** Every UTC day of the window (gaps filled with zeros): evaluations on/off from analytics, opt-ins/outs from the audit log. */
export function dailySeries(analytics: Analytics, flagKey: string, choices: readonly Pick<AuditItem, 'at' | 'action'>[]): DayRow[] {
  const rows = new Map<string, DayRow>();
  for (let t = Date.parse(`${analytics.from}T00:00:00Z`); t <= Date.parse(`${analytics.to}T00:00:00Z`); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    rows.set(day, { day, on: 0, off: 0, optIns: 0, optOuts: 0 });
  }
  for (const row of analytics.evaluations) {
    const target = row.flagKey === flagKey ? rows.get(row.day) : undefined;
    if (!target) continue;
    target.on += row.enabledCount;
    target.off += row.evaluations - row.enabledCount;
  }
  for (const choice of choices) {
    const target = rows.get(choice.at.slice(0, 10));
    if (!target) continue;
    if (choice.action === 'beta_feature.enabled') target.optIns += 1;
    if (choice.action === 'beta_feature.disabled') target.optOuts += 1;
  }
  return [...rows.values()];
}
