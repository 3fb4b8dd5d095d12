import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { asOperator } from '../testing/operator.js';
import { OverrideForm } from './OverrideForm.js';

describe('OverrideForm', () => {
  it('sends the user by email, on/off, the reason and no expiry', async () => {
    const onSubmit = vi.fn();
    render(asOperator(<OverrideForm flagKey="internal-search" pending={false} onSubmit={onSubmit} />));
    await userEvent.type(screen.getByLabelText('User email'), 'member@stagegate.dev');
    await userEvent.selectOptions(screen.getByLabelText('Set to'), 'off');
    await userEvent.type(screen.getByLabelText('Reason'), 'support ticket 42');
    await userEvent.click(screen.getByRole('button', { name: 'Add override' }));
    expect(onSubmit).toHaveBeenCalledWith({ flagKey: 'internal-search', email: 'member@stagegate.dev', enabled: false, reason: 'support ticket 42', expiresAt: null });
  });

  it('refuses a bad email, an empty reason and a past expiry inline, with the contract schema', async () => {
    const onSubmit = vi.fn();
    render(asOperator(<OverrideForm flagKey="internal-search" pending={false} onSubmit={onSubmit} />));
    await userEvent.type(screen.getByLabelText('User email'), 'member');
    await userEvent.type(screen.getByLabelText('Expires (optional)'), '2020-01-01T10:00');
    await userEvent.click(screen.getByRole('button', { name: 'Add override' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByLabelText('User email')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Reason')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Expires (optional)')).toHaveAccessibleDescription('Pick a time in the future');
  });

  it("shows the server's refusal on its field (an unknown user)", () => {
    render(asOperator(<OverrideForm flagKey="internal-search" pending={false} serverErrors={{ email: 'No user nobody@x.dev' }} onSubmit={() => undefined} />));
    expect(screen.getByLabelText('User email')).toHaveAccessibleDescription('No user nobody@x.dev');
  });
});
