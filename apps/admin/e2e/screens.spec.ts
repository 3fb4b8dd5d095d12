import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { axeViolations, expect, flagCard, signInAs, test } from './support/fixtures.js';

// Committed so reviewers can look without running anything; each run rewrites them.
const shots = fileURLToPath(new URL('./screenshots/', import.meta.url));

const fitsWidth = async (page: Page, width: number) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

const views = [
  { theme: 'light', size: 'desktop', viewport: { width: 1280, height: 900 } },
  { theme: 'dark', size: 'desktop', viewport: { width: 1280, height: 900 } },
  { theme: 'light', size: 'phone', viewport: { width: 375, height: 812 } },
] as const;

for (const view of views) {
  test(`${view.theme} ${view.size}: board, flag page, kill dialog (keyboard) and Why? — no axe violations, nothing wider than the screen`, async ({ page }) => {
    const name = (what: string) => `${shots}${what}-${view.theme}-${view.size}.png`;
    await page.emulateMedia({ colorScheme: view.theme });
    await page.setViewportSize(view.viewport);
    await signInAs(page, 'editor');

    await page.goto('/admin/');
    await expect(flagCard(page, 'privacy-agent')).toBeVisible();
    await expect(page.locator('html')).toHaveClass(view.theme === 'dark' ? /dark/ : /^(?!.*dark)/);
    await fitsWidth(page, view.viewport.width);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: name('board'), fullPage: true });

    await page.goto('/admin/flags/phoenix-pipeline-enabled');
    await expect(page.getByText(/^At 5 %: \d+ of \d+ known users are in\.$/)).toBeVisible();
    await fitsWidth(page, view.viewport.width);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: name('flag'), fullPage: true });

    // From the keyboard alone: focus the kill switch, Enter opens the dialog, Escape closes it.
    const kill = page.getByRole('button', { name: 'Kill switch' });
    await kill.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Kill Phoenix Pipeline?' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Reason')).toBeFocused();
    await expect(dialog.getByLabel(/Type the flag's key/)).toBeVisible();
    await dialog.getByLabel('Reason').fill('error rate at 4 % after the deploy');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: name('kill-dialog') });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(kill).toBeFocused();

    await page.getByRole('tab', { name: 'Why?' }).click();
    await page.getByLabel('User email').fill('member@stagegate.dev');
    await page.getByRole('button', { name: 'Explain' }).click();
    await expect(page.getByRole('list', { name: 'Rules in the order they are read' }).getByRole('listitem')).toHaveCount(10);
    await fitsWidth(page, view.viewport.width);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: name('why'), fullPage: true });
  });
}
