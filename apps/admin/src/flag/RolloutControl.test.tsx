import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { asOperator } from '../testing/operator.js';
import { RolloutControl } from './RolloutControl.js';

describe('RolloutControl', () => {
  it('the ADR presets set the draft, the reach is shown, and the save sends percentage, bucketing and note', async () => {
    const onDraftChange = vi.fn();
    const onSave = vi.fn();
    render(asOperator(<RolloutControl flag={{ rolloutPercentage: 5, bucketBy: 'user' }} pending={false} reach={{ inRollout: 3, total: 12 }} onDraftChange={onDraftChange} onSave={onSave} />));
    const presets = screen.getByRole('group', { name: 'Rollout presets (ADR-074)' });
    expect([...presets.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['0.1 %', '5 %', '25 %', '50 %', '100 %']);
    await userEvent.click(screen.getByRole('button', { name: '25 %' }));
    expect(onDraftChange).toHaveBeenLastCalledWith({ percentage: 25, bucketBy: 'user' });
    expect(screen.getByRole('slider', { name: 'Rollout percentage' })).toHaveAttribute('aria-valuetext', '25 %');
    expect(screen.getByText('At 25 %: 3 of 12 known users are in.')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Bucket by'), 'workspace');
    await userEvent.type(screen.getByLabelText('Note (optional)'), 'step 3');
    await userEvent.click(screen.getByRole('button', { name: 'Set rollout to 25 %' }));
    expect(onSave).toHaveBeenCalledWith({ percentage: 25, bucketBy: 'workspace', note: 'step 3' });
  });

  it('an exact 0.1 is fine, three decimals are refused inline', async () => {
    const onSave = vi.fn();
    render(asOperator(<RolloutControl flag={{ rolloutPercentage: 0, bucketBy: 'user' }} pending={false} reach={undefined} onDraftChange={() => undefined} onSave={onSave} />));
    const exact = screen.getByLabelText('Exact %');
    await userEvent.clear(exact);
    await userEvent.type(exact, '0.125');
    expect(exact).toHaveAccessibleDescription('A percentage from 0 to 100, at most two decimals');
    expect(screen.getByRole('button', { name: /Set rollout to/ })).toBeDisabled();
    await userEvent.clear(exact);
    await userEvent.type(exact, '0.1');
    await userEvent.click(screen.getByRole('button', { name: 'Set rollout to 0.1 %' }));
    expect(onSave).toHaveBeenCalledWith({ percentage: 0.1, bucketBy: 'user', note: undefined });
  });
});
