import { expect, flagCard, signInAs, test } from './support/fixtures.js';

test('a viewer reads everything, every write control is disabled and says why, and the server refuses a write anyway', async ({ page, baseURL }) => {
  await signInAs(page, 'viewer');
  await page.goto('/admin/');
  await expect(flagCard(page, 'process-agent')).toBeVisible();
  await expect(page.getByRole('checkbox')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Create flag' })).toBeDisabled();

  await page.goto('/admin/flags/process-agent');
  const kill = page.getByRole('button', { name: 'Kill switch' });
  await expect(kill).toBeDisabled();
  await expect(page.getByRole('button', { name: /Set rollout to/ })).toBeDisabled();
  await expect(page.getByRole('group', { name: 'Move to' }).getByRole('button', { name: 'Alpha' })).toBeDisabled();
  // The wrapper takes focus from the keyboard and its tooltip says why.
  await kill.locator('..').focus();
  await expect(page.getByRole('tooltip')).toContainText('Your operator role is viewer');

  const refused = await page.request.post(`${baseURL}/trpc/admin.flags.kill`, { data: { key: 'process-agent', reason: 'viewer tries' }, headers: { origin: baseURL! } });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { data: { code: string } } }).error.data.code).toBe('FORBIDDEN');
});

for (const [who, email] of [
  ['admin', 'admin@stagegate.dev'],
  ['member', 'member@stagegate.dev'],
] as const) {
  test(`a workspace ${who} is refused with a page that says why`, async ({ page }) => {
    await signInAs(page, who);
    await page.goto('/admin/flags/process-agent');
    await expect(page.getByRole('heading', { name: 'This dashboard is for operators' })).toBeVisible();
    await expect(page.getByText(`(${email}), who is not a Stagegate operator`)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Go to Settings' })).toHaveAttribute('href', '/settings/beta-features');
    await expect(page.getByRole('button', { name: 'Kill switch' })).toHaveCount(0);
  });
}
