import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { StartupError, StartupLoading } from './startup-state.js';

describe('StartupLoading and StartupError', () => {
  it('loading is a named status', () => {
    render(<StartupLoading label="Loading the dashboard" wide />);
    expect(screen.getByRole('status', { name: 'Loading the dashboard' })).toBeInTheDocument();
  });

  it('an unreachable server is the page: an alert with what happened and a retry', async () => {
    const onRetry = vi.fn();
    render(<StartupError description="Failed to fetch" onRetry={onRetry} retrying={false} />);
    expect(screen.getByRole('main')).toContainElement(screen.getByRole('alert'));
    expect(screen.getByRole('alert')).toHaveTextContent('Stagegate is unreachableFailed to fetch');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });
});
