import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { EmptyState } from './empty-state.js';
import { ErrorState } from './error-state.js';
import { Switch } from './switch.js';
import { TtlChip } from './ttl-chip.js';

describe('EmptyState and ErrorState', () => {
  it('an empty state shows its title and description', () => {
    render(<EmptyState title="No beta features available" description="Check back soon for new features to try!" />);
    expect(screen.getByRole('heading', { name: 'No beta features available' })).toBeInTheDocument();
    expect(screen.getByText('Check back soon for new features to try!')).toBeInTheDocument();
  });

  it('an error state is an alert whose retry calls back, and says so while retrying', async () => {
    const onRetry = vi.fn();
    const { rerender } = render(<ErrorState title="Couldn't load" description="The server is unreachable" onRetry={onRetry} />);
    expect(screen.getByRole('alert')).toHaveTextContent("Couldn't loadThe server is unreachable");
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledOnce();
    rerender(<ErrorState title="Couldn't load" onRetry={onRetry} retrying />);
    expect(screen.getByRole('button', { name: 'Retrying…' })).toBeDisabled();
  });
});

describe('Switch', () => {
  it('is a named switch that Space toggles', async () => {
    const onCheckedChange = vi.fn();
    render(<Switch aria-label="Internal Search" checked={false} onCheckedChange={onCheckedChange} />);
    const control = screen.getByRole('switch', { name: 'Internal Search' });
    expect(control).toHaveAttribute('aria-checked', 'false');
    control.focus();
    await userEvent.keyboard(' ');
    expect(onCheckedChange).toHaveBeenCalledWith(true);
  });
});

describe('TtlChip', () => {
  it.each([
    [45, '45 days left', 'ok'],
    [12, '12 days left', 'warning'],
    [1, '1 day left', 'warning'],
    [0, 'TTL expired', 'expired'],
  ] as const)('%i days: "%s" (%s)', (days, label, tone) => {
    render(<TtlChip daysRemaining={days} />);
    expect(screen.getByText(label)).toHaveAttribute('data-tone', tone);
  });
});
