import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SignInScreen, type SignInScreenProps } from './sign-in-screen.js';
import { ThemeProvider } from './theme.js';

const copy = { brand: 'Stagegate', title: 'Sign in to Stagegate', description: 'Try new features.', tokenDescription: 'Paste a token.' };
const demo = { title: 'Demo users', description: 'Development only.', users: [{ key: 'alice', name: 'Alice', email: 'alice@acme.test', detail: 'Member of acme' }] };

function renderScreen(props: Partial<SignInScreenProps> = {}) {
  const handlers = { onDemo: vi.fn(), onToken: vi.fn() };
  render(
    <ThemeProvider>
      <SignInScreen {...copy} {...handlers} {...props} />
    </ThemeProvider>,
  );
  return handlers;
}

describe('SignInScreen', () => {
  it('a demo user signs in with one click, described by the app', async () => {
    const { onDemo } = renderScreen({ demo });
    expect(screen.getByRole('heading', { name: 'Sign in to Stagegate', level: 1 })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /Alice.*Member of acme/ }));
    expect(onDemo).toHaveBeenCalledWith('alice');
  });

  it('without a demo picker only the token form shows; a pasted token is sent trimmed', async () => {
    const { onToken } = renderScreen();
    expect(screen.queryByRole('heading', { name: 'Demo users' })).not.toBeInTheDocument();
    const submit = screen.getByRole('button', { name: 'Sign in with token' });
    expect(submit).toBeDisabled();
    await userEvent.type(screen.getByLabelText('Token'), '  dev-token  ');
    await userEvent.click(submit);
    expect(onToken).toHaveBeenCalledWith('dev-token');
  });

  it('an error is an alert the token field points at; while pending the buttons wait', () => {
    renderScreen({ demo, error: 'Unknown token', pending: true });
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Unknown token');
    expect(screen.getByLabelText('Token')).toHaveAttribute('aria-describedby', alert.id);
    expect(screen.getByRole('button', { name: /Alice/ })).toBeDisabled();
  });
});
