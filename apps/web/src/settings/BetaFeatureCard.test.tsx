import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { feature, renderWithApi } from '../testing/fakeApi.js';
import { BetaFeatureCard } from './BetaFeatureCard.js';

const autoTagging = feature({
  key: 'auto-tagging-v2',
  name: 'Auto-Tagging V2',
  description: 'Automatically tag meetings based on content',
  stage: 'beta',
  kbArticle: 'https://help.stagegate.dev/auto-tagging',
  category: 'automation',
});

describe('BetaFeatureCard', () => {
  it('shows name, description, stage badge, category, Learn more and its own deep link', () => {
    renderWithApi(<BetaFeatureCard feature={autoTagging} onToggle={() => undefined} />, { 'betaFeatures.trackDiscovered': () => ({ tracked: false }) });
    expect(screen.getByRole('heading', { name: 'Auto-Tagging V2' })).toBeInTheDocument();
    expect(screen.getByText('Automatically tag meetings based on content')).toBeInTheDocument();
    expect(screen.getByText('Beta')).toHaveAttribute('data-stage', 'beta');
    expect(screen.getByText('automation')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Learn more about Auto-Tagging V2/ })).toHaveAttribute('href', 'https://help.stagegate.dev/auto-tagging');
    expect(screen.getByRole('link', { name: 'Link to Auto-Tagging V2' })).toHaveAttribute('href', '#auto-tagging-v2');
    expect(document.getElementById('auto-tagging-v2')).not.toBeNull();
  });

  it('has no Learn more without a KB article', () => {
    renderWithApi(<BetaFeatureCard feature={{ ...autoTagging, kbArticle: null }} onToggle={() => undefined} />, {});
    expect(screen.queryByRole('link', { name: /Learn more/ })).toBeNull();
  });

  it('is a switch named after the feature, described by its description, with its state in words', async () => {
    const onToggle = vi.fn();
    renderWithApi(<BetaFeatureCard feature={autoTagging} onToggle={onToggle} />, {});
    const control = screen.getByRole('switch', { name: 'Auto-Tagging V2' });
    expect(control).toHaveAccessibleDescription('Automatically tag meetings based on content');
    expect(control).toHaveAttribute('aria-checked', 'false');
    expect(screen.getByText('Off')).toBeInTheDocument();
    await userEvent.click(control);
    expect(onToggle).toHaveBeenCalledWith(true);
  });

  it('says why when the workspace switched it on, and shows Saving… while in flight', () => {
    renderWithApi(<BetaFeatureCard feature={{ ...autoTagging, enabled: true, reason: 'WORKSPACE_OPT_IN' }} onToggle={() => undefined} pending />, {});
    expect(screen.getByText('On for everyone in your workspace. You can still turn it off for yourself.')).toBeInTheDocument();
    expect(screen.getByText('Saving…')).toBeInTheDocument();
  });

  it('reports beta_feature_discovered the first time its badge is seen, once per user', async () => {
    const discovered = vi.fn(() => ({ tracked: true }));
    const first = renderWithApi(<BetaFeatureCard feature={autoTagging} onToggle={() => undefined} />, { 'betaFeatures.trackDiscovered': discovered });
    await vi.waitFor(() => expect(discovered).toHaveBeenCalledWith({ key: 'auto-tagging-v2', location: 'settings' }));
    first.unmount();
    renderWithApi(<BetaFeatureCard feature={autoTagging} onToggle={() => undefined} />, { 'betaFeatures.trackDiscovered': discovered });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(discovered).toHaveBeenCalledTimes(1);
  });
});
