import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { formatRate, healthRows, type FlagHealth } from './healthModel.js';
import { PipelineHealthPanel } from './PipelineHealthPanel.js';

const empty = { calls: 0, errors: 0, errorRate: null, p50Ms: null, p95Ms: null };
const path = (calls: number, errors: number) => ({ calls, errors, errorRate: calls === 0 ? null : errors / calls, p50Ms: 4.2, p95Ms: 18 });

function health(enabled: [number, number], disabled: [number, number], fallbacks: number): FlagHealth {
  return {
    key: 'phoenix',
    bucket: 'minute',
    since: '2026-12-02T12:00:00.000Z',
    until: '2026-12-02T12:03:00.000Z',
    series: [
      { at: '2026-12-02T12:00:00.000Z', enabled: empty, disabled: empty, fallbacks: 0 },
      { at: '2026-12-02T12:01:00.000Z', enabled: path(...enabled), disabled: path(...disabled), fallbacks },
      { at: '2026-12-02T12:02:00.000Z', enabled: empty, disabled: empty, fallbacks: 0 },
    ],
    totals: {
      enabled: { ...path(...enabled), share: enabled[0] / (enabled[0] + disabled[0] - fallbacks) },
      disabled: { ...path(...disabled), share: (disabled[0] - fallbacks) / (enabled[0] + disabled[0] - fallbacks) },
      fallbacks,
    },
  };
}

describe('PipelineHealthPanel', () => {
  it('says in words what the charts show, and gives the totals per path in a table', () => {
    render(<PipelineHealthPanel hours={1} onHoursChange={() => undefined} health={health([1000, 70], [3000, 30], 20)} error={null} onRetry={() => undefined} maxErrorRate={0.05} />);
    expect(screen.getByTestId('health-summary')).toHaveTextContent(
      'Last 1 h: 3,980 route() decisions, 25.1 % to the new path and 74.9 % to the legacy path. Error rate 7 % on the new path, 1 % on the legacy path; 20 fallbacks to legacy. The new path is above the plan\'s 5 % threshold.',
    );
    const table = screen.getByRole('table', { name: 'route() totals per path, last 1 h' });
    const rows = within(table).getAllByRole('row').map((row) => row.textContent);
    expect(rows[1]).toBe('New path (enabled)25.1 %1,000707 %4.2 ms18 ms');
    expect(rows[2]).toBe('Legacy path (disabled)74.9 %3,000301 %4.2 ms18 ms');
    expect(rows[3]).toContain('20');
    // The per-minute numbers list only buckets that had calls.
    expect(screen.getByText('Numbers per minute (1 with calls)')).toBeInTheDocument();
  });

  it('offers 1 h / 6 h / 24 h / 7 d, the chosen one pressed', async () => {
    const onHoursChange = vi.fn();
    render(<PipelineHealthPanel hours={24} onHoursChange={onHoursChange} health={health([10, 0], [10, 0], 0)} error={null} onRetry={() => undefined} />);
    const group = screen.getByRole('group', { name: 'Time range' });
    expect(within(group).getAllByRole('button').map((b) => [b.textContent, b.getAttribute('aria-pressed')])).toEqual([
      ['1 h', 'false'],
      ['6 h', 'false'],
      ['24 h', 'true'],
      ['7 d', 'false'],
    ]);
    await userEvent.click(within(group).getByRole('button', { name: '7 d' }));
    expect(onHoursChange).toHaveBeenCalledWith(168);
  });

  it('with nothing reported: says so and how services report', () => {
    render(<PipelineHealthPanel hours={6} onHoursChange={() => undefined} health={health([0, 0], [0, 0], 0)} error={null} onRetry={() => undefined} />);
    expect(screen.getByRole('heading', { name: 'No route() calls reported for this flag yet' })).toBeInTheDocument();
    expect(screen.getByText(/createFlagClient with a service token sends route\(\) counts every 20 s to POST \/api\/flags\/metrics/)).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('a failed load is an alert with a retry', async () => {
    const onRetry = vi.fn();
    render(<PipelineHealthPanel hours={24} onHoursChange={() => undefined} health={undefined} error={new Error('down')} onRetry={onRetry} />);
    expect(screen.getByRole('alert')).toHaveTextContent("Couldn't load pipeline health");
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalled();
  });
});

describe('healthRows', () => {
  it('error rates become percentages for the chart, and a path without calls breaks the line (null, not 0)', () => {
    const rows = healthRows(health([200, 3], [100, 0], 1));
    expect(rows.map((r) => [r.enabledErrorPct, r.disabledErrorPct, r.fallbacks])).toEqual([
      [null, null, 0],
      [1.5, 0, 1],
      [null, null, 0],
    ]);
    expect(formatRate(0.00125)).toBe('0.13 %');
    expect(formatRate(null)).toBe('—');
  });
});
