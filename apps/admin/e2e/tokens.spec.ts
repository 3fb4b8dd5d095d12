import { expect, signInAs, test } from './support/fixtures.js';

test('an owner creates a service token (shown once), sees it listed with its last use, and revokes it', async ({ page, baseURL }) => {
  await signInAs(page, 'owner');
  await page.goto('/admin/');
  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'API tokens' }).click();
  await page.getByLabel('Name').fill('e2e billing service');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByTestId('new-token').textContent())!.trim();
  expect(secret.length).toBeGreaterThan(20);
  const row = page.getByRole('row').filter({ hasText: 'e2e billing service' });
  await expect(row).toContainText('Never');

  // A use of the token shows up as its last use.
  const used = await fetch(`${baseURL}/api/flags/snapshot`, { headers: { authorization: `Bearer ${secret}` } });
  expect(used.status).toBe(200);
  await page.reload();
  await expect(row).not.toContainText('Never');
  await expect(page.getByTestId('new-token')).toHaveCount(0);

  await row.getByRole('button', { name: 'Revoke e2e billing service' }).click();
  await row.getByRole('button', { name: 'Revoke now e2e billing service' }).click();
  await expect(row).toContainText('Revoked');
  const refused = await fetch(`${baseURL}/api/flags/snapshot`, { headers: { authorization: `Bearer ${secret}` } });
  expect(refused.status).toBe(401);
});

test('an editor has no API tokens page', async ({ page }) => {
  await signInAs(page, 'editor');
  await page.goto('/admin/tokens');
  await expect(page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'API tokens' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'API tokens are for owners' })).toBeVisible();
});
