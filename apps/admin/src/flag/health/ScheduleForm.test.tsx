import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { asOperator } from '../../testing/operator.js';
import { ScheduledChangesList, type ScheduledChange } from './ScheduledChangesList.js';
import { localToIso, ScheduleForm } from './ScheduleForm.js';

const show = (role: 'editor' | 'viewer' = 'editor') => {
  const onSchedule = vi.fn();
  render(asOperator(<ScheduleForm flagKey="phoenix" pending={false} error={null} onSchedule={onSchedule} />, role));
  return onSchedule;
};

describe('ScheduleForm', () => {
  it('asks for a time and a reason, then sends the local time as an instant', async () => {
    const onSchedule = show();
    await userEvent.type(screen.getByLabelText('Rollout %'), '25');
    await userEvent.click(screen.getByRole('button', { name: 'Schedule change' }));
    expect(onSchedule).not.toHaveBeenCalled();
    expect(screen.getByLabelText('When (your local time)')).toHaveAccessibleDescription(/Pick a date and time/);
    expect(screen.getByLabelText('Reason')).toHaveAccessibleDescription(/Say why/);
    await userEvent.type(screen.getByLabelText('When (your local time)'), '2099-03-01T09:30');
    await userEvent.type(screen.getByLabelText('Reason'), ' Monday release ');
    await userEvent.click(screen.getByRole('button', { name: 'Schedule change' }));
    expect(onSchedule).toHaveBeenCalledWith({ key: 'phoenix', action: 'set_rollout', rolloutPercentage: 25, runAt: new Date('2099-03-01T09:30').toISOString(), reason: 'Monday release' });
  });

  it('a rollout must be a percentage; a stage change and a kill send what they need', async () => {
    const onSchedule = show();
    await userEvent.type(screen.getByLabelText('Rollout %'), '150');
    await userEvent.type(screen.getByLabelText('When (your local time)'), '2099-03-01T09:30');
    await userEvent.type(screen.getByLabelText('Reason'), 'r');
    await userEvent.click(screen.getByRole('button', { name: 'Schedule change' }));
    expect(screen.getByLabelText('Rollout %')).toHaveAccessibleDescription('A percentage from 0 to 100, at most two decimals');
    await userEvent.selectOptions(screen.getByLabelText('Change'), 'set_stage');
    await userEvent.selectOptions(screen.getByLabelText('Stage'), 'beta');
    await userEvent.click(screen.getByRole('button', { name: 'Schedule change' }));
    expect(onSchedule).toHaveBeenLastCalledWith(expect.objectContaining({ action: 'set_stage', stage: 'beta' }));
    await userEvent.selectOptions(screen.getByLabelText('Change'), 'kill');
    await userEvent.click(screen.getByRole('button', { name: 'Schedule change' }));
    expect(onSchedule).toHaveBeenLastCalledWith({ key: 'phoenix', action: 'kill', runAt: expect.any(String), reason: 'r' });
  });

  it('a viewer cannot schedule', () => {
    show('viewer');
    expect(screen.getByRole('button', { name: 'Schedule change' })).toBeDisabled();
  });

  it('localToIso: empty or not a time is undefined', () => {
    expect(localToIso('')).toBeUndefined();
    expect(localToIso('soon')).toBeUndefined();
    expect(localToIso('2099-03-01T09:30')).toBe(new Date(2099, 2, 1, 9, 30).toISOString());
  });
});

const change = (fields: Partial<ScheduledChange>): ScheduledChange => ({
  id: 1,
  flagKey: 'phoenix',
  action: 'set_rollout',
  stage: null,
  rolloutPercentage: 25,
  reason: 'Monday release',
  runAt: '2099-03-01T09:30:00.000Z',
  status: 'pending',
  createdBy: 'editor@stagegate.dev',
  createdAt: '2026-12-02T12:00:00.000Z',
  executedAt: null,
  error: null,
  ...fields,
});

describe('ScheduledChangesList', () => {
  it('shows what, when, who and how it went; a pending one is cancelled in two clicks', async () => {
    const onCancel = vi.fn();
    render(
      asOperator(
        <ScheduledChangesList
          changes={[change({ id: 1 }), change({ id: 2, action: 'kill', rolloutPercentage: null, status: 'failed', error: 'FLAG_KILLED: already killed', executedAt: '2026-12-02T12:30:00.000Z' })]}
          cancelling={undefined}
          onCancel={onCancel}
        />,
      ),
    );
    const [pending, failed] = within(screen.getByRole('list', { name: 'Scheduled changes' })).getAllByRole('listitem');
    expect(pending).toHaveTextContent(/Rollout to 25 %Pending.*by editor@stagegate\.dev.*“Monday release”/);
    expect(failed).toHaveTextContent(/KillFailed.*Failed: FLAG_KILLED: already killed/);
    expect(within(failed!).queryByRole('button')).not.toBeInTheDocument();
    await userEvent.click(within(pending!).getByRole('button', { name: /^Cancel: Rollout to 25 % at/ }));
    expect(onCancel).not.toHaveBeenCalled();
    await userEvent.click(within(pending!).getByRole('button', { name: 'Yes, cancel it' }));
    expect(onCancel).toHaveBeenCalledWith(1);
  });
});
