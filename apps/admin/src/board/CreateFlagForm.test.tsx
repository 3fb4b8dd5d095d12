import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CreateFlagForm } from './CreateFlagForm.js';

describe('CreateFlagForm', () => {
  it('sends a valid flag, leaving empty optional fields out', async () => {
    const onSubmit = vi.fn();
    render(<CreateFlagForm pending={false} onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText('Key'), 'smart-replies');
    await userEvent.type(screen.getByLabelText('Name'), 'Smart Replies');
    await userEvent.selectOptions(screen.getByLabelText('Stage'), 'alpha');
    await userEvent.click(screen.getByRole('button', { name: 'Create flag' }));
    expect(onSubmit).toHaveBeenCalledWith({
      key: 'smart-replies',
      name: 'Smart Replies',
      description: undefined,
      stage: 'alpha',
      ttlDays: 30,
      category: undefined,
      owner: undefined,
      kbArticle: undefined,
    });
  });

  it('shows the contract schema’s refusals inline (key slug, name, TTL) and sends nothing', async () => {
    const onSubmit = vi.fn();
    render(<CreateFlagForm pending={false} onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText('Key'), 'Smart Replies');
    await userEvent.clear(screen.getByLabelText('TTL (days in this stage)'));
    await userEvent.type(screen.getByLabelText('TTL (days in this stage)'), '9999');
    await userEvent.click(screen.getByRole('button', { name: 'Create flag' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Key')).toHaveAccessibleDescription(/lowercase slug/);
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('TTL (days in this stage)')).toHaveAttribute('aria-invalid', 'true');
  });

  it('shows a refusal from the server on its field', () => {
    render(<CreateFlagForm pending={false} onSubmit={() => undefined} serverErrors={{ key: 'A flag "smart-replies" already exists' }} />);
    expect(screen.getByLabelText('Key')).toHaveAccessibleDescription(/already exists/);
  });
});
