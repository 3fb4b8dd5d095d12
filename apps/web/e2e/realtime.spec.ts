import { betaCard, callApi, expect, signInAs, test, TOKENS } from './support/fixtures.js';

// Changes made elsewhere reach an open page through events.onChange… without a reload, within a second or so.
const LIVE = { timeout: 3_000 };

test.describe('live updates on an open page', () => {
  test("an operator's kill removes the feature and says so", async ({ page }) => {
    await signInAs(page, 'member');
    await page.goto('/settings/beta-features');
    await expect(page.getByRole('switch', { name: 'Auto-Tagging V2' })).toBeVisible();
    // Marks the document: a reload would lose it.
    await page.evaluate(() => document.body.setAttribute('data-no-reload', 'yes'));
    await callApi('admin.flags.kill', { key: 'auto-tagging-v2', reason: 'e2e: live kill' }, TOKENS.editor);
    try {
      await expect(betaCard(page, 'Auto-Tagging V2')).toHaveCount(0, LIVE);
      await expect(page.getByText('Auto-Tagging V2 is no longer available')).toBeVisible();
      await expect(page.locator('body')).toHaveAttribute('data-no-reload', 'yes');
    } finally {
      await callApi('admin.flags.restore', { key: 'auto-tagging-v2', reason: 'e2e: done' }, TOKENS.editor);
    }
    await expect(page.getByRole('switch', { name: 'Auto-Tagging V2' })).toBeVisible(LIVE);
  });

  test("a workspace admin blocks a beta on Workspace betas and a member's open page loses it", async ({ browser }) => {
    const adminContext = await browser.newContext();
    const memberContext = await browser.newContext();
    try {
      const admin = await adminContext.newPage();
      const member = await memberContext.newPage();
      await signInAs(admin, 'admin');
      await signInAs(member, 'member');
      await member.goto('/settings/beta-features');
      await expect(member.getByRole('switch', { name: 'Global Chat' })).toBeVisible();

      await admin.goto('/settings');
      await admin.getByRole('link', { name: 'Workspace betas' }).click();
      await expect(admin.getByRole('heading', { name: 'Workspace betas', level: 1 })).toBeVisible();
      await admin.getByLabel('Policy for Global Chat').selectOption({ label: 'Off for everyone (blocked)' });
      await expect(admin.getByText('Global Chat is now off for everyone')).toBeVisible();

      await expect(betaCard(member, 'Global Chat')).toHaveCount(0, LIVE);
      await expect(member.getByText('Global Chat is no longer available')).toBeVisible();

      // Switched on for everybody: it comes back on for the member, who may still opt out.
      await admin.getByLabel('Policy for Global Chat').selectOption({ label: 'On for everyone' });
      const chat = member.getByRole('switch', { name: 'Global Chat' });
      await expect(chat).toHaveAttribute('aria-checked', 'true', LIVE);
      await expect(member.getByText('On for everyone in your workspace. You can still turn it off for yourself.')).toBeVisible();
      await admin.getByLabel('Policy for Global Chat').selectOption({ label: 'Members choose' });
      await expect(chat).toHaveAttribute('aria-checked', 'false', LIVE);
    } finally {
      await adminContext.close();
      await memberContext.close();
    }
  });

  test('the empty state when the workspace blocks every beta', async ({ page }) => {
    await callApi('workspace.setOptInBlocked', { blocked: true }, TOKENS.acmeAdmin);
    try {
      await signInAs(page, 'acmeMember');
      await page.goto('/settings/beta-features');
      await expect(page.getByRole('heading', { name: 'No beta features available' })).toBeVisible();
      await expect(page.getByText('Check back soon for new features to try!')).toBeVisible();
    } finally {
      await callApi('workspace.setOptInBlocked', { blocked: false }, TOKENS.acmeAdmin);
    }
  });
});
