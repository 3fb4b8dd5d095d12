import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { BetaFeatureList } from '../lib/trpc.js';
import { deferred, feature, listOf, refusal, renderWithApi, type Handler } from '../testing/fakeApi.js';
import { BetaFeaturesPage } from './BetaFeaturesPage.js';

const search = feature({ key: 'internal-search', name: 'Internal Search', stage: 'alpha' });
const chat = feature({ key: 'global-chat-enabled', name: 'Global Chat' });

function api(handlers: Record<string, Handler>) {
  return { 'betaFeatures.trackViewed': () => ({ tracked: false }), 'betaFeatures.trackDiscovered': () => ({ tracked: false }), 'flags.evaluate': () => ({ resolutions: [] }), ...handlers };
}

const toggleMessage = (input: unknown) => {
  const { key, enabled } = input as { key: string; enabled: boolean };
  return { success: true, feature: { key, name: key, enabled }, message: `${key} has been ${enabled ? 'enabled' : 'disabled'}` };
};

describe('Settings → Beta Features', () => {
  it('shows a skeleton while loading, then the spec’s header and a card per feature, and reports the view once', async () => {
    const list = deferred<BetaFeatureList>();
    const viewed = vi.fn(() => ({ tracked: true }));
    renderWithApi(<BetaFeaturesPage />, api({ 'betaFeatures.list': () => list.promise, 'betaFeatures.trackViewed': viewed }));
    expect(screen.getByRole('status', { name: 'Loading beta features' })).toBeInTheDocument();
    list.resolve(listOf([search, chat]));
    expect(await screen.findByRole('switch', { name: 'Internal Search' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Beta Features', level: 1 })).toBeInTheDocument();
    expect(screen.getByText("Try new features before they're released to everyone. Beta features may change or be removed.")).toBeInTheDocument();
    expect(within(screen.getByRole('list', { name: 'Beta features' })).getAllByRole('switch')).toHaveLength(2);
    await waitFor(() => expect(viewed).toHaveBeenCalledTimes(1));
  });

  it('shows the spec’s empty state when there is nothing to try', async () => {
    renderWithApi(<BetaFeaturesPage />, api({ 'betaFeatures.list': () => listOf([]) }));
    expect(await screen.findByRole('heading', { name: 'No beta features available' })).toBeInTheDocument();
    expect(screen.getByText('Check back soon for new features to try!')).toBeInTheDocument();
  });

  it('shows a readable error with a retry that recovers when the API is back', async () => {
    let up = false;
    renderWithApi(<BetaFeaturesPage />, api({ 'betaFeatures.list': () => (up ? listOf([search]) : Promise.reject(new Error('fetch failed'))) }));
    const alert = await screen.findByRole('alert', {}, { timeout: 3_000 });
    expect(alert).toHaveTextContent("Beta features couldn't be loaded");
    expect(alert).toHaveTextContent('The Stagegate server could not be reached');
    up = true;
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('switch', { name: 'Internal Search' })).toBeInTheDocument();
  });

  it('moves the switch at once, then shows the server’s message', async () => {
    const toggle = deferred<unknown>();
    renderWithApi(<BetaFeaturesPage />, api({ 'betaFeatures.list': () => listOf([search, chat]), 'betaFeatures.toggle': () => toggle.promise }));
    const control = await screen.findByRole('switch', { name: 'Internal Search' });
    await userEvent.click(control);
    expect(control).toHaveAttribute('aria-checked', 'true');
    toggle.resolve(toggleMessage({ key: 'internal-search', enabled: true }));
    expect(await screen.findByText('internal-search has been enabled')).toBeInTheDocument();
  });

  it('rolls back only the refused switch, with an error toast, while another stays usable and keeps its change', async () => {
    const refused = deferred<unknown>();
    let served = listOf([search, chat]);
    renderWithApi(
      <BetaFeaturesPage />,
      api({
        'betaFeatures.list': () => served,
        'betaFeatures.toggle': (input) => ((input as { key: string }).key === 'internal-search' ? refused.promise : toggleMessage(input)),
      }),
    );
    const searchSwitch = await screen.findByRole('switch', { name: 'Internal Search' });
    const chatSwitch = screen.getByRole('switch', { name: 'Global Chat' });
    await userEvent.click(searchSwitch);
    expect(searchSwitch).toHaveAttribute('aria-checked', 'true');

    // Internal Search is still in flight: Global Chat toggles anyway.
    served = listOf([search, { ...chat, enabled: true }]);
    await userEvent.click(chatSwitch);
    expect(chatSwitch).toHaveAttribute('aria-checked', 'true');
    expect(await screen.findByText('global-chat-enabled has been enabled')).toBeInTheDocument();

    refused.reject(refusal('FEATURE_NOT_AVAILABLE', 'Feature not found or not available for beta'));
    expect(await screen.findByText('Failed to update feature')).toBeInTheDocument();
    expect(screen.getByText('Internal Search: Feature not found or not available for beta')).toBeInTheDocument();
    expect(searchSwitch).toHaveAttribute('aria-checked', 'false');
    expect(chatSwitch).toHaveAttribute('aria-checked', 'true');
  });
});
