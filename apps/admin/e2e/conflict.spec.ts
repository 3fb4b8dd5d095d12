import { callApi, expect, signInAs, test, TOKENS } from './support/fixtures.js';

test('a draft whose flag another operator saved meanwhile is not saved over it: "changed by someone else — reload"', async ({ page }) => {
  await signInAs(page, 'editor');
  await page.goto('/admin/flags/process-agent');
  await page.getByRole('tab', { name: 'Details' }).click();
  await page.getByLabel('Category').fill('agents-mine');

  await callApi('admin.flags.update', { key: 'process-agent', category: 'agents-theirs', reason: 'e2e: the other operator' }, TOKENS.owner);
  // The change arrives live; the draft keeps the version it started from, so saving it would be refused.
  await expect(page.getByRole('alert')).toContainText('Changed by someone else — reload');
  await expect(page.getByRole('button', { name: 'Save details' })).toBeDisabled();
  await page.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByLabel('Category')).toHaveValue('agents-theirs');
});
