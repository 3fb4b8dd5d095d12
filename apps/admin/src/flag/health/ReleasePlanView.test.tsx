import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { asOperator } from '../../testing/operator.js';
import type { ReleasePlan } from './planModel.js';
import { ReleasePlanView } from './ReleasePlanView.js';

const NOW = new Date('2026-12-02T12:48:00.000Z');

function plan(fields: Partial<ReleasePlan> = {}): ReleasePlan {
  return {
    flagKey: 'phoenix',
    steps: [0.1, 5, 25, 50, 100],
    currentStep: 1,
    currentPercentage: 5,
    status: 'running',
    minStepSeconds: 3600,
    minCalls: 1000,
    maxErrorRate: 0.05,
    errorMargin: 0.01,
    onTrip: 'kill',
    stepStartedAt: '2026-12-02T12:00:00.000Z',
    lastCheck: null,
    createdBy: 'editor@stagegate.dev',
    createdAt: '2026-12-02T11:00:00.000Z',
    updatedAt: '2026-12-02T12:00:00.000Z',
    finishedAt: null,
    version: 2,
    history: [],
    ...fields,
  };
}

const show = (p: ReleasePlan, role: 'editor' | 'viewer' = 'editor', onControl = vi.fn()) => {
  render(asOperator(<ReleasePlanView plan={p} now={NOW} pending={undefined} error={null} onControl={onControl} />, role));
  return onControl;
};
const marks = () => within(screen.getByRole('list', { name: 'Plan steps' })).getAllByRole('listitem').map((li) => li.textContent);
const rate = (calls: number, errors: number) => ({ calls, errors, errorRate: errors / calls });

describe('ReleasePlanView', () => {
  it('a running step: the steps before it done, it current (aria-current), the rest next; waiting for time counts down from the clock', () => {
    show(plan({ lastCheck: { at: '2026-12-02T12:47:30.000Z', state: 'waiting_for_time', message: '…', step: 1, secondsLeft: 780, enabled: rate(340, 1), disabled: rate(900, 9), limit: 0.05 } }));
    expect(marks()).toEqual(['0.1 %Done', '5 %Current', '25 %Next', '50 %Next', '100 %Next']);
    expect(screen.getByRole('listitem', { current: 'step' })).toHaveTextContent('5 %');
    expect(screen.getByTestId('plan-why')).toHaveTextContent('Waiting for time: 12 min left at step 2 of 5 (5 %)');
    expect(screen.getByTestId('plan-why')).toHaveTextContent('new path 0.29 % errors over 340 calls; legacy 1 % over 900; limit 5 %');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('waiting for samples says how many of how many calls', () => {
    show(plan({ stepStartedAt: '2026-12-02T10:00:00.000Z', lastCheck: { at: '2026-12-02T12:47:30.000Z', state: 'waiting_for_samples', message: '…', minCalls: 1000, enabled: rate(340, 0), disabled: rate(900, 9), limit: 0.05 } }));
    expect(screen.getByTestId('plan-why')).toHaveTextContent('Waiting for samples: 340 of 1,000 calls on the new path');
  });

  it('tripped and rolled back: an alert banner with the measured rates, the step marked, no controls', () => {
    show(plan({ status: 'rolled_back', currentStep: 2, lastCheck: { at: '2026-12-02T12:47:30.000Z', state: 'tripped', message: 'Guard tripped…', enabled: rate(1200, 118), disabled: rate(3000, 15), limit: 0.015 } }));
    // The page's PlanAlertBanner is the live region; this box only shows it (one announcement, not two).
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    const alert = screen.getByTestId('plan-alarm');
    expect(alert).toHaveTextContent('Tripped at step 3 of 5 (25 %): the flag was killed');
    expect(alert).toHaveTextContent('new path 9.83 % errors over 1,200 calls; legacy 0.5 % over 3,000; limit 1.5 %');
    expect(marks()).toEqual(['0.1 %Done', '5 %Done', '25 %Tripped here', '50 %Next', '100 %Next']);
    expect(screen.getByText('Rolled back')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Pause|Resume|Abort/ })).not.toBeInTheDocument();
  });

  it('completed: every step done', () => {
    show(plan({ status: 'completed', currentStep: 4, lastCheck: { at: '2026-12-02T12:47:30.000Z', state: 'completed', message: 'Release plan completed' } }));
    expect(marks()).toEqual(['0.1 %Done', '5 %Done', '25 %Done', '50 %Done', '100 %Done']);
    expect(screen.getByTestId('plan-why')).toHaveTextContent('Completed: the flag is at 100 %');
  });

  it('controls ask for a reason, then send the action; a paused plan offers resume', async () => {
    const onControl = show(plan());
    await userEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(onControl).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Reason for the change')).toHaveAccessibleDescription(/Say why you pause the plan/);
    await userEvent.type(screen.getByLabelText('Reason for the change'), ' deploy freeze ');
    await userEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(onControl).toHaveBeenCalledWith('pause', 'deploy freeze');
  });

  it('a paused plan says so and offers resume, skip and abort', () => {
    show(plan({ status: 'paused', lastCheck: { at: '2026-12-02T12:47:30.000Z', state: 'paused', message: 'Paused by editor@stagegate.dev: deploy freeze' } }));
    expect(marks()[1]).toBe('5 %Paused here');
    expect(screen.getByTestId('plan-why')).toHaveTextContent('Paused at step 2 of 5 (5 %): the guard is not looking');
    expect(screen.getByTestId('plan-why')).toHaveTextContent('Paused by editor@stagegate.dev: deploy freeze');
    expect(screen.getAllByRole('button').map((b) => b.textContent?.trim())).toEqual(['Resume', 'Skip to next step', 'Abort plan']);
  });

  it('a viewer sees the controls disabled, with why', () => {
    show(plan(), 'viewer');
    for (const name of ['Pause', 'Skip to next step', 'Abort plan']) expect(screen.getByRole('button', { name })).toBeDisabled();
    expect(screen.getByLabelText('Reason for the change')).toBeDisabled();
    expect(screen.getAllByText(/Your operator role is viewer/).length).toBe(3);
  });
});
