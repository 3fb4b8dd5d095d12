import { describe, expect, it } from 'vitest';
import { dailySeries } from './analyticsSeries.js';

describe('dailySeries', () => {
  it('one row per day of the window: evaluations split on/off, opt-ins and opt-outs counted, other flags ignored', () => {
    const rows = dailySeries(
      {
        days: 3,
        from: '2026-11-29',
        to: '2026-12-01',
        optIns: [],
        evaluations: [
          { flagKey: 'internal-search', day: '2026-11-29', evaluations: 10, enabledCount: 4 },
          { flagKey: 'other', day: '2026-11-29', evaluations: 99, enabledCount: 99 },
          { flagKey: 'internal-search', day: '2026-12-01', evaluations: 3, enabledCount: 3 },
        ],
      },
      'internal-search',
      [
        { at: '2026-11-30T09:00:00.000Z', action: 'beta_feature.enabled' },
        { at: '2026-11-30T10:00:00.000Z', action: 'beta_feature.enabled' },
        { at: '2026-12-01T10:00:00.000Z', action: 'beta_feature.disabled' },
        { at: '2026-10-01T10:00:00.000Z', action: 'beta_feature.enabled' },
      ],
    );
    expect(rows).toEqual([
      { day: '2026-11-29', on: 4, off: 6, optIns: 0, optOuts: 0 },
      { day: '2026-11-30', on: 0, off: 0, optIns: 2, optOuts: 0 },
      { day: '2026-12-01', on: 3, off: 0, optIns: 0, optOuts: 1 },
    ]);
  });
});
