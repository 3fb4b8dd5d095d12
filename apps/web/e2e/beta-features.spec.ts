import { axeViolations, betaCard, callApi, expect, signInAs, test, TOKENS } from './support/fixtures.js';

test.describe('Settings → Beta Features', () => {
  test('sign in → enable Internal Search → Search appears with its badge → reload keeps it → disable → it disappears', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in to Stagegate' })).toBeVisible();
    await page.getByRole('button', { name: /Max Member/ }).click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Settings' })).toBeVisible();
    await expect(nav.getByRole('link', { name: /Search/ })).toHaveCount(0);

    await nav.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { name: 'Beta Features', level: 1 })).toBeVisible();
    await expect(page.getByText("Try new features before they're released to everyone. Beta features may change or be removed.")).toBeVisible();
    const toggle = page.getByRole('switch', { name: 'Internal Search' });
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByText('Internal Search has been enabled')).toBeVisible();

    const search = nav.getByRole('link', { name: /Search/ });
    await expect(search).toBeVisible();
    await expect(search).toContainText('Alpha');
    await search.click();
    await expect(page.getByRole('heading', { name: 'Search', level: 1 })).toBeVisible();

    await page.goto('/settings/beta-features');
    await expect(page.getByRole('switch', { name: 'Internal Search' })).toHaveAttribute('aria-checked', 'true');
    await expect(nav.getByRole('link', { name: /Search/ })).toBeVisible();

    await page.getByRole('switch', { name: 'Internal Search' }).click();
    await expect(page.getByText('Internal Search has been disabled')).toBeVisible();
    await expect(nav.getByRole('link', { name: /Search/ })).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole('switch', { name: 'Internal Search' })).toHaveAttribute('aria-checked', 'false');
    await expect(nav.getByRole('link', { name: /Search/ })).toHaveCount(0);
  });

  test('a refused toggle rolls that switch back with an error toast', async ({ page }) => {
    await signInAs(page, 'member');
    // The page must not hear about the kill in advance: its event stream is held off for this test.
    await page.route('**/trpc/events.onChangeResumable**', (route) => route.abort());
    await page.goto('/settings/beta-features');
    const toggle = page.getByRole('switch', { name: 'Privacy Agent' });
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await callApi('admin.flags.kill', { key: 'privacy-agent', reason: 'e2e: refusal' }, TOKENS.editor);
    // Nor may a refetch after the refusal replace the list before the rollback is seen: it never answers.
    await page.route('**/trpc/*betaFeatures.list*', () => undefined);
    try {
      await toggle.click();
      await expect(page.getByText('Failed to update feature')).toBeVisible();
      await expect(page.getByText(/Privacy Agent: Feature not found or not available for beta/)).toBeVisible();
      await expect(toggle).toHaveAttribute('aria-checked', 'false');
    } finally {
      await callApi('admin.flags.restore', { key: 'privacy-agent', reason: 'e2e: done' }, TOKENS.editor);
    }
  });

  test('cards show name, description, stage, category and Learn more; a deep link highlights its card', async ({ page }) => {
    await signInAs(page, 'member');
    await page.goto('/settings/beta-features#global-chat-enabled');
    const card = page.locator('#global-chat-enabled');
    await expect(card).toHaveAttribute('data-highlighted', 'true');
    await expect(card).toBeFocused();
    await expect(card).toBeInViewport();
    const autoTagging = betaCard(page, 'Auto-Tagging V2');
    await expect(autoTagging).toContainText('Automatically tag meetings based on content');
    await expect(autoTagging).toContainText('Beta');
    await expect(autoTagging).toContainText('Category: automation');
    await expect(autoTagging.getByRole('link', { name: /Learn more/ })).toHaveAttribute('href', 'https://help.stagegate.dev/auto-tagging');
    await expect(betaCard(page, 'Internal Search').getByRole('link', { name: /Learn more/ })).toHaveCount(0);
  });

  test('works from the keyboard alone and has no axe violations, light and dark', async ({ page }) => {
    await signInAs(page, 'member');
    await page.goto('/settings/beta-features');
    const toggle = page.getByRole('switch', { name: 'Auto-Tagging V2' });
    await expect(toggle).toBeVisible();
    // Tab until the switch has focus, then Space: no mouse anywhere.
    for (let i = 0; i < 20 && !(await toggle.evaluate((el) => el === document.activeElement)); i += 1) await page.keyboard.press('Tab');
    await expect(toggle).toBeFocused();
    await page.keyboard.press('Space');
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByText('Auto-Tagging V2 has been enabled')).toBeVisible();
    await page.keyboard.press('Space');
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await expect(toggle).toBeFocused();

    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect(page.locator('html')).toHaveClass(/dark/);
    expect(await axeViolations(page)).toEqual([]);
  });
});
