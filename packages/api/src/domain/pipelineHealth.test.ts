import { describe, expect, it } from 'vitest';
import { latencyQuantile } from './pipelineHealth.js';
import { metricsRetentionDays } from './pipelineMetrics.js';

const histogram = (counts: Record<number, number>) => Array.from({ length: 13 }, (_, i) => counts[i] ?? 0);

describe('latencyQuantile', () => {
  it.each([
    // [buckets, q, expected]: bounds are 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000 ms, then overflow.
    [histogram({}), 0.5, null],
    [histogram({ 0: 10 }), 0.5, 0.5],
    [histogram({ 2: 20 }), 0.5, 7.5],
    [histogram({ 2: 20 }), 0.95, 9.75],
    [histogram({ 2: 20, 4: 20 }), 0.5, 10],
    [histogram({ 2: 20, 4: 20 }), 0.95, 47.5],
    [histogram({ 1: 99, 11: 1 }), 0.99, 5],
    [histogram({ 1: 98, 11: 2 }), 0.99, 7_500],
    [histogram({ 12: 4 }), 0.5, 10_000],
  ])('%j at %d → %d', (buckets, q, expected) => {
    expect(latencyQuantile(buckets, q)).toBe(expected);
  });
});

describe('metricsRetentionDays', () => {
  it('reads STAGEGATE_METRICS_RETENTION_DAYS, 90 when unset, and refuses what is not a whole number of days from 3', () => {
    expect(metricsRetentionDays({})).toBe(90);
    expect(metricsRetentionDays({ STAGEGATE_METRICS_RETENTION_DAYS: ' 30 ' })).toBe(30);
    for (const bad of ['abc', '2', '1.5', '-7', '100000']) expect(() => metricsRetentionDays({ STAGEGATE_METRICS_RETENTION_DAYS: bad }), bad).toThrow(/STAGEGATE_METRICS_RETENTION_DAYS/);
  });
});
