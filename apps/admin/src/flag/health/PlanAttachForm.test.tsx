import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { asOperator } from '../../testing/operator.js';
import { PlanAttachForm } from './PlanAttachForm.js';

const show = (role: 'editor' | 'viewer' = 'editor') => {
  const onAttach = vi.fn();
  render(asOperator(<PlanAttachForm flagKey="phoenix" pending={false} error={null} onAttach={onAttach} />, role));
  return onAttach;
};

describe('PlanAttachForm', () => {
  it('starts from ADR-074 and the API defaults, and sends rates as fractions and time in seconds', async () => {
    const onAttach = show();
    expect(screen.getByLabelText('Steps (%)')).toHaveValue('0.1, 5, 25, 50, 100');
    await userEvent.selectOptions(screen.getByLabelText('When the guard trips'), 'previous_step');
    await userEvent.click(screen.getByRole('button', { name: 'Attach plan' }));
    expect(onAttach).toHaveBeenCalledWith({ key: 'phoenix', steps: [0.1, 5, 25, 50, 100], minStepSeconds: 3600, minCalls: 100, maxErrorRate: 0.05, errorMargin: 0.01, onTrip: 'previous_step', reason: undefined });
  });

  it('refuses steps that go down or stop short of 100, and rates that are not percentages, each under its field', async () => {
    const onAttach = show();
    const steps = screen.getByLabelText('Steps (%)');
    await userEvent.clear(steps);
    await userEvent.type(steps, '5, 1, 50');
    const maxRate = screen.getByLabelText('Max error rate on the new path (%)');
    await userEvent.clear(maxRate);
    await userEvent.type(maxRate, 'lots');
    const minutes = screen.getByLabelText('Least time per step');
    await userEvent.clear(minutes);
    await userEvent.click(screen.getByRole('button', { name: 'Attach plan' }));
    expect(onAttach).not.toHaveBeenCalled();
    expect(steps).toHaveAccessibleDescription(/Steps must go up, each above the one before/);
    expect(maxRate).toHaveAccessibleDescription('A percentage from 0 to 100');
    expect(minutes).toHaveAccessibleDescription('At least a minute, at most 30 days');

    await userEvent.clear(steps);
    await userEvent.type(steps, '1, 10, 20');
    await userEvent.clear(maxRate);
    await userEvent.type(maxRate, '2 %');
    await userEvent.type(minutes, '30');
    await userEvent.selectOptions(screen.getByLabelText('Unit'), 'min');
    await userEvent.click(screen.getByRole('button', { name: 'Attach plan' }));
    expect(steps).toHaveAccessibleDescription(/The last step must be 100 %/);
    await userEvent.type(steps, ', 100');
    await userEvent.click(screen.getByRole('button', { name: 'Attach plan' }));
    expect(onAttach).toHaveBeenCalledWith(expect.objectContaining({ steps: [1, 10, 20, 100], minStepSeconds: 1800, maxErrorRate: 0.02 }));
  });

  it('a viewer sees the form but not a working button', () => {
    show('viewer');
    expect(screen.getByRole('button', { name: 'Attach plan' })).toBeDisabled();
    expect(screen.getByText(/Your operator role is viewer/)).toBeInTheDocument();
  });
});
