import { callApi, expect, flagCard, signInAs, test, TOKENS } from './support/fixtures.js';

// One story, in order: the audit test reads what the first two did.
test.describe.configure({ mode: 'serial' });

const STAGE_NOTE = 'e2e: alpha feedback addressed, opening to beta';
const KILL_REASON = 'e2e: error rate spiked after the 50 % step';

test('an editor moves Internal Search from alpha to beta with a note and sets 25 %; another operator sees it live', async ({ page, browser, baseURL }) => {
  const other = await browser.newContext({ baseURL });
  const viewer = await other.newPage();
  await signInAs(viewer, 'viewer');
  await viewer.goto('/admin/');
  const watched = flagCard(viewer, 'internal-search');
  await expect(viewer.getByRole('region', { name: 'Alpha' }).locator('li[data-flag="internal-search"]')).toBeVisible();

  await page.goto('/admin/');
  await expect(page.getByRole('heading', { name: 'Sign in as an operator' })).toBeVisible();
  await page.getByRole('button', { name: /Eddie Editor/ }).click();
  await page.getByRole('link', { name: 'Internal Search', exact: true }).first().click();
  await expect(page.getByRole('heading', { name: 'Internal Search', level: 1 })).toBeVisible();

  await page.getByRole('group', { name: 'Move to' }).getByRole('button', { name: 'Beta' }).click();
  await page.getByRole('button', { name: 'Move to Beta' }).click();
  await expect(page.getByText('Add a note: why it moves now')).toBeVisible();
  await page.getByLabel('Note for the move to Beta').fill(STAGE_NOTE);
  await page.getByRole('button', { name: 'Move to Beta' }).click();
  await expect(page.getByText('Internal Search moved to Beta')).toBeVisible();
  await expect(page.getByText('Now in Beta')).toBeVisible();

  await page.getByRole('group', { name: 'Rollout presets (ADR-074)' }).getByRole('button', { name: '25 %' }).click();
  await expect(page.getByText(/^At 25 %: \d+ of \d+ known users are in\.$/)).toBeVisible();
  await page.getByRole('button', { name: 'Set rollout to 25 %' }).click();
  await expect(page.getByText('Internal Search: rollout 25 % by user')).toBeVisible();
  await expect(page.getByText('Now 25 % of users.')).toBeVisible();

  // The viewer's board follows without a reload.
  await expect(viewer.getByRole('region', { name: 'Beta' }).locator('li[data-flag="internal-search"]')).toBeVisible();
  await expect(watched).toContainText('25 % by user');
  await other.close();
});

test("an editor kills a flag at 50 % with a reason and the typed key; a member's open Settings page loses it without reload", async ({ page, browser, baseURL }) => {
  await callApi('admin.flags.setRollout', { key: 'auto-tagging-v2', rolloutPercentage: 50, reason: 'e2e: ADR-074 step 4' }, TOKENS.editor);
  const memberContext = await browser.newContext({ baseURL });
  const member = await memberContext.newPage();
  await signInAs(member, 'member');
  await member.goto('/settings/beta-features');
  await expect(member.getByRole('switch', { name: 'Auto-Tagging V2' })).toBeVisible();

  await signInAs(page, 'editor');
  await page.goto('/admin/flags/auto-tagging-v2');
  await page.getByRole('button', { name: 'Kill switch' }).click();
  const dialog = page.getByRole('dialog', { name: 'Kill Auto-Tagging V2?' });
  await expect(dialog).toContainText('Turns auto-tagging-v2 off for everyone at once');
  await dialog.getByLabel('Reason').fill(KILL_REASON);
  await dialog.getByRole('button', { name: 'Kill auto-tagging-v2' }).click();
  await expect(dialog.getByText('Type auto-tagging-v2 exactly to confirm')).toBeVisible();
  await dialog.getByLabel(/Type the flag's key/).fill('auto-tagging-v2');
  await dialog.getByRole('button', { name: 'Kill auto-tagging-v2' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Off for everyone. Killed by editor@stagegate.dev`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Restore flag' })).toBeVisible();

  await expect(member.getByRole('switch', { name: 'Auto-Tagging V2' })).toHaveCount(0);
  await memberContext.close();
});

test('the audit page shows the stage move, the rollout and the kill with their reasons and field diffs', async ({ page }) => {
  await signInAs(page, 'viewer');
  await page.goto('/admin/audit');
  const stage = page.locator('li[data-action="flag.set_stage"]').filter({ hasText: STAGE_NOTE });
  await expect(stage).toContainText('Changed stage');
  await expect(stage).toContainText('internal-search');
  await expect(stage.getByRole('listitem').filter({ hasText: /^stage:/ })).toHaveText('stage: "alpha" → changed to "beta"');
  const rollout = page.locator('li[data-action="flag.set_rollout"]').filter({ hasText: 'internal-search' });
  await expect(rollout.getByRole('listitem').filter({ hasText: /^rolloutPercentage:/ })).toHaveText('rolloutPercentage: 0 → changed to 25');
  const kill = page.locator('li[data-action="flag.kill"]').filter({ hasText: 'auto-tagging-v2' });
  await expect(kill).toContainText(`Reason: ${KILL_REASON}`);
  await expect(kill.getByRole('listitem').filter({ hasText: /^kill\.reason:/ })).toHaveText(`kill.reason: ∅ → changed to "${KILL_REASON}"`);

  // Filtered by flag: only that flag's entries remain.
  await page.getByLabel('Flag').selectOption('internal-search');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('li[data-action="flag.kill"]')).toHaveCount(0);
  await expect(page.locator('li[data-action="flag.set_stage"]')).toHaveCount(1);
});
