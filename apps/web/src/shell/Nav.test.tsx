import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MEMBER_SESSION, renderWithApi } from '../testing/fakeApi.js';
import { Nav } from './Nav.js';
import { WorkspaceSwitcher } from './WorkspaceSwitcher.js';

const evaluate = (enabled: boolean) => () => ({ resolutions: [{ key: 'internal-search', enabled, reason: enabled ? 'OPT_IN' : 'DEFAULT', stage: 'alpha' }] });
const discovered = () => ({ tracked: false });

describe('the shell', () => {
  it('shows Search with its Alpha badge while internal-search is on', async () => {
    renderWithApi(<Nav />, { 'flags.evaluate': evaluate(true), 'betaFeatures.trackDiscovered': discovered });
    const link = await screen.findByRole('link', { name: /Search/ });
    expect(link).toHaveAttribute('href', '/search');
    expect(link).toHaveTextContent('Alpha');
  });

  it('has no Search entry while internal-search is off', async () => {
    renderWithApi(<Nav />, { 'flags.evaluate': evaluate(false) });
    expect(await screen.findByRole('link', { name: 'Settings' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Search/ })).toBeNull();
  });

  it('offers a workspace switcher only to users in several workspaces', () => {
    const acme = { id: 'w2', slug: 'acme', name: 'Acme Corp', role: 'admin' as const };
    const { unmount } = renderWithApi(<WorkspaceSwitcher />, {});
    expect(screen.queryByRole('combobox')).toBeNull();
    unmount();
    renderWithApi(<WorkspaceSwitcher />, {}, { ...MEMBER_SESSION, workspaces: [...MEMBER_SESSION.workspaces, acme] });
    const select = screen.getByRole('combobox', { name: 'Workspace' });
    expect(select).toHaveValue('w1');
    expect(screen.getByRole('option', { name: 'Acme Corp' })).toBeInTheDocument();
  });
});
